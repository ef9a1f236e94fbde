"""Reads of the operations centre: the wall, the risky dossiers, returns, open data."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db.models import (
    Avg,
    Count,
    Expression,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.models import Dossier, DossierOutcome
from dossiers.models.dossier import PENDING_STATUSES
from ioc.models import DeskEscalationSetting, DossierRisk
from onestop.models import AdministrativeUnit, Desk, QueueTicket, SatisfactionLevel, UnitLevel
from stats.selectors import LEVELS, StatsScope, stats_summary

MIN_COUNT = 5  # open data: no figure from fewer dossiers than this
ON_TIME = (DossierOutcome.EARLY, DossierOutcome.ON_TIME)
KEY_LABELS = {
    "phb": gettext_noop("cùng thủ tục, cùng bước tại cùng nơi xử lý, cùng mức tồn đọng"),
    "hb": gettext_noop("cùng bước tại cùng nơi xử lý, cùng mức tồn đọng"),
    "ph": gettext_noop("cùng thủ tục, cùng bước tại cùng nơi xử lý"),
    "hs": gettext_noop("cùng bước tại cùng nơi xử lý (cùng tình trạng bổ sung)"),
    "h": gettext_noop("cùng bước tại cùng nơi xử lý"),
    "db": gettext_noop("cùng bộ phận, cùng mức tồn đọng"),
    "d": gettext_noop("cùng bộ phận"),
    "p": gettext_noop("cùng thủ tục"),
    "k": gettext_noop("cùng loại bước, toàn tỉnh"),
    "all": gettext_noop("toàn tỉnh"),
    "none": gettext_noop("chưa có lịch sử"),
}


def desk_threshold_expression(desk_ref: str = "desk_id") -> Expression:
    """The risk threshold of the desk `desk_ref` names (its DeskEscalationSetting, else
    IOC_ESCALATION_THRESHOLD), for "at risk" filters: the tab, the column and the wall."""
    own = DeskEscalationSetting.objects.filter(desk_id=OuterRef(desk_ref)).values("threshold")
    return Coalesce(
        Subquery(own[:1]),
        Value(float(settings.IOC_ESCALATION_THRESHOLD)),
        output_field=FloatField(),
    )


def desk_thresholds() -> dict[int, float]:
    """Desks with their own threshold (the others use IOC_ESCALATION_THRESHOLD)."""
    return dict(DeskEscalationSetting.objects.values_list("desk_id", "threshold"))


def at_risk(risk: float, desk_id: int, thresholds: dict[int, float]) -> bool:
    return risk >= thresholds.get(desk_id, settings.IOC_ESCALATION_THRESHOLD)


def reason_text(reason: dict) -> str:
    """One reason of a prediction, in the user's language."""
    code = reason.get("code")
    if code == "similar":
        return _(
            "%(late)s/%(of)s hồ sơ tương tự (%(key)s) còn ở bước này lâu như vậy đã cần nhiều "
            "thời gian hơn số còn lại"
        ) % {
            "late": reason["late"],
            "of": reason["of"],
            "key": _(KEY_LABELS.get(reason["key"], reason["key"])),
        }
    if code == "step":
        return _(
            "Đã nằm ở %(holder)s %(days)s ngày làm việc, lâu hơn 3/4 số hồ sơ trước đây ở bước "
            "này (thường %(usual)s ngày)"
        ) % {
            "holder": reason.get("holder") or "",
            "days": reason["days"],
            "usual": reason["usual"],
        }
    if code == "overdue":
        return _("Đã quá thời hạn giải quyết")
    if code == "elapsed":
        return _("Đã dùng %(percent)s%% thời gian giải quyết") % {"percent": reason["percent"]}
    if code == "supplement":
        return _("Đã yêu cầu bổ sung hồ sơ trong khi xử lý")
    if code == "backlog":
        return _("Bộ phận đang tồn %(count)s hồ sơ (thường %(typical)s)") % reason
    if code == "days_off":
        return _("%(count)s ngày nghỉ trước ngày hẹn") % reason
    return str(reason)


def risk_list(*, scope: StatsScope, now: dt.datetime, limit: int = 50) -> QuerySet[DossierRisk]:
    """Dossiers likely to be late that are not late yet (overdue ones are counted apart)."""
    return (
        DossierRisk.objects.filter(
            scope.desk_q(), risk__gte=desk_threshold_expression(), dossier__due_at__gt=now
        )
        .select_related("dossier__procedure", "desk")
        .order_by("-risk", "dossier__due_at")[:limit]
    )


