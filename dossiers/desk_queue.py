"""The clerk's work queue: tabs as provincial one-stop systems have them, counted in one query."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from dossiers.hooks import lateness_provider
from dossiers.models import PENDING_STATUSES, Dossier, DossierStatus
from procedures.models import Channel

# How far ahead "sắp đến hạn" looks.
DUE_SOON = datetime.timedelta(days=2)


@dataclass(frozen=True)
class QueueTab:
    key: str
    label: str
    count: int = 0


TAB_LABELS = {
    "online": _("Chờ tiếp nhận trực tuyến"),
    "received": _("Mới tiếp nhận"),
    "processing": _("Đang xử lý"),
    "supplement": _("Chờ bổ sung"),
    "to_return": _("Chờ trả kết quả"),
    "due_soon": _("Sắp đến hạn"),
    "overdue": _("Quá hạn"),
}
# Shown when an app provides the lateness prediction (dossiers.hooks).
AT_RISK_TAB = "at_risk"
AT_RISK_LABEL = _("Có nguy cơ trễ hạn")
# The orders of the list: appointment first (the default) or highest risk first.
ORDERS = ("due", "risk")


def tab_labels() -> dict:
    """The tabs of the queue: the fixed ones, plus "at risk" when the prediction is on."""
    if lateness_provider() is None:
        return TAB_LABELS
    return {**TAB_LABELS, AT_RISK_TAB: AT_RISK_LABEL}


def _tab_q(key: str, *, now: datetime.datetime) -> Q:
    pending = Q(status__in=PENDING_STATUSES)
    provider = lateness_provider()
    if key == AT_RISK_TAB and provider is not None:
        return pending & provider.at_risk()
    return {
        "online": Q(status=DossierStatus.NEW, channel=Channel.ONLINE),
        "received": Q(status=DossierStatus.RECEIVED),
        "processing": Q(
            status__in=(
                DossierStatus.PROCESSING,
                DossierStatus.AWAITING_PAYMENT,
                DossierStatus.WITHDRAWAL_REQUESTED,
            )
        ),
        "supplement": Q(status=DossierStatus.SUPPLEMENT_REQUESTED),
        "to_return": Q(status=DossierStatus.RESOLVED),
        "due_soon": pending & Q(due_at__gte=now, due_at__lt=now + DUE_SOON),
        "overdue": pending & Q(due_at__lt=now),
    }[key]


def desk_queue_scope(*, user: User) -> QuerySet[Dossier]:
    """Dossiers received at, or now held by, the clerk's desk (none without a desk)."""
    if not user.desk_id:
        return Dossier.objects.none()
    return Dossier.objects.filter(Q(desk_id=user.desk_id) | Q(current_desk_id=user.desk_id))


def desk_queue_tabs(*, user: User, now: datetime.datetime) -> list[QueueTab]:
    """Every tab with its count, from one aggregate query."""
    labels = tab_labels()
    counts = desk_queue_scope(user=user).aggregate(
        **{key: Count("pk", filter=_tab_q(key, now=now)) for key in labels}
    )
    return [
        QueueTab(key=key, label=str(label), count=counts[key] or 0) for key, label in labels.items()
    ]


def desk_queue_list(
    *, user: User, tab: str, now: datetime.datetime, search: str = "", order: str = "due"
) -> QuerySet[Dossier]:
    """One tab's dossiers, oldest appointment first (or highest risk first, `order="risk"`);
    `search` matches code, name or CCCD. With the prediction on, each row carries `risk`."""
    dossiers = desk_queue_scope(user=user).select_related("procedure", "current_desk")
    provider = lateness_provider()
    if provider is not None:
        dossiers = dossiers.annotate(risk=provider.risk())
    else:
        order = "due"
    search = search.strip()
    if search:
        dossiers = dossiers.exclude(status=DossierStatus.DRAFT).filter(
            Q(code__icontains=search)
            | Q(applicant_name__icontains=search)
            | Q(applicant_cccd=search)
        )
    else:
        dossiers = dossiers.filter(_tab_q(tab if tab in tab_labels() else "online", now=now))
    if order == "risk":
        return dossiers.order_by(F("risk").desc(nulls_last=True), "due_at", "pk")
    return dossiers.order_by("due_at", "submitted_at", "pk")


def desk_tracking_book(
    *, desk_id: int, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[Dossier]:
    """Mẫu 06: dossiers received by the desk within [start, end), in reception order."""
    return (
        Dossier.objects.filter(desk_id=desk_id, received_at__gte=start, received_at__lt=end)
        .select_related("procedure", "desk", "handling_agency")
        .order_by("received_at", "pk")
    )
