"""Reads of feedback: lookup by code, the public page, staff lists, reminders, leaders' figures."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from feedback.models import (
    Feedback,
    FeedbackOutcome,
    FeedbackReminderKind,
    FeedbackStatus,
)
from onestop.models import AdministrativeUnit, Agency, Desk
from onestop.rate_limit import rate_count, rate_hit

LOOKUP_CODE_BLOCKED = _(
    "Mã phản ánh này đã bị tra cứu sai quá nhiều lần. Vui lòng thử lại sau một giờ."
)
# How far ahead the reminder scan looks for deadlines (the exact "one working day" test is
# reminder_kind_applies, per desk); how far back it catches overdue ones missed by an outage.
_SOON_HORIZON = dt.timedelta(days=7)


def feedback_lookup(*, code: str, verifier: str) -> Feedback | None:
    """The feedback with this code whose sender's phone ends with `verifier` (4 digits)."""
    verifier = (verifier or "").strip()
    if len(verifier) != 4 or not (verifier.isdigit() and verifier.isascii()):
        return None
    feedback = (
        Feedback.objects.select_related("desk", "agency", "procedure")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if feedback is None or not feedback.sender_phone.endswith(verifier):
        return None
    return feedback


def _code_key(code: str) -> str:
    canonical = (code or "").strip().upper()
    return "feedback:lookup-code:" + hashlib.sha256(canonical.encode()).hexdigest()


def feedback_lookup_limited(*, code: str, verifier: str) -> tuple[Feedback | None, bool]:
    """(feedback or None, refused because the code is over its limit): the same per-code limit
    as the dossier lookup (LOOKUP_CODE_FAILURE_LIMIT wrong verifiers per window, unknown codes
    counted alike)."""
    key = _code_key(code)
    failures = rate_count(key)
    if failures is not None and failures >= settings.LOOKUP_CODE_FAILURE_LIMIT:
        return None, True
    found = feedback_lookup(code=code, verifier=verifier)
    if found is None:
        rate_hit(key, window=settings.LOOKUP_CODE_WINDOW_SECONDS)
    return found, False


def feedback_public_list() -> QuerySet[Feedback]:
    """Answers published with the sender's agreement, newest first (no personal data shown)."""
    return (
        Feedback.objects.filter(
            published_at__isnull=False, is_public=True, status=FeedbackStatus.ANSWERED
        )
        .select_related("desk", "agency", "procedure")
        .order_by("-published_at", "-id")
    )


def feedback_staff_scope_q(*, user: User) -> Q | None:
    """Which feedback a staff member sees: a specialist their agency's (and their desk's);
    clerks and desk heads their desk's, routed to an agency or not; a leader their units'
    (by desk or by agency); admins all. None: none at all."""
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    if user.role == Role.LEADER and user.unit_id:
        return user.unit.subtree_q("desk__unit__") | user.unit.subtree_q("agency__unit__")
    scope = None
    if user.role == Role.SPECIALIST and user.agency_id:
        scope = Q(agency_id=user.agency_id)
    if user.role in (Role.CLERK, Role.DESK_HEAD, Role.SPECIALIST) and user.desk_id:
        desk = Q(desk_id=user.desk_id)
        scope = desk if scope is None else scope | desk
    return scope


def feedback_sender_list(*, user: User) -> QuerySet[Feedback]:
    """What a signed-in person sent (while signed in), newest first."""
    if not user.is_authenticated:
        return Feedback.objects.none()
    return (
        Feedback.objects.filter(sender=user)
        .select_related("desk", "agency", "procedure")
        .order_by("-received_at", "-id")
    )


def feedback_staff_list(*, user: User, status: str = "") -> QuerySet[Feedback]:
    scope = feedback_staff_scope_q(user=user)
    if scope is None:
        return Feedback.objects.none()
    items = Feedback.objects.filter(scope).select_related("desk", "agency", "procedure")
    if status in FeedbackStatus.values:
        items = items.filter(status=status)
    return items.order_by("status", "due_at", "id")


def feedback_reminder_candidates(*, now: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
    """(feedback id, kind, due_at) of unanswered feedback near or past its deadline; the
    services decide per item and record each reminder once."""
    rows = Feedback.objects.filter(
        status=FeedbackStatus.RECEIVED,
        due_at__gte=now - dt.timedelta(days=settings.REMINDER_CATCHUP_DAYS),
        due_at__lte=now + _SOON_HORIZON,
    ).values_list("pk", "due_at")
    return [
        (
            pk,
            FeedbackReminderKind.OVERDUE if due_at < now else FeedbackReminderKind.DUE_SOON,
            due_at,
        )
        for pk, due_at in rows
    ]


@dataclass(frozen=True)
class DeskFigures:
    desk: Desk
    received: int
    answered_on_time: int
    answered_late: int
    pending: int
    pending_overdue: int

    @property
    def on_time_rate(self) -> float | None:
        answered = self.answered_on_time + self.answered_late
        return round(100 * self.answered_on_time / answered, 1) if answered else None


def feedback_figures_by_desk(
    *,
    root: AdministrativeUnit | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
) -> list[DeskFigures]:
    """Per desk (each unit's one-stop agency): feedback received in the period, answered on time
    or late, still pending and pending past the deadline. One query."""
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    in_period = Q(feedback__received_at__gte=start, feedback__received_at__lt=end)
    desks = Desk.objects.select_related("unit")
    if root is not None:
        desks = desks.filter(root.subtree_q("unit__"))
    desks = desks.annotate(
        received=Count("feedback", filter=in_period),
        on_time=Count("feedback", filter=in_period & Q(feedback__outcome=FeedbackOutcome.ON_TIME)),
        late=Count("feedback", filter=in_period & Q(feedback__outcome=FeedbackOutcome.LATE)),
        pending=Count("feedback", filter=in_period & Q(feedback__status=FeedbackStatus.RECEIVED)),
        overdue=Count(
            "feedback",
            filter=in_period
            & Q(feedback__status=FeedbackStatus.RECEIVED, feedback__due_at__lt=now),
        ),
    ).filter(received__gt=0)
    return [
        DeskFigures(
            desk=desk,
            received=desk.received,
            answered_on_time=desk.on_time,
            answered_late=desk.late,
            pending=desk.pending,
            pending_overdue=desk.overdue,
        )
        for desk in desks.order_by("unit__path")
    ]


@dataclass(frozen=True)
class AgencyFigures:
    """One answering body's figures: an agency, or a desk answering what no agency took."""

    name: str
    unit_name: str
    kind: str  # "agency" or "desk"
    pk: int
    received: int
    answered_on_time: int
    answered_late: int
    pending: int
    pending_overdue: int

    @property
    def on_time_rate(self) -> float | None:
        answered = self.answered_on_time + self.answered_late
        return round(100 * self.answered_on_time / answered, 1) if answered else None


def _figures(queryset, *, relation: str, extra: Q, start, end, now) -> QuerySet:
    in_period = (
        Q(**{f"{relation}__received_at__gte": start, f"{relation}__received_at__lt": end}) & extra
    )
    return queryset.annotate(
        received=Count(relation, filter=in_period),
        on_time=Count(
            relation, filter=in_period & Q(**{f"{relation}__outcome": FeedbackOutcome.ON_TIME})
        ),
        late=Count(
            relation, filter=in_period & Q(**{f"{relation}__outcome": FeedbackOutcome.LATE})
        ),
        pending=Count(
            relation, filter=in_period & Q(**{f"{relation}__status": FeedbackStatus.RECEIVED})
        ),
        overdue=Count(
            relation,
            filter=in_period
            & Q(**{f"{relation}__status": FeedbackStatus.RECEIVED, f"{relation}__due_at__lt": now}),
        ),
    ).filter(received__gt=0)


def feedback_figures_by_agency(
    *,
    root: AdministrativeUnit | None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
) -> list[AgencyFigures]:
    """Per answering agency in the leader's units (root and below; None: all): feedback received
    in the period, answered on time or late, still pending, pending past the deadline. Feedback
    no agency answers counts for its desk. Two queries."""
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    agencies = Agency.objects.select_related("unit")
    desks = Desk.objects.select_related("unit")
    if root is not None:
        agencies = agencies.filter(root.subtree_q("unit__"))
        desks = desks.filter(root.subtree_q("unit__"))
    rows = [
        (
            agency.unit.path,
            AgencyFigures(
                name=agency.name,
                unit_name=agency.unit.name,
                kind="agency",
                pk=agency.pk,
                received=agency.received,
                answered_on_time=agency.on_time,
                answered_late=agency.late,
                pending=agency.pending,
                pending_overdue=agency.overdue,
            ),
        )
        for agency in _figures(
            agencies, relation="feedback", extra=Q(), start=start, end=end, now=now
        )
    ]
    rows += [
        (
            desk.unit.path,
            AgencyFigures(
                name=desk.name,
                unit_name=desk.unit.name,
                kind="desk",
                pk=desk.pk,
                received=desk.received,
                answered_on_time=desk.on_time,
                answered_late=desk.late,
                pending=desk.pending,
                pending_overdue=desk.overdue,
            ),
        )
        for desk in _figures(
            desks,
            relation="feedback",
            extra=Q(feedback__agency__isnull=True),
            start=start,
            end=end,
            now=now,
        )
    ]
    rows.sort(key=lambda item: (item[0], item[1].kind != "desk", item[1].name))
    return [row for _path, row in rows]


def feedback_answer_totals(
    *, root: AdministrativeUnit | None, date_from: dt.date, date_to: dt.date
) -> tuple[int, int]:
    """(answered on time, answered) of the feedback received in the period whose desk or agency
    is in root's subtree (None: all): the leaders' dashboard figure. One query."""
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min))
    items = Feedback.objects.filter(received_at__gte=start, received_at__lt=end)
    if root is not None:
        items = items.filter(root.subtree_q("desk__unit__") | root.subtree_q("agency__unit__"))
    totals = items.aggregate(
        on_time=Count("pk", filter=Q(outcome=FeedbackOutcome.ON_TIME)),
        answered=Count("pk", filter=Q(status=FeedbackStatus.ANSWERED)),
    )
    return totals["on_time"], totals["answered"]
