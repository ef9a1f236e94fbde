"""Statistics reads: the dashboard and API figures, from the rollups, and the raw reference.

Definitions (the dashboard page prints them):
- received: dossiers whose `received_at` falls in the period (whatever happened to them later).
- resolved: dossiers in status resolved/returned with an outcome, whose `finished_at` falls in
  the period; on time = outcome early or on_time; late = outcome late; so
  resolved = resolved_on_time + resolved_late.
- on-time rate = resolved_on_time / resolved; late rate = resolved_late / resolved.
- pending: dossiers received in the period that are still with the administration (received,
  processing, supplement requested, awaiting payment, withdrawal requested); overdue when
  `due_at` < now. Refused, withdrawn and stopped dossiers are neither resolved nor pending.
- online rate = received online / received; online resolution rate = resolved online / resolved;
  online payment rate = paid online / received with a fee; digitisation = digitised at reception
  / received; satisfaction = (very satisfied + satisfied) / ratings.
Days are local (Asia/Ho_Chi_Minh) days. `stats_summary_raw` counts straight from the dossier
rows and is the reference the rollup is tested against.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from dossiers.models import (
    Dossier,
    DossierEvent,
    DossierOutcome,
    DossierStatus,
    SatisfactionRating,
)
from dossiers.models.dossier import PENDING_STATUSES
from onestop.models import AdministrativeUnit, SatisfactionLevel, UnitLevel
from procedures.cache import catalog_cached
from procedures.compiled import CompiledQuery
from procedures.models import Channel, OnlineLevel, Procedure
from stats.models import (
    STAT_FIELDS,
    DailyDeskProcedureStat,
    DailyDeskStat,
    MonthlyDeskProcedureStat,
    MonthlyDeskStat,
    MonthlyUnitProcedureStat,
)

RESOLVED_STATUSES = (DossierStatus.RESOLVED, DossierStatus.RETURNED)
ONLINE_LEVELS = (OnlineLevel.FULL, OnlineLevel.PARTIAL)
LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)


@dataclass(frozen=True)
class StatsScope:
    """What a figure covers: a unit's subtree, or only the desk of that unit (`desk_only`)."""

    unit: AdministrativeUnit | None = None
    desk_only: bool = False

    def desk_q(self, prefix: str = "desk__") -> Q:
        if self.unit is None:
            return Q()
        if self.desk_only:
            return Q(**{f"{prefix}unit_id": self.unit.pk})
        return self.unit.subtree_q(f"{prefix}unit__")


