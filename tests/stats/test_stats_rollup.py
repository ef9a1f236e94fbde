"""The rollup always equals the aggregate over the raw dossiers."""

import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dossiers.models import Dossier, DossierEvent, SatisfactionRating
from stats import seed_stats
from stats.models import STAT_FIELDS, DailyDeskProcedureStat, DailyDeskStat, MonthlyDeskStat
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
