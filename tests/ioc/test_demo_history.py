"""On the demo history (seed_dossiers, scaled down): the chain verifies, the model trains and
scores, a row edited behind the application's back is caught, the backtest runs."""

import datetime
import io

import pytest
from django.db import connection

from accounts.models import Role
from dossiers import seed_dossiers
from dossiers.models import DossierEvent
from dossiers.services.chain import chain_verify
from ioc.backtest import backtest
from ioc.models import DossierRisk
from ioc.services import lateness_score, lateness_train
from procedures.models import ProcedureLevel
from tests.dossiers.engine_world import TZ, make_world
from tests.factories import make_procedure, make_user

TODAY = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=TZ)


@pytest.mark.django_db
def test_demo_history_chain_verifies_and_catches_a_tampered_row(monkeypatch):
    monkeypatch.setattr(
        seed_dossiers, "DOSSIERS_PER_DESK", {"province": 20, "district": 4, "commune": 2}
    )
    world = make_world()
    make_procedure(level=ProcedureLevel.DISTRICT, sector=world.procedure.sector)
    make_procedure(level=ProcedureLevel.COMMUNE, sector=world.procedure.sector)
    make_user(username="demo.clerk.province", role=Role.CLERK, desk=world.province_desk)
    make_user(username="demo.citizen", cccd="077188001234", phone="0918234567")
    seed_dossiers.run(io.StringIO(), today=TODAY)
    report = chain_verify()
    assert report.ok and report.checked == DossierEvent.objects.count() > 20

    model = lateness_train(now=TODAY)
    assert model.samples > 0
    assert lateness_score(now=TODAY, model=model) == DossierRisk.objects.count() > 0
    result = backtest(as_of=TODAY - datetime.timedelta(days=150), days=150, retrain_days=30)
    assert result.dossiers > 0 and len(result.lines()) == 4

    victim = DossierEvent.objects.order_by("chain_position")[5]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossierevent SET actor_id = NULL, note = %s WHERE id = %s",
            [victim.note + " (sửa lén)", victim.pk],
        )
    report = chain_verify()
    assert not report.ok and report.broken_event_id == victim.pk


def test_late_weight_puts_the_demo_lateness_on_its_causes_when_a_desk_is_slow():
    from types import SimpleNamespace

    from dossiers.seed_dossiers import BACKLOG_DAYS, late_weight

    heavy = SimpleNamespace(sector_id=1, sector=SimpleNamespace(code="dat-dai"))
    light = SimpleNamespace(sector_id=2, sector=SimpleNamespace(code="ho-tich"))
    slow, plain = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    in_backlog = TODAY - datetime.timedelta(days=(BACKLOG_DAYS[0] + BACKLOG_DAYS[1]) // 2)
    outside = TODAY - datetime.timedelta(days=30)

    def weight(desk, procedure, start):
        plan = SimpleNamespace(desk=desk, procedure=procedure, start=start)
        return late_weight(plan, slow={1}, today=TODAY)

    assert weight(plain, light, outside) == 1.0
    assert weight(slow, light, outside) > weight(plain, heavy, outside) > 1.0
    assert weight(slow, heavy, in_backlog) > 100 * weight(plain, light, in_backlog)
