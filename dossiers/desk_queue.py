"""The clerk's work queue: tabs as provincial one-stop systems have them, counted in one query."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
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


def _tab_q(key: str, *, now: datetime.datetime) -> Q:
    pending = Q(status__in=PENDING_STATUSES)
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
    counts = desk_queue_scope(user=user).aggregate(
        **{key: Count("pk", filter=_tab_q(key, now=now)) for key in TAB_LABELS}
    )
    return [
        QueueTab(key=key, label=str(label), count=counts[key] or 0)
        for key, label in TAB_LABELS.items()
    ]


def desk_queue_list(
    *, user: User, tab: str, now: datetime.datetime, search: str = ""
) -> QuerySet[Dossier]:
    """One tab's dossiers, oldest appointment first; `search` matches code, name or CCCD."""
    dossiers = desk_queue_scope(user=user).select_related("procedure", "current_desk")
    search = search.strip()
    if search:
        dossiers = dossiers.exclude(status=DossierStatus.DRAFT).filter(
            Q(code__icontains=search)
            | Q(applicant_name__icontains=search)
            | Q(applicant_cccd=search)
        )
    else:
        dossiers = dossiers.filter(_tab_q(tab if tab in TAB_LABELS else "online", now=now))
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