def desk_risk_list(*, desk_id: int) -> QuerySet[DossierRisk]:
    return (
        DossierRisk.objects.filter(desk_id=desk_id)
        .select_related("dossier__procedure")
        .order_by("-risk", "dossier__due_at")
    )


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def wall_figures(*, scope: StatsScope, now: dt.datetime) -> dict:
    """Everything the wall shows, as plain JSON-ready values."""
    today = timezone.localtime(now).date()
    periods = {
        "today": (today, today),
        "month": (today.replace(day=1), today),
        "year": (today.replace(month=1, day=1), today),
    }
    rates = {}
    for name, (start, end) in periods.items():
        summary = stats_summary(date_from=start, date_to=end, scope=scope)
        rates[name] = {
            level.value: summary["levels"][level]["on_time_rate"] for level in LEVELS
        } | {"total": summary["total"]["on_time_rate"]}
        if name == "year":
            online = summary["total"]["online_rate"]
            satisfaction = summary["total"]["satisfaction_rate"]
    desks = Desk.objects.filter(scope.desk_q(prefix=""), is_active=True).select_related("unit")
    at_risk = Counter(
        DossierRisk.objects.filter(
            scope.desk_q(), risk__gte=desk_threshold_expression(), dossier__due_at__gt=now
        ).values_list("desk_id", flat=True)
    )
    pending = dict(
        Dossier.objects.filter(scope.desk_q(), status__in=PENDING_STATUSES)
        .values("desk_id")
        .annotate(n=Count("pk"))
        .values_list("desk_id", "n")
    )
    overdue = dict(
        Dossier.objects.filter(scope.desk_q(), status__in=PENDING_STATUSES, due_at__lt=now)
        .values("desk_id")
        .annotate(n=Count("pk"))
        .values_list("desk_id", "n")
    )
    waits = dict(
        QueueTicket.objects.filter(scope.desk_q(), day=today, called_at__isnull=False)
        .values("desk_id")
        .annotate(w=Avg(F("called_at") - F("issued_at")))
        .values_list("desk_id", "w")
    )
    districts = dict(
        AdministrativeUnit.objects.filter(level=UnitLevel.DISTRICT).values_list("code", "name")
    )
    desk_rows = []
    for desk in desks:
        wait = waits.get(desk.pk)
        minutes = round(wait.total_seconds() / 60) if wait is not None else None
        state = "late" if overdue.get(desk.pk) else "risk" if at_risk.get(desk.pk) else "ok"
        desk_rows.append(
            {
                "id": desk.pk,
                "name": desk.unit.name,
                "district": districts.get(desk.unit.path.split("/")[1], "")
                if desk.unit.path.count("/")
                else desk.unit.name,
                "level": desk.unit.level,
                "pending": pending.get(desk.pk, 0),
                "at_risk": at_risk.get(desk.pk, 0),
                "overdue": overdue.get(desk.pk, 0),
                "wait_minutes": minutes,
                "state": state,
            }
        )
    risky = [
        {
            "code": r.dossier.code,
            "procedure": r.dossier.procedure.name[:80],
            "desk": r.desk.name,
            "risk": round(r.risk * 100),
            "due": f"{timezone.localtime(r.dossier.due_at):%d/%m/%Y %H:%M}",
            "reason": reason_text(r.reasons[0]) if r.reasons else "",
        }
        for r in risk_list(scope=scope, now=now, limit=20)
    ]
    return {
        "updated": f"{timezone.localtime(now):%H:%M:%S %d/%m/%Y}",
        "on_time": rates,
        "online_rate": online,
        "satisfaction_rate": satisfaction,
        "at_risk": risky,
        "at_risk_total": sum(at_risk.values()),
        "desks_by_wait": sorted(
            (d for d in desk_rows if d["wait_minutes"] is not None),
            key=lambda d: -d["wait_minutes"],
        )[:10],
        "desks_by_risk": sorted(
            (d for d in desk_rows if d["at_risk"]), key=lambda d: -d["at_risk"]
        )[:10],
        "desks": desk_rows,
    }


def open_data_rows(*, group: str) -> list[dict]:
    """On-time, online and satisfaction figures per desk, procedure or month of resolution;
    a figure computed from fewer than MIN_COUNT dossiers (or ratings) is withheld (None)."""
    field = {"desk": "desk__name", "procedure": "procedure__code", "month": "month"}[group]
    resolved = Dossier.objects.filter(outcome__in=[*ON_TIME, DossierOutcome.LATE])
    if group == "month":
        resolved = resolved.annotate(month=TruncMonth("finished_at"))
    good = Q(rating__level__in=[SatisfactionLevel.VERY_SATISFIED, SatisfactionLevel.SATISFIED])
    rows = (
        resolved.values(field)
        .annotate(
            resolved=Count("pk"),
            on_time=Count("pk", filter=Q(outcome__in=ON_TIME)),
            online=Count("pk", filter=Q(channel="online")),
            ratings=Count("rating"),
            good=Count("rating", filter=good),
        )
        .order_by(field)
    )
    out = []
    for row in rows:
        key = row[field]
        small = row["resolved"] < MIN_COUNT
        few_ratings = row["ratings"] < MIN_COUNT
        out.append(
            {
                group: f"{key:%Y-%m}" if group == "month" and key else key,
                "resolved": None if small else row["resolved"],
                "on_time_rate": None if small else _rate(row["on_time"], row["resolved"]),
                "online_rate": None if small else _rate(row["online"], row["resolved"]),
                "satisfaction_rate": None if few_ratings else _rate(row["good"], row["ratings"]),
                "suppressed": small,
            }
        )
    return out
