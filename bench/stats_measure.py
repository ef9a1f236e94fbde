"""Measure the statistics on the database bench/stats_generate.py filled: the year summary for
the province and for one district (rollup, the HTTP handler, and raw), and one reminder scan.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/stats_measure.py [--repeat 7] [--explain]

Prints the median wall time in ms of each (server time: the selector or the view in-process,
no network), and EXPLAIN ANALYZE of the scan's query with --explain.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
# The computation is measured, not the statistics cache that serves repeated API answers.
os.environ.setdefault("STATS_CACHE_SECONDS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.db.models import Sum  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from dossiers.models import Dossier  # noqa: E402
from dossiers.models.dossier import PENDING_STATUSES  # noqa: E402
from onestop.models import AdministrativeUnit, UnitLevel  # noqa: E402
from stats.models import DailyDeskProcedureStat, MonthlyDeskStat  # noqa: E402
from stats.selectors import (  # noqa: E402
    StatsScope,
    reminder_candidates,
    reminder_scan_queryset,
    stats_summary,
    stats_summary_raw,
)


def _median_ms(function, repeat: int) -> float:
    function()  # warm-up: connection, plan cache, buffers
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return round(statistics.median(samples), 1)


def _samples_ms(function, repeat: int) -> list[float]:
    """Wall times in ms of `repeat` calls after one warm-up call."""
    function()
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].endswith("bench"):
        sys.exit("Refusing: point DATABASE_URL at the bench database (name ending in 'bench').")
    now = timezone.now()
    # "A year": the last full calendar year (the generator covers the two years before now),
    # and the last 365 days (partial months at both ends are read from the daily rollup).
    year = timezone.localdate(now).year - 1
    year_from, year_to = dt.date(year, 1, 1), dt.date(year, 12, 31)
    last_to = timezone.localdate(now)
    last_from = last_to - dt.timedelta(days=364)
    province = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("path").first()
    district = AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT).order_by("path").first()
    window = {"date_from": year_from, "date_to": year_to}
    admin, _ = User.objects.get_or_create(username="bench-admin", defaults={"role": Role.ADMIN})
    client = Client(HTTP_HOST="localhost")
    client.force_login(admin)
    settings.ALLOWED_HOSTS = ["*"]
    query = {"from": f"{year_from:%d/%m/%Y}", "to": f"{year_to:%d/%m/%Y}"}
    results = {
        "dossiers": Dossier.objects.count(),
        "rollup_rows": DailyDeskProcedureStat.objects.count(),
        "open_dossiers": Dossier.objects.filter(status__in=PENDING_STATUSES).count(),
        "scan_candidates": len(reminder_candidates(now=now)),
    }
    for name, unit in (("province", province), ("district", district)):
        scope = StatsScope(unit=unit)
        results[f"summary_{name}_ms"] = _median_ms(
            lambda scope=scope: stats_summary(**window, scope=scope), args.repeat
        )
        results[f"summary_{name}_365d_ms"] = _median_ms(
            lambda scope=scope: stats_summary(date_from=last_from, date_to=last_to, scope=scope),
            args.repeat,
        )
        results[f"api_{name}_ms"] = _median_ms(
            lambda unit=unit: (
                client.get("/api/v1/stats/summary/", {**query, "unit": unit.code}).content
            ),
            args.repeat,
        )
        results[f"raw_{name}_ms"] = _median_ms(
            lambda scope=scope: stats_summary_raw(**window, scope=scope, now=now),
            max(3, args.repeat // 2),
        )
        rolled = stats_summary(**window, scope=scope)["total"]
        raw = stats_summary_raw(**window, scope=scope, now=now)["total"]
        # Pending counts are as of the rollup's last refresh; the rest must match exactly.
        keys = [key for key in rolled if not key.startswith("pending")]
        results[f"{name}_rollup_equals_raw"] = all(rolled[key] == raw[key] for key in keys)
    results["scan_ms"] = _median_ms(lambda: reminder_candidates(now=now), args.repeat)
    # The leaders' dashboard page (one client, in-process): its time, and each of its queries.
    for name, params in (("dashboard_default", {}), ("dashboard_year", query)):
        samples = _samples_ms(
            lambda params=params: client.get("/mot-cua/thong-ke/", params).content,
            max(60, args.repeat),  # p95 of 20 samples is one outlier (a GC pause) wide
        )
        results[f"{name}_ms"] = round(statistics.median(samples), 1)
        results[f"{name}_p95_ms"] = round(statistics.quantiles(samples, n=20)[-1], 1)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/mot-cua/thong-ke/", params).status_code == 200
        timed = sorted(
            ((float(q["time"]) * 1000, q["sql"][:160]) for q in captured.captured_queries),
            reverse=True,
        )
        results[f"{name}_queries"] = len(timed)
        results[f"{name}_slowest_query_ms"] = round(timed[0][0], 1)
        results[f"{name}_slowest_query"] = timed[0][1]
        results[f"{name}_queries_over_50ms"] = sum(1 for ms, _sql in timed if ms >= 50)
    print(json.dumps(results, indent=2))
    if args.explain:
        print("\nEXPLAIN reminder scan:\n" + _explain(reminder_scan_queryset(now=now)))
        print(
            "\nEXPLAIN province summary, whole months:\n"
            + _explain(
                MonthlyDeskStat.objects.filter(
                    StatsScope(unit=province).desk_q(), month__gte=year_from, month__lte=year_to
                )
                .values("desk__unit__level")
                .annotate(**{"received": Sum("received")})
                .order_by()
            )
        )
    reset_queries()


if __name__ == "__main__":
    main()
