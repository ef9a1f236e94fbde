"""Writes on the desk floor: issuing, calling and closing queue tickets, counter ratings.

Concurrency: issuing locks the (group, day) sequence row, so two kiosks never hand out the same
number; calling locks the counter row and takes the oldest waiting ticket with SKIP LOCKED, so
two counters calling at once never get the same ticket.
"""

import datetime
import re
import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onestop import hooks
from onestop.models import (
    Counter,
    CounterRating,
    QueueTicket,
    SatisfactionLevel,
    ServiceGroup,
    TicketSequence,
    TicketStatus,
)

CCCD_RE = re.compile(r"[0-9]{12}")  # not \d: it matches non-ASCII digits too


class QueueError(Exception):
    """A floor action refused, with a message for the person at the kiosk or counter."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class QueueInvalid(QueueError):
    """The input is wrong (HTTP 400)."""


class QueueConflict(QueueError):
    """The action does not fit the current state: nothing to call, wrong status (HTTP 409)."""


def rating_window() -> datetime.timedelta:
    """How long after being served a visitor may still rate the counter."""
    return datetime.timedelta(minutes=getattr(settings, "QUEUE_RATING_WINDOW_MINUTES", 30))


def ticket_code(*, prefix: str, number: int) -> str:
    """Display code: prefix and at least three digits, e.g. A015."""
    return f"{prefix}{number:03d}"


@transaction.atomic
def ticket_issue(
    *, desk_id: int, group_id: int, now: datetime.datetime, cccd: str = ""
) -> QueueTicket:
    """Issue the next number of the group for the local day (Asia/Ho_Chi_Minh)."""
    cccd = (cccd or "").strip()
    if cccd and not CCCD_RE.fullmatch(cccd):
        raise QueueInvalid(_("Số CCCD phải gồm đúng 12 chữ số."))
    group = ServiceGroup.objects.filter(
        pk=group_id, desk_id=desk_id, is_active=True, desk__is_active=True
    ).first()
    if group is None:
        raise QueueInvalid(_("Nhóm dịch vụ không có tại bộ phận một cửa này."))
    day = timezone.localdate(now)
    TicketSequence.objects.get_or_create(group=group, day=day)
    sequence = TicketSequence.objects.select_for_update().get(group=group, day=day)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return QueueTicket.objects.create(
        desk_id=desk_id,
        group=group,
        day=day,
        number=sequence.last_number,
        code=ticket_code(prefix=group.prefix, number=sequence.last_number),
        cccd=cccd,
        issued_at=now,
    )


def _lock_counter(counter_id: int) -> Counter:
    counter = Counter.objects.select_for_update().filter(pk=counter_id).first()
    if counter is None or not counter.is_active:
        raise QueueInvalid(_("Quầy không tồn tại hoặc đã ngừng hoạt động."))
    return counter


def _current_ticket(counter: Counter) -> QueueTicket | None:
    return (
        QueueTicket.objects.select_for_update()
        .filter(counter=counter, status=TicketStatus.CALLED)
        .order_by("-called_at", "-id")
        .first()
    )


def _require_current_ticket(counter: Counter) -> QueueTicket:
    ticket = _current_ticket(counter)
    if ticket is None:
        raise QueueConflict(_("Quầy chưa gọi số nào."))
    return ticket


@transaction.atomic
def ticket_call_next(
    *, counter_id: int, actor: AbstractBaseUser | None, now: datetime.datetime
) -> QueueTicket:
    """Call the oldest waiting ticket of today among the groups the counter serves."""
    counter = _lock_counter(counter_id)
    current = _current_ticket(counter)
    if current is not None:
        raise QueueConflict(
            _("Quầy đang phục vụ số %(code)s: hãy ghi nhận đã phục vụ xong hoặc vắng mặt trước.")
            % {"code": current.code}
        )
    group_ids = list(counter.service_groups.filter(is_active=True).values_list("id", flat=True))
    if not group_ids:
        raise QueueConflict(_("Quầy chưa được gán nhóm dịch vụ nào."))
    ticket = (
        QueueTicket.objects.select_for_update(skip_locked=True)
        .filter(
            desk_id=counter.desk_id,
            day=timezone.localdate(now),
            status=TicketStatus.WAITING,
            group_id__in=group_ids,
        )
        .order_by("issued_at", "id")
        .first()
    )
    if ticket is None:
        raise QueueConflict(_("Không còn ai đang chờ ở các nhóm dịch vụ của quầy này."))
    ticket.call(counter=counter, by=actor, at=now)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_recall(*, counter_id: int, now: datetime.datetime) -> QueueTicket:
    """Call the counter's current ticket again (the board flashes it once more)."""
    ticket = _require_current_ticket(_lock_counter(counter_id))
    ticket.recall(at=now)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_serve(*, counter_id: int, now: datetime.datetime) -> QueueTicket:
    """Close the counter's current ticket as served."""
    ticket = _require_current_ticket(_lock_counter(counter_id))
    ticket.serve(at=now)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_no_show(*, counter_id: int, now: datetime.datetime) -> QueueTicket:
    """Close the counter's current ticket: the visitor did not come."""
    ticket = _require_current_ticket(_lock_counter(counter_id))
    ticket.mark_no_show(at=now)
    ticket.save()
    return ticket


