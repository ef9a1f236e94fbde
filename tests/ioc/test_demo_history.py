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
    assert result.dossiers > 0 and len(result.lines()) == 5

    victim = DossierEvent.objects.order_by("chain_position")[5]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossierevent SET actor_id = NULL, note = %s WHERE id = %s",
            [victim.note + " (sửa lén)", victim.pk],
        )
    report = chain_verify()
    assert not report.ok and report.broken_event_id == victim.pk


def test_agency_share_gets_stuck_more_often_when_the_agency_is_slow_and_its_desk_swamped():
    """The demo's lateness comes from the steps: how often an agency's step runs past the time
    left, by cause (drawn, not labelled)."""
    import random

    from dossiers.seed_play import AGENCY_SHARE, agency_share

    def stuck_share(*, slow: bool, backlog: bool) -> float:
        rng = random.Random(7)
        draws = [agency_share(rng, slow=slow, backlog=backlog) for _ in range(4000)]
        # An unstuck step stays within its leg's share (a backlog stretches it by a tenth).
        assert all(d <= AGENCY_SHARE * 1.1 or d >= 0.8 for d in draws)
        return sum(d > 1.0 for d in draws) / len(draws)

    plain = stuck_share(slow=False, backlog=False)
    slow = stuck_share(slow=True, backlog=False)
    swamped = stuck_share(slow=True, backlog=True)
    assert plain < 0.005 < slow < 0.05 < swamped


@pytest.mark.django_db
def test_seed_demo_history_seed_draws_another_history_when_given(monkeypatch):
    """`seed_demo --history-seed N` reaches the dossier step; another seed draws another history
    from the same generator, the default one the `make run` history."""
    from contextlib import suppress

    from django.core.management import call_command
    from django.db import transaction

    from dossiers.models import Dossier
    from portal.management.commands import seed_demo

    monkeypatch.setattr(
        seed_dossiers, "DOSSIERS_PER_DESK", {"province": 20, "district": 4, "commune": 2}
    )
    world = make_world()
    make_procedure(level=ProcedureLevel.DISTRICT, sector=world.procedure.sector)

    def history() -> list:
        rows = Dossier.objects.values_list("submitted_at", "received_at", "procedure_id", "status")
        return sorted(map(str, rows))

    class Undo(Exception):
        pass

    drawn = {}
    for seed in (None, seed_dossiers.SEED, 101):
        with suppress(Undo), transaction.atomic():
            seed_dossiers.run(io.StringIO(), today=TODAY, seed=seed)
            drawn[seed] = history()
            raise Undo
    assert drawn[None] == drawn[seed_dossiers.SEED] != drawn[101] and len(drawn[101]) > 20

    seen = []
    monkeypatch.setattr(seed_demo, "SEED_STEPS", ["dossiers.seed_dossiers.run"])
    monkeypatch.setattr(seed_dossiers, "run", lambda stdout, *, seed=None: seen.append(seed))
    monkeypatch.setattr(seed_demo, "demo_accounts_print", lambda stdout: None)
    call_command("seed_demo", "--history-seed", "101", "--allow-production", stdout=io.StringIO())
    assert seen == [101]
