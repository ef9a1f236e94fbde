"""Reads on the desk floor: board state, counter state, kiosk lists, queue figures."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from onestop.models import Counter, Desk, QueueTicket, SatisfactionLevel, ServiceGroup, TicketStatus
from onestop.permissions import OPERATE_DESK, VIEW_DESK_FIGURES
from onestop.services.queue import rating_window

BOARD_WAITING_LIMIT = 10


def desk_operable_by(*, user: AbstractBaseUser | AnonymousUser, desk_id: int) -> bool:
    """Clerks and the head of a desk operate its counters; administrators anywhere."""
    return user.has_perm(OPERATE_DESK, Desk(pk=desk_id))


def counter_operable_by(*, user: AbstractBaseUser | AnonymousUser, counter: Counter) -> bool:
    return desk_operable_by(user=user, desk_id=counter.desk_id)


def desk_figures_visible_to(*, user: AbstractBaseUser | AnonymousUser, desk: Desk) -> bool:
    """The desk's head, leaders of its unit or a unit above it, and administrators."""
    return user.has_perm(VIEW_DESK_FIGURES, desk)


def desk_floor_visible_to(*, user: AbstractBaseUser | AnonymousUser, desk: Desk) -> bool:
    """The floor's device list: the desk's own staff, plus whoever may see its figures."""
    return desk_operable_by(user=user, desk_id=desk.pk) or desk_figures_visible_to(
        user=user, desk=desk
    )


def desk_get_active(*, desk_id: int) -> Desk | None:
    return Desk.objects.select_related("unit").filter(pk=desk_id, is_active=True).first()


def counter_get(*, counter_id: int) -> Counter | None:
    return Counter.objects.select_related("desk", "desk__unit").filter(pk=counter_id).first()


def counter_list(*, desk_id: int) -> list[Counter]:
    """Active counters of a desk with the groups they serve."""
    return list(
        Counter.objects.filter(desk_id=desk_id, is_active=True)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "service_groups",
                queryset=ServiceGroup.objects.filter(is_active=True).order_by(
                    "sort_order", "prefix"
                ),
            )
        )
    )


def service_group_list(*, desk_id: int, day: datetime.date) -> list[ServiceGroup]:
    """Active groups of a desk, each annotated with `waiting`: tickets still waiting that day."""
    return list(
        ServiceGroup.objects.filter(desk_id=desk_id, is_active=True)
        .annotate(
            waiting=Count(
                "tickets",
                filter=Q(tickets__day=day, tickets__status=TicketStatus.WAITING),
            )
        )
        .order_by("sort_order", "prefix")
    )


def ticket_get(*, ticket_id: int) -> QueueTicket | None:
    return (
        QueueTicket.objects.select_related("group", "desk", "counter").filter(pk=ticket_id).first()
    )


def ticket_ahead_count(*, ticket: QueueTicket) -> int:
    """Tickets of the same group and day still waiting before this one."""
    return QueueTicket.objects.filter(
        group_id=ticket.group_id,
        day=ticket.day,
        status=TicketStatus.WAITING,
        number__lt=ticket.number,
    ).count()


def _ticket_payload(ticket: QueueTicket) -> dict:
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "group": ticket.group.prefix,
        "group_name": ticket.group.name,
        "status": ticket.status,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "last_called_at": ticket.last_called_at.isoformat() if ticket.last_called_at else None,
        "recall_count": ticket.recall_count,
    }


def board_state(
    *, desk: Desk, now: datetime.datetime, waiting_limit: int = BOARD_WAITING_LIMIT
) -> dict:
    """What the display board shows: the number at each counter and the next waiting ones."""
    day = timezone.localdate(now)
    counters = list(
        Counter.objects.filter(desk=desk, is_active=True)
        .order_by("number")
        .prefetch_related(
            Prefetch(
                "service_groups",
                queryset=ServiceGroup.objects.filter(is_active=True).order_by(
                    "sort_order", "prefix"
                ),
            )
        )
    )
    current = {
        t.counter_id: t
        for t in QueueTicket.objects.select_related("group")
        .filter(desk=desk, day=day, status=TicketStatus.CALLED)
        .order_by("called_at", "id")
    }
    waiting = list(
        QueueTicket.objects.select_related("group")
        .filter(desk=desk, day=day, status=TicketStatus.WAITING)
        .order_by("issued_at", "id")[:waiting_limit]
    )
    groups = service_group_list(desk_id=desk.pk, day=day)
    return {
        "desk": {"id": desk.pk, "name": desk.name},
        "day": day.isoformat(),
        "generated_at": now.isoformat(),
        "counters": [
            {
                "id": c.pk,
                "number": c.number,
                "name": c.name,
                "groups": [g.prefix for g in c.service_groups.all()],
                "ticket": _ticket_payload(current[c.pk]) if c.pk in current else None,
            }
            for c in counters
        ],
        "waiting": [_ticket_payload(t) for t in waiting],
        "waiting_by_group": [
            {"id": g.pk, "prefix": g.prefix, "name": g.name, "waiting": g.waiting} for g in groups
        ],
        "waiting_total": sum(g.waiting for g in groups),
    }