@transaction.atomic
def ticket_link_dossier(*, ticket_id: int, dossier_code: str) -> QueueTicket:
    """Record the dossier received for a called or served ticket; it must be from the same desk."""
    ticket = QueueTicket.objects.select_for_update().filter(pk=ticket_id).first()
    if ticket is None:
        raise QueueInvalid(_("Không tìm thấy số thứ tự."))
    if ticket.status not in (TicketStatus.CALLED, TicketStatus.SERVED):
        raise QueueConflict(_("Chỉ gắn hồ sơ cho số đang phục vụ hoặc đã phục vụ."))
    try:
        ticket.dossier_code = hooks.dossier_code_check(desk_id=ticket.desk_id, code=dossier_code)
    except hooks.DossierCodeInvalid as exc:
        raise QueueInvalid(exc.message) from exc
    ticket.save(update_fields=["dossier_code"])
    return ticket


@transaction.atomic
def counter_rate(
    *, ticket_id: int, secret: str, level: str, now: datetime.datetime
) -> CounterRating:
    """Record the visitor's satisfaction with the counter that served the ticket, once.

    `secret` is the rating code printed on the ticket; a wrong one answers like an unknown
    ticket."""
    if level not in SatisfactionLevel.values:
        raise QueueInvalid(_("Mức độ hài lòng không hợp lệ."))
    ticket = QueueTicket.objects.select_for_update().filter(pk=ticket_id).first()
    given = (secret or "").strip().upper().replace("-", "").replace(" ", "")
    if ticket is None or not secrets.compare_digest(given.encode(), ticket.rating_secret.encode()):
        raise QueueInvalid(_("Không tìm thấy số thứ tự hoặc mã đánh giá in trên phiếu không đúng."))
    if ticket.status != TicketStatus.SERVED or ticket.counter_id is None:
        raise QueueConflict(_("Chỉ đánh giá sau khi đã được phục vụ tại quầy."))
    if ticket.served_at < now - rating_window():
        raise QueueConflict(_("Đã hết thời gian đánh giá cho số này."))
    if CounterRating.objects.filter(ticket=ticket).exists():
        raise QueueConflict(_("Số này đã được đánh giá. Xin cảm ơn!"))
    try:
        with transaction.atomic():
            return CounterRating.objects.create(
                ticket=ticket, counter_id=ticket.counter_id, level=level, created_at=now
            )
    except IntegrityError as exc:
        raise QueueConflict(_("Số này đã được đánh giá. Xin cảm ơn!")) from exc
