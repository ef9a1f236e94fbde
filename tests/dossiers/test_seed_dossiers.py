"""The demo seed: through the services, every state, deterministic shapes, idempotent."""

import datetime
import io

import pytest

from accounts.models import Role, User
from dossiers import seed_dossiers
from dossiers.models import Dossier, DossierStatus
from onestop.models import Agency
from procedures.models import ProcedureLevel
from tests.dossiers.engine_world import TZ, make_world
from tests.factories import make_procedure, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=TZ)


def test_seed_dossiers_run_creates_every_state_once_when_run_twice(monkeypatch):
    monkeypatch.setattr(
        seed_dossiers, "DOSSIERS_PER_DESK", {"province": 20, "district": 4, "commune": 2}
    )
    world = make_world()
    make_procedure(level=ProcedureLevel.DISTRICT, sector=world.procedure.sector)
    make_procedure(level=ProcedureLevel.COMMUNE, sector=world.procedure.sector)
    make_user(username="demo.clerk.province", role=Role.CLERK, desk=world.province_desk)
    make_user(username="demo.citizen", cccd="077188001234", phone="0918234567")
    out = io.StringIO()
    seed_dossiers.run(out, today=TODAY)
    statuses = set(Dossier.objects.values_list("status", flat=True))
    assert statuses == set(DossierStatus.values)
    assert Agency.objects.filter(code="77.STP", name="Sở Tư pháp").exists()
    specialist = User.objects.get(username="demo.specialist")
    assert specialist.role == Role.SPECIALIST and specialist.agency.unit.code == "747"
    assert specialist.check_password("Demo@12345")
    returned = Dossier.objects.filter(status=DossierStatus.RETURNED)
    assert all(d.events.filter(action="receive").exists() for d in returned)
    assert all(d.finished_at <= TODAY and d.outcome for d in returned)
    assert {d.desk.unit.level for d in Dossier.objects.all()} == {
        "province",
        "district",
        "commune",
    }
    count = Dossier.objects.count()
    seed_dossiers.run(out, today=TODAY)
    assert Dossier.objects.count() == count
    assert "bỏ qua" in out.getvalue()