def counter_state(*, counter: Counter, now: datetime.datetime) -> dict:
    """The clerk's view of a counter: current ticket, waiting per served group, recent tickets."""
    day = timezone.localdate(now)
    current = (
        QueueTicket.objects.select_related("group")
        .filter(counter=counter, status=TicketStatus.CALLED)
        .order_by("-called_at", "-id")
        .first()
    )
    served_group_ids = set(counter.service_groups.values_list("id", flat=True))
    groups = [g for g in service_group_list(desk_id=counter.desk_id, day=day)]
    recent = list(
        QueueTicket.objects.select_related("group", "rating")
        .filter(counter=counter, day=day)
        .exclude(status=TicketStatus.CALLED)
        .order_by("-called_at", "-id")[:8]
    )
    return {
        "current": current,
        "groups": [g for g in groups if g.pk in served_group_ids],
        "other_groups": [g for g in groups if g.pk not in served_group_ids],
        "waiting_for_counter": sum(g.waiting for g in groups if g.pk in served_group_ids),
        "recent": recent,
    }


def counter_rating_pending(*, counter: Counter, now: datetime.datetime) -> QueueTicket | None:
    """The ticket last served at the counter, if it is still unrated and within the window."""
    last = (
        QueueTicket.objects.select_related("group", "rating")
        .filter(counter=counter, status=TicketStatus.SERVED)
        .order_by("-served_at", "-id")
        .first()
    )
    if last is None or last.served_at < now - rating_window() or hasattr(last, "rating"):
        return None
    return last


def _wait() -> ExpressionWrapper:
    return ExpressionWrapper(F("called_at") - F("issued_at"), output_field=DurationField())


def _service() -> ExpressionWrapper:
    return ExpressionWrapper(F("served_at") - F("called_at"), output_field=DurationField())


def _aggregates() -> dict:
    called = Q(called_at__isnull=False)
    served = Q(status=TicketStatus.SERVED)
    aggregates = {
        "issued": Count("id"),
        "waiting": Count("id", filter=Q(status=TicketStatus.WAITING)),
        "served": Count("id", filter=served),
        "no_show": Count("id", filter=Q(status=TicketStatus.NO_SHOW)),
        "avg_wait": Avg(_wait(), filter=called),
        "max_wait": Max(_wait(), filter=called),
        "avg_service": Avg(_service(), filter=served),
        "linked_dossiers": Count("id", filter=~Q(dossier_code="")),
    }
    for level in SatisfactionLevel.values:
        aggregates[f"rating_{level}"] = Count("id", filter=Q(rating__level=level))
    return aggregates


def _seconds(value: datetime.timedelta | None) -> int | None:
    return None if value is None else round(value.total_seconds())


def _figures_row(row: dict) -> dict:
    result = dict(row)
    for key in ("avg_wait", "max_wait", "avg_service"):
        result[f"{key}_seconds"] = _seconds(result.pop(key))
    result["ratings"] = {level: result.pop(f"rating_{level}") for level in SatisfactionLevel.values}
    return result


def queue_figures(
    *,
    desk_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    by_day: bool = False,
) -> dict:
    """Queue figures per desk (and per day with `by_day`) between two local days, inclusive.

    Returns {"rows": [...], "totals": {...}}; each has issued, waiting, served, no_show,
    avg_wait_seconds, max_wait_seconds (issue to first call), avg_service_seconds (call to
    served), linked_dossiers and ratings {level: count}. Desks without tickets are left out.
    """
    if not isinstance(desk_ids, QuerySet):
        desk_ids = list(desk_ids)  # a generator would be spent by the first of the two queries
    tickets = QueueTicket.objects.filter(desk_id__in=desk_ids, day__range=(start, end))
    keys = ["desk_id", "desk__name", "day"] if by_day else ["desk_id", "desk__name"]
    rows = [
        _figures_row(row) for row in tickets.values(*keys).annotate(**_aggregates()).order_by(*keys)
    ]
    for row in rows:
        row["desk_name"] = row.pop("desk__name")
    return {"rows": rows, "totals": _figures_row(tickets.aggregate(**_aggregates()))}


def queue_figures_breakdown(*, desk_id: int, day: datetime.date) -> dict:
    """One desk's day: figures per service group and per counter."""
    tickets = QueueTicket.objects.filter(desk_id=desk_id, day=day)
    by_group = [
        _figures_row(row)
        for row in tickets.values("group__prefix", "group__name")
        .annotate(**_aggregates())
        .order_by("group__prefix")
    ]
    by_counter = [
        _figures_row(row)
        for row in tickets.filter(counter__isnull=False)
        .values("counter__number", "counter__name")
        .annotate(**_aggregates())
        .order_by("counter__number")
    ]
    return {"by_group": by_group, "by_counter": by_counter}