def local_bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of date_from, start of the day after date_to) in local time."""
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return start, end


def _empty() -> dict[str, int]:
    return dict.fromkeys(STAT_FIELDS, 0)


def _ratio(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 2) if whole else None


def stats_figures(counts: dict[str, int]) -> dict:
    """The counters plus the derived totals and rates (percent, 2 decimals; None when 0/0)."""
    figures = {field: int(counts.get(field) or 0) for field in STAT_FIELDS}
    on_time = figures["resolved_early"] + figures["resolved_on_time"]
    late = figures["resolved_late"]
    resolved = on_time + late
    ratings = (
        figures["rating_very_satisfied"]
        + figures["rating_satisfied"]
        + figures["rating_unsatisfied"]
    )
    figures.update(
        resolved=resolved,
        # resolved_on_time in the output includes early, as the province reports it.
        resolved_on_time=on_time,
        resolved_on_time_exact=figures["resolved_on_time"],
        pending=figures["pending_not_due"] + figures["pending_overdue"],
        ratings=ratings,
        on_time_rate=_ratio(on_time, resolved),
        late_rate=_ratio(late, resolved),
        online_rate=_ratio(figures["received_online"], figures["received"]),
        online_resolved_rate=_ratio(figures["resolved_online"], resolved),
        paid_online_rate=_ratio(figures["received_paid_online"], figures["received_with_fee"]),
        digitised_rate=_ratio(figures["received_digitised"], figures["received"]),
        satisfaction_rate=_ratio(
            figures["rating_very_satisfied"] + figures["rating_satisfied"], ratings
        ),
    )
    return figures


def _by_level(rows: dict[str, dict[str, int]]) -> dict:
    levels = {level.value: stats_figures(rows.get(level.value, {})) for level in LEVELS}
    total = _empty()
    for counts in rows.values():
        for field in STAT_FIELDS:
            total[field] += int(counts.get(field) or 0)
    return {"levels": levels, "total": stats_figures(total)}


def _sums() -> dict:
    return {field: Sum(field) for field in STAT_FIELDS}


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _month_window(date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """[first_full, end_full): the whole months inside [date_from, date_to] (may be empty)."""
    first_full = date_from if date_from.day == 1 else _next_month(date_from)
    end_full = (
        _month_start(date_to)
        if _next_month(date_to) - dt.timedelta(days=1) != date_to
        else _next_month(date_to)
    )
    return first_full, end_full


def _split(
    *, monthly: QuerySet, daily: QuerySet, date_from: dt.date, date_to: dt.date
) -> list[QuerySet]:
    """The rollup querysets covering [date_from, date_to]: whole months from `monthly`, the
    partial months at the edges from `daily` (at most two)."""
    first_full, end_full = _month_window(date_from, date_to)
    parts = []
    if first_full < end_full:
        parts.append(monthly.filter(month__gte=first_full, month__lt=end_full))
        edges = Q(day__gte=date_from, day__lt=first_full) | Q(day__gte=end_full, day__lte=date_to)
    else:
        edges = Q(day__gte=date_from, day__lte=date_to)
    if first_full > date_from or end_full <= date_to:
        parts.append(daily.filter(edges))
    return parts


def _desk_rows(
    *, scope: StatsScope, date_from: dt.date, date_to: dt.date, keys: tuple[str, ...]
) -> dict[tuple, dict[str, int]]:
    """Counters summed by `keys` (desk lookups, or "month") over [date_from, date_to]: whole
    months from MonthlyDeskStat, the partial months at the edges from DailyDeskStat (at most
    two queries, each over at most desks × (months or edge days) rows)."""
    result: dict[tuple, dict[str, int]] = defaultdict(_empty)
    daily = DailyDeskStat.objects.filter(scope.desk_q())
    if "month" in keys:
        daily = daily.annotate(month=TruncMonth("day"))
    parts = _split(
        monthly=MonthlyDeskStat.objects.filter(scope.desk_q()),
        daily=daily,
        date_from=date_from,
        date_to=date_to,
    )
    for part in parts:
        for row in part.values(*keys).annotate(**_sums()).order_by():
            target = result[tuple(row.pop(key) for key in keys)]
            for field in STAT_FIELDS:
                target[field] += int(row[field] or 0)
    return result


def _desk_procedure_parts(
    *, scope: StatsScope, date_from: dt.date, date_to: dt.date, by_unit: bool = False
):
    """Desk × procedure rollup querysets for the window: months, then edge days (≤ 2). With
    `by_unit`, whole months come from the unit × procedure × month rollup (one row per
    procedure and month for the scope's subtree, or for each top unit when unscoped)."""
    monthly = MonthlyDeskProcedureStat.objects.filter(scope.desk_q())
    if by_unit and not scope.desk_only:
        if scope.unit is None:
            monthly = MonthlyUnitProcedureStat.objects.filter(unit__parent__isnull=True)
        else:
            monthly = MonthlyUnitProcedureStat.objects.filter(unit_id=scope.unit.pk)
    return _split(
        monthly=monthly,
        daily=DailyDeskProcedureStat.objects.filter(scope.desk_q()),
        date_from=date_from,
        date_to=date_to,
    )


def stats_summary(*, date_from: dt.date, date_to: dt.date, scope: StatsScope) -> dict:
    """Figures per desk level and in total, from the desk × month/day rollups (≤ 2 queries)."""
    rows = _desk_rows(
        scope=scope, date_from=date_from, date_to=date_to, keys=("desk__unit__level",)
    )
    return _by_level({level: counts for (level,), counts in rows.items()})


def stats_summary_raw(
    *, date_from: dt.date, date_to: dt.date, scope: StatsScope, now: dt.datetime
) -> dict:
    """The same figures counted straight from dossiers, events and ratings (the reference)."""
    start, end = local_bounds(date_from, date_to)
    received = Q(received_at__gte=start, received_at__lt=end)
    resolved = Q(
        finished_at__gte=start,
        finished_at__lt=end,
        status__in=RESOLVED_STATUSES,
        outcome__in=DossierOutcome.values,
    )
    returned = Q(returned_at__gte=start, returned_at__lt=end)
    pending = received & Q(status__in=PENDING_STATUSES)
    overdue = pending & Q(due_at__lt=now)
    counts = {
        "received": Count("pk", filter=received),
        "received_direct": Count("pk", filter=received & Q(channel=Channel.DIRECT)),
        "received_online": Count("pk", filter=received & Q(channel=Channel.ONLINE)),
        "received_postal": Count("pk", filter=received & Q(channel=Channel.POSTAL)),
        "received_with_fee": Count("pk", filter=received & Q(fee_amount__gt=0)),
        "received_paid_online": Count(
            "pk", filter=received & Q(fee_amount__gt=0, paid_online=True)
        ),
        "received_digitised": Count("pk", filter=received & Q(digitised_at_reception=True)),
        "resolved_early": Count("pk", filter=resolved & Q(outcome=DossierOutcome.EARLY)),
        "resolved_on_time": Count("pk", filter=resolved & Q(outcome=DossierOutcome.ON_TIME)),
        "resolved_late": Count("pk", filter=resolved & Q(outcome=DossierOutcome.LATE)),
        "resolved_online": Count("pk", filter=resolved & Q(channel=Channel.ONLINE)),
        "pending_not_due": Count("pk", filter=pending & ~Q(due_at__lt=now)),
        "pending_overdue": Count("pk", filter=overdue),
        "returned": Count("pk", filter=returned),
    }
    rows: dict[str, dict[str, int]] = defaultdict(_empty)
    dossier_rows = (
        Dossier.objects.filter(scope.desk_q())
        .filter(received | resolved | returned)
        .values("desk__unit__level")
        .annotate(**counts)
        .order_by()
    )
    for row in dossier_rows:
        rows[row.pop("desk__unit__level")].update(row)
    supplements = (
        DossierEvent.objects.filter(
            scope.desk_q("dossier__desk__"),
            to_status=DossierStatus.SUPPLEMENT_REQUESTED,
            at__gte=start,
            at__lt=end,
        )
        .values("dossier__desk__unit__level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in supplements:
        rows[row["dossier__desk__unit__level"]]["supplement_requests"] = row["n"]
    ratings = (
        SatisfactionRating.objects.filter(
            scope.desk_q("dossier__desk__"), created_at__gte=start, created_at__lt=end
        )
        .values("dossier__desk__unit__level", "level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in ratings:
        rows[row["dossier__desk__unit__level"]][f"rating_{row['level']}"] = row["n"]
    return _by_level(rows)


def stats_online_procedures(*, date_from: dt.date, date_to: dt.date, scope: StatsScope) -> dict:
    """Per level: online-capable published procedures of that level, and how many of them got at
    least one online dossier at a desk of that level in the period (two queries)."""
    # The capable procedures and their level, matched in Python: the rollup query below then
    # joins only the small units table, never the wide procedures table. A catalog read: cached
    # until the catalog changes.
    procedure_level = catalog_cached(
        "online_capable_levels",
        "",
        lambda: dict(
            Procedure.objects.filter(is_published=True, online_level__in=ONLINE_LEVELS)
            .values_list("pk", "level")
            .order_by()
        ),
    )
    capable: dict[str, int] = defaultdict(int)
    for level in procedure_level.values():
        capable[level] += 1
    pairs: set[tuple[str, int]] = set()
    for part in _desk_procedure_parts(scope=scope, date_from=date_from, date_to=date_to):
        pairs.update(
            part.filter(received_online__gt=0)
            .values_list("desk__unit__level", "procedure_id")
            .distinct()
            .order_by()
        )
    used: dict[str, int] = defaultdict(int)
    for level, procedure_id in pairs:
        if procedure_level.get(procedure_id) == level:
            used[level] += 1
    result = {}
    for level in LEVELS:
        result[level.value] = {
            "capable": capable.get(level.value, 0),
            "with_online": used.get(level.value, 0),
            "rate": _ratio(used.get(level.value, 0), capable.get(level.value, 0)),
        }
    total_capable = sum(capable.get(level.value, 0) for level in LEVELS)
    total_used = sum(used.values())
    result["total"] = {
        "capable": total_capable,
        "with_online": total_used,
        "rate": _ratio(total_used, total_capable),
    }
    return result


def stats_monthly_trend(*, date_from: dt.date, date_to: dt.date, scope: StatsScope) -> list[dict]:
    """One row per month: month (first day) and the figures (≤ 2 queries)."""
    rows = _desk_rows(scope=scope, date_from=date_from, date_to=date_to, keys=("month",))
    return [{"month": month, **stats_figures(rows[(month,)])} for (month,) in sorted(rows)]


def stats_children(*, date_from: dt.date, date_to: dt.date, unit: AdministrativeUnit) -> list[dict]:
    """Drill-down one level below `unit`: its own desk, then each child unit's subtree (2 queries).

    Each row: unit (AdministrativeUnit), own_desk_only (bool), figures.
    """
    children = list(AdministrativeUnit.objects.filter(parent=unit).order_by("path"))
    rows = _desk_rows(
        scope=StatsScope(unit=unit),
        date_from=date_from,
        date_to=date_to,
        keys=("desk__unit__path",),
    )
    own = _empty()
    per_child: dict[str, dict[str, int]] = defaultdict(_empty)
    prefix_len = len(unit.path) + 1
    for (path,), counts in rows.items():
        if path == unit.path:
            target = own
        else:
            target = per_child[path[prefix_len:].split("/", 1)[0]]
        for field in STAT_FIELDS:
            target[field] += counts[field]
    result = [{"unit": unit, "own_desk_only": True, "figures": stats_figures(own)}]
    for child in children:
        result.append(
            {"unit": child, "own_desk_only": False, "figures": stats_figures(per_child[child.code])}
        )
    return result


def stats_by_procedure(
    *,
    date_from: dt.date,
    date_to: dt.date,
    scope: StatsScope,
    limit: int | None = None,
    order_by_late: bool = False,
) -> list[dict]:
    """Figures per procedure in the scope, most received first (or most late first): sums by
    procedure id from the desk × procedure × month rollup (and the edge days), then the codes
    and names of the procedures listed (≤ 3 queries, none joining rollup rows to procedures)."""
    sums: dict[int, dict[str, int]] = defaultdict(_empty)
    parts = _desk_procedure_parts(scope=scope, date_from=date_from, date_to=date_to, by_unit=True)
    for part in parts:
        for row in part.values("procedure_id").annotate(**_sums()).order_by():
            target = sums[row.pop("procedure_id")]
            for field in STAT_FIELDS:
                target[field] += int(row[field] or 0)
    key = "resolved_late" if order_by_late else "received"
    candidates = [pk for pk in sums if not order_by_late or sums[pk]["resolved_late"] > 0]
    if limit and len(candidates) > limit:
        # Every procedure that can be among the first `limit` (ties at the edge included).
        edge = sorted(-sums[pk][key] for pk in candidates)[limit - 1]
        candidates = [pk for pk in candidates if -sums[pk][key] <= edge]
    labels = {
        row["pk"]: row
        for row in Procedure.objects.filter(pk__in=candidates).values("pk", "code", "name")
    }
    ranked = sorted(candidates, key=lambda pk: (-sums[pk][key], labels[pk]["code"]))
    if limit:
        ranked = ranked[:limit]
    return [
        {
            "procedure_id": pk,
            "code": labels[pk]["code"],
            "name": labels[pk]["name"],
            "figures": stats_figures(sums[pk]),
        }
        for pk in ranked
    ]


def stats_top_desks_late(
    *, date_from: dt.date, date_to: dt.date, scope: StatsScope, limit: int = 10
) -> list[dict]:
    """The desks with the most late resolutions in the period (≤ 2 queries)."""
    keys = ("desk_id", "desk__name", "desk__unit__code", "desk__unit__level")
    rows = _desk_rows(scope=scope, date_from=date_from, date_to=date_to, keys=keys)
    ranked = sorted(
        (item for item in rows.items() if item[1]["resolved_late"] > 0),
        key=lambda item: (-item[1]["resolved_late"], item[0][2]),
    )[:limit]
    return [
        {
            "desk_id": desk_id,
            "name": name,
            "unit_code": code,
            "level": level,
            "figures": stats_figures(counts),
        }
        for (desk_id, name, code, level), counts in ranked
    ]


def stats_scope_units(*, root: AdministrativeUnit | None) -> QuerySet[AdministrativeUnit]:
    """Units a user may pick as scope: the root's subtree down to district level."""
    units = AdministrativeUnit.objects.filter(level__in=[UnitLevel.PROVINCE, UnitLevel.DISTRICT])
    if root is not None:
        units = units.filter(root.subtree_q())
    return units.order_by("path")


# The counts of rows other than dossiers reach the desk and procedure through their dossier.
_THROUGH_DOSSIER = {"supplements": "dossier__", "ratings": "dossier__"}


def _cell_counts(
    kind: str,
    shape: tuple[bool, bool],
    *,
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime,
    desk_id: int,
    procedure_id: int,
) -> QuerySet:
    """One of the counts behind the rollup cells, per (desk, procedure, local day): `kind` says
    which rows and counters; `shape` whether a desk and a procedure narrow it."""
    if kind == "supplements":
        rows = DossierEvent.objects.filter(to_status=DossierStatus.SUPPLEMENT_REQUESTED)
    elif kind == "ratings":
        rows = SatisfactionRating.objects.all()
    elif kind == "resolved":
        rows = Dossier.objects.filter(
            status__in=RESOLVED_STATUSES, outcome__in=DossierOutcome.values
        )
    else:
        rows = Dossier.objects.all()
    through = _THROUGH_DOSSIER.get(kind, "")
    desk_given, procedure_given = shape
    if desk_given:
        rows = rows.filter(**{f"{through}desk_id": desk_id})
    if procedure_given:
        rows = rows.filter(**{f"{through}procedure_id": procedure_id})
    pending = Q(status__in=PENDING_STATUSES)
    field, counters = {
        "received": (
            "received_at",
            {
                "received": Count("pk"),
                "received_direct": Count("pk", filter=Q(channel=Channel.DIRECT)),
                "received_online": Count("pk", filter=Q(channel=Channel.ONLINE)),
                "received_postal": Count("pk", filter=Q(channel=Channel.POSTAL)),
                "received_with_fee": Count("pk", filter=Q(fee_amount__gt=0)),
                "received_paid_online": Count("pk", filter=Q(fee_amount__gt=0, paid_online=True)),
                "received_digitised": Count("pk", filter=Q(digitised_at_reception=True)),
                "pending_not_due": Count("pk", filter=pending & ~Q(due_at__lt=now)),
                "pending_overdue": Count("pk", filter=pending & Q(due_at__lt=now)),
            },
        ),
        "resolved": (
            "finished_at",
            {
                "resolved_early": Count("pk", filter=Q(outcome=DossierOutcome.EARLY)),
                "resolved_on_time": Count("pk", filter=Q(outcome=DossierOutcome.ON_TIME)),
                "resolved_late": Count("pk", filter=Q(outcome=DossierOutcome.LATE)),
                "resolved_online": Count("pk", filter=Q(channel=Channel.ONLINE)),
            },
        ),
        "returned": ("returned_at", {"returned": Count("pk")}),
        "supplements": ("at", {"supplement_requests": Count("pk")}),
        "ratings": (
            "created_at",
            {
                f"rating_{level}": Count("pk", filter=Q(level=level))
                for level in SatisfactionLevel.values
            },
        ),
    }[kind]
    return (
        rows.filter(**{f"{field}__gte": start, f"{field}__lt": end})
        .annotate(day=TruncDate(field, tzinfo=timezone.get_default_timezone()))
        .values(f"{through}desk_id", f"{through}procedure_id", "day")
        .annotate(**counters)
        .order_by()
    )


# Compiled once (procedures.compiled): the rollup refresh after every reception runs all five,
# and building their filtered counts cost more than the database's answer.
_CELL_COUNTS = {
    kind: CompiledQuery(
        partial(_cell_counts, kind),
        ints=("desk_id", "procedure_id"),
        datetimes=("start", "end", "now"),
    )
    for kind in ("received", "resolved", "returned", "supplements", "ratings")
}


def stats_rollup_cells_raw(
    *,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
    desk_id: int | None = None,
    procedure_id: int | None = None,
) -> dict[tuple[int, int, dt.date], dict[str, int]]:
    """Counters per (desk, procedure, local day) from the raw rows: what the rollup must hold."""
    start, end = local_bounds(date_from, date_to)
    shape = (desk_id is not None, procedure_id is not None)
    cells: dict[tuple[int, int, dt.date], dict[str, int]] = defaultdict(_empty)
    for kind, query in _CELL_COUNTS.items():
        through = _THROUGH_DOSSIER.get(kind, "")
        rows = query.rows(
            shape, start=start, end=end, now=now, desk_id=desk_id, procedure_id=procedure_id
        )
        for row in rows:
            desk, procedure = row.pop(f"{through}desk_id"), row.pop(f"{through}procedure_id")
            cell = cells[(desk, procedure, row.pop("day"))]
            for name, value in row.items():
                cell[name] += value
    return cells
