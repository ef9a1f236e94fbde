"""The rollup always equals the aggregate over the raw dossiers."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dossiers.models import Dossier, DossierEvent, SatisfactionRating
from stats import seed_stats
from stats.models import (
    STAT_FIELDS,
    DailyDeskProcedureStat,
    DailyDeskStat,
    MonthlyDeskStat,
    MonthlyUnitProcedureStat,
)
from stats.selectors import StatsScope, stats_summary, stats_summary_raw
from stats.services import rollup_rebuild, rollup_refresh_dossier
from tests.stats.stats_builders import TZ, make_province, make_random_dossiers

START = dt.datetime(2026, 3, 1, 6, 0, tzinfo=TZ)
NOW = dt.datetime(2026, 4, 10, 10, 0, tzinfo=TZ)


def _scopes(world: dict) -> list[StatsScope]:
    return [
        StatsScope(),
        StatsScope(unit=world["province"]),
        StatsScope(unit=world["province"], desk_only=True),
        StatsScope(unit=world["districts"][0]),
        StatsScope(unit=world["districts"][1], desk_only=True),
        StatsScope(unit=world["communes"][3]),
    ]


def _periods(rng: random.Random) -> list[tuple[dt.date, dt.date]]:
    periods = [
        (dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
        (dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
    ]
    for _ in range(6):
        first = dt.date(2026, 2, 25) + dt.timedelta(days=rng.randrange(60))
        periods.append((first, first + dt.timedelta(days=rng.randrange(0, 30))))
    return periods


def _assert_rollup_equals_raw(world: dict, rng: random.Random) -> None:
    for scope in _scopes(world):
        for date_from, date_to in _periods(rng):
            rolled = stats_summary(date_from=date_from, date_to=date_to, scope=scope)
            raw = stats_summary_raw(date_from=date_from, date_to=date_to, scope=scope, now=NOW)
            assert rolled == raw, (scope, date_from, date_to)


@pytest.mark.django_db
def test_rollup_rebuild_equals_raw_aggregate_when_random_data():
    world = make_province()
    make_random_dossiers(world, count=400, start=START, days=45)
    rollup_rebuild(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 5, 31), now=NOW)
    assert DailyDeskProcedureStat.objects.exists()
    total = stats_summary_raw(
        date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31), scope=StatsScope(), now=NOW
    )["total"]
    # The random data exercises every counter.
    assert all(total[field] > 0 for field in STAT_FIELDS), total
    _assert_rollup_equals_raw(world, random.Random(3))


@pytest.mark.django_db
def test_rollup_refresh_dossier_equals_raw_aggregate_when_refreshed_one_by_one():
    world = make_province()
    dossiers = make_random_dossiers(world, count=250, start=START, days=30, seed=11)
    random.Random(5).shuffle(dossiers)
    for dossier in dossiers:
        rollup_refresh_dossier(dossier_id=dossier.pk, now=NOW)
    _assert_rollup_equals_raw(world, random.Random(4))
    # The units' rollup (commune, district, province above each desk, written in one statement
    # per refresh) equals the full rebuild's, which sums each unit's subtree on its own.
    refreshed = _unit_procedure_months()
    assert {unit for unit, *_ in refreshed} >= {
        world["province"].pk,
        *(district.pk for district in world["districts"]),
    }
    rollup_rebuild(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 5, 31), now=NOW)
    assert refreshed == _unit_procedure_months()


def _unit_procedure_months() -> dict[tuple, tuple]:
    return {
        (row.unit_id, row.procedure_id, row.month): tuple(getattr(row, f) for f in STAT_FIELDS)
        for row in MonthlyUnitProcedureStat.objects.all()
    }


@pytest.mark.django_db
def test_rollup_rebuild_removes_cells_when_dossiers_gone():
    world = make_province()
    dossiers = make_random_dossiers(world, count=40, start=START, days=5, seed=2)
    rollup_rebuild(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), now=NOW)
    assert DailyDeskStat.objects.exists()
    assert dossiers
    SatisfactionRating.objects.all().delete()
    DossierEvent.objects.all().delete()
    Dossier.objects.all().delete()
    rollup_rebuild(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 3, 31), now=NOW)
    assert not DailyDeskProcedureStat.objects.exists()
    assert not DailyDeskStat.objects.exists()


@pytest.mark.django_db
def test_stats_summary_on_time_plus_late_equals_resolved_when_random_data():
    world = make_province()
    make_random_dossiers(world, count=200, start=START, days=30, seed=9)
    rollup_rebuild(date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 30), now=NOW)
    summary = stats_summary(
        date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 30), scope=StatsScope()
    )
    for figures in [*summary["levels"].values(), summary["total"]]:
        assert figures["resolved_on_time"] + figures["resolved_late"] == figures["resolved"]
        assert figures["pending_not_due"] + figures["pending_overdue"] == figures["pending"]
    assert summary["total"]["resolved"] > 0
    assert sum(f["received"] for f in summary["levels"].values()) == summary["total"]["received"]


@pytest.mark.django_db
def test_rebuild_stats_command_restores_rollup_when_range_given():
    world = make_province()
    make_random_dossiers(world, count=60, start=START, days=20, seed=4)
    call_command("rebuild_stats", "--from", "01/02/2026", "--to", "31/05/2026", stdout=StringIO())
    expected = stats_summary(
        date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 30), scope=StatsScope()
    )
    DailyDeskProcedureStat.objects.all().delete()
    DailyDeskStat.objects.all().delete()
    MonthlyDeskStat.objects.all().delete()
    out = StringIO()
    call_command("rebuild_stats", "--from", "2026-02-01", "--to", "2026-05-31", stdout=out)
    assert "01/02/2026–28/02/2026" in out.getvalue()
    assert (
        stats_summary(
            date_from=dt.date(2026, 3, 1), date_to=dt.date(2026, 4, 30), scope=StatsScope()
        )
        == expected
    )
    with pytest.raises(CommandError):
        call_command("rebuild_stats", "--from", "31/05/2026", "--to", "01/02/2026")


@pytest.mark.django_db
def test_seed_stats_run_builds_rollup_when_dossiers_exist():
    world = make_province()
    make_random_dossiers(world, count=50, start=START, days=10, seed=6)
    out = StringIO()
    seed_stats.run(out)
    assert "ô (bộ phận × thủ tục × ngày)" in out.getvalue()
    assert DailyDeskStat.objects.exists()
    assert MonthlyDeskStat.objects.exists()


def _assert_by_procedure_equals_daily(world: dict, rng: random.Random) -> None:
    """Per-procedure figures (months from the monthly desk × procedure rollup, edge days from the
    daily one) equal the sums of the daily cells over the same days."""
    from django.db.models import Sum

    from stats.selectors import stats_by_procedure

    for scope in _scopes(world):
        for date_from, date_to in _periods(rng):
            for late in (False, True):
                listed = stats_by_procedure(
                    date_from=date_from, date_to=date_to, scope=scope, order_by_late=late
                )
                daily = (
                    DailyDeskProcedureStat.objects.filter(
                        scope.desk_q(), day__gte=date_from, day__lte=date_to
                    )
                    .values("procedure__code")
                    .annotate(received=Sum("received"), late=Sum("resolved_late"))
                )
                expected = {
                    row["procedure__code"]: (row["received"], row["late"])
                    for row in daily
                    if not late or row["late"]
                }
                got = {
                    row["code"]: (row["figures"]["received"], row["figures"]["resolved_late"])
                    for row in listed
                }
                assert got == expected, (scope, date_from, date_to, late)
                key = 1 if late else 0
                counts = [value[key] for value in got.values()]
                assert counts == sorted(counts, reverse=True)


@pytest.mark.django_db
def test_stats_by_procedure_equals_daily_cells_when_rebuilt_and_refreshed():
    from stats.models import MonthlyDeskProcedureStat

    world = make_province()
    dossiers = make_random_dossiers(world, count=250, start=START, days=45, seed=21)
    rollup_rebuild(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 5, 31), now=NOW)
    assert MonthlyDeskProcedureStat.objects.exists()
    _assert_by_procedure_equals_daily(world, random.Random(8))
    MonthlyDeskProcedureStat.objects.all().delete()
    for dossier in dossiers:
        rollup_refresh_dossier(dossier_id=dossier.pk, now=NOW)
    _assert_by_procedure_equals_daily(world, random.Random(9))


@pytest.mark.django_db
def test_stats_online_procedures_equals_raw_pairs_when_random_data():
    from procedures.models import Channel, OnlineLevel
    from stats.selectors import stats_online_procedures
    from stats.selectors.figures import local_bounds

    world = make_province()
    make_random_dossiers(world, count=300, start=START, days=45, seed=31)
    rollup_rebuild(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 5, 31), now=NOW)
    rng = random.Random(12)
    checked = 0
    for scope in _scopes(world):
        for date_from, date_to in _periods(rng):
            start, end = local_bounds(date_from, date_to)
            pairs = set(
                Dossier.objects.filter(
                    scope.desk_q(),
                    received_at__gte=start,
                    received_at__lt=end,
                    channel=Channel.ONLINE,
                    procedure__is_published=True,
                    procedure__online_level__in=(OnlineLevel.FULL, OnlineLevel.PARTIAL),
                ).values_list("desk__unit__level", "procedure_id", "procedure__level")
            )
            expected: dict[str, int] = {}
            for desk_level, _procedure_id, procedure_level in pairs:
                if desk_level == procedure_level:
                    expected[desk_level] = expected.get(desk_level, 0) + 1
            got = stats_online_procedures(date_from=date_from, date_to=date_to, scope=scope)
            for level in ("province", "district", "commune"):
                assert got[level]["with_online"] == expected.get(level, 0), (scope, level)
            checked += sum(expected.values())
    assert checked > 0


@pytest.mark.django_db
def test_rollup_refresh_batch_equals_raw_aggregate_when_a_burst_is_delivered_together():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from outbox.delivery import outbox_deliver_batch
    from outbox.models import OutboxMessage, OutboxStatus

    world = make_province()
    dossiers = make_random_dossiers(world, count=200, start=START, days=20, seed=17)
    now = timezone.now()  # the handler refreshes as of the real clock
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            handler="stats.rollup_refresh",
            key=f"burst:{dossier.pk}",
            payload={"dossier_id": dossier.pk},
            created_at=now,
            available_at=now,
        )
        for dossier in dossiers
    )
    with CaptureQueriesContext(connection) as burst:
        outcomes = outbox_deliver_batch(keys=[f"burst:{dossier.pk}" for dossier in dossiers])
    assert list(outcomes.values()) == ["sent"] * len(dossiers)
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()

    def assert_equals_raw(rng: random.Random) -> None:
        for scope in _scopes(world):
            for date_from, date_to in _periods(rng):
                rolled = stats_summary(date_from=date_from, date_to=date_to, scope=scope)
                raw = stats_summary_raw(
                    date_from=date_from, date_to=date_to, scope=scope, now=timezone.now()
                )
                assert rolled == raw, (scope, date_from, date_to)

    assert_equals_raw(random.Random(6))
    # Row by row costs more: the burst rebuilt each desk × procedure span of days once (these
    # random dossiers spread over many desks, procedures and days: about 3× here).
    DailyDeskProcedureStat.objects.all().delete()
    with CaptureQueriesContext(connection) as one_by_one:
        for dossier in dossiers:
            rollup_refresh_dossier(dossier_id=dossier.pk, now=timezone.now())
    assert_equals_raw(random.Random(6))
    assert len(burst) * 2 < len(one_by_one), (len(burst), len(one_by_one))


@pytest.mark.django_db
def test_rollup_refresh_dossiers_rebuilds_once_when_a_desk_receives_many_on_one_day():
    from django.utils import timezone

    from stats.services import rollup_refresh_dossiers

    world = make_province()
    dossiers = make_random_dossiers(world, count=300, start=START, days=20, seed=19)
    same = {}
    for dossier in dossiers:
        if dossier.received_at and not dossier.finished_at:
            day = timezone.localtime(dossier.received_at).date()
            same.setdefault((dossier.desk_id, dossier.procedure_id, day), []).append(dossier.pk)
    burst = max(same.values(), key=len)
    assert len(burst) >= 2
    # Their spans all start that day (a later supplement request only extends it): one rebuild.
    assert rollup_refresh_dossiers(dossier_ids=burst, now=timezone.now()) == 1
