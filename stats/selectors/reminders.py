"""Reads behind staff notifications and the deadline reminder scan."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone

from dossiers.deadlines import WorkCalendar
from dossiers.models import CalendarDay, CalendarDayKind, Dossier
from dossiers.models.dossier import PENDING_STATUSES
from stats.models import Notification, ReminderKind, ReminderLog
from stats.selectors.figures import local_bounds


def notification_list(*, user_id: int, limit: int = 50) -> QuerySet[Notification]:
    """A staff member's latest notifications, unread first."""
    return (
        Notification.objects.filter(recipient_id=user_id)
        .select_related("dossier")
        .order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")[:limit]
    )


def notification_unread_count(*, user_id: int) -> int:
    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


def work_calendar(*, first: dt.date, last: dt.date) -> WorkCalendar:
    """The working-day calendar (law plus the editable CalendarDay rows) for [first, last]."""
    rows = CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list(
        "date", "kind", "name"
    )
    off = {day: name for day, kind, name in rows if kind == CalendarDayKind.DAY_OFF}
    working = {day: name for day, kind, name in rows if kind == CalendarDayKind.WORKING_DAY}
    return WorkCalendar(extra_days_off=off, extra_working_days=working)


def next_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    candidate = day + dt.timedelta(days=1)
    while not calendar.is_working_day(candidate):
        candidate += dt.timedelta(days=1)
    return candidate


def reminder_scan_queryset(*, now: dt.datetime) -> QuerySet:
    """(pk, due_at) of the open dossiers whose appointment lies between now minus the catch-up
    window and the end of the next working day: a range scan of the partial index
    dossier_open_due_idx, so the cost follows the dossiers near their deadline."""
    today = timezone.localtime(now).date()
    calendar = work_calendar(first=today, last=today + dt.timedelta(days=31))
    tomorrow = next_working_day(today, calendar)
    _start, horizon = local_bounds(tomorrow, tomorrow)
    since = now - dt.timedelta(days=settings.REMINDER_CATCHUP_DAYS)
    return (
        Dossier.objects.filter(status__in=PENDING_STATUSES, due_at__gte=since, due_at__lt=horizon)
        .order_by()
        .values_list("pk", "due_at")
    )


def reminder_candidates(*, now: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
    """(dossier id, kind, due_at) of the reminders due now and not yet sent (three queries:
    the calendar, the scan, the reminders already sent)."""
    rows = list(reminder_scan_queryset(now=now))
    if not rows:
        return []
    since = now - dt.timedelta(days=settings.REMINDER_CATCHUP_DAYS)
    today = timezone.localtime(now).date()
    sent = set(
        ReminderLog.objects.filter(
            dossier_id__in=[pk for pk, _due in rows], due_at__gte=since
        ).values_list("dossier_id", "kind", "due_at")
    )
    candidates = []
    for pk, due_at in rows:
        if due_at < now:
            kind = ReminderKind.OVERDUE
        elif timezone.localtime(due_at).date() == today:
            kind = ReminderKind.DUE_TODAY
        else:
            kind = ReminderKind.DUE_SOON
        if (pk, kind.value, due_at) not in sent:
            candidates.append((pk, kind.value, due_at))
    return candidates
