"""The desk-floor demo seed: groups, counters, a realistic day of tickets; idempotent."""

import io

import pytest

from onestop import seed_queue
from onestop.models import Counter, CounterRating, QueueTicket, ServiceGroup, TicketStatus
from onestop.selectors import board_state
from onestop.services import ticket_issue
from tests.onestop.queue_builders import make_three_level_desks, vn_time

pytestmark = pytest.mark.django_db


def test_seed_queue_maps_groups_to_counters_by_name_when_counters_are_named():
    _, _, commune_desk = make_three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    served = {
        g.prefix: sorted(g.counters.values_list("number", flat=True))
        for g in commune_desk.service_groups.all()
    }
    assert served == {"A": [1, 3], "B": [1, 3], "C": [2, 3], "D": [2, 3], "R": [3]}


def test_seed_queue_creates_groups_counters_and_a_busy_morning_when_run_at_ten():
    province_desk, _, commune_desk = make_three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    assert province_desk.counters.count() == 8
    assert list(commune_desk.service_groups.values_list("prefix", flat=True)) == [
        "A",
        "B",
        "C",
        "D",
        "R",
    ]
    assert all(g.counters.exists() for g in ServiceGroup.objects.all())
    today = QueueTicket.objects.filter(desk=province_desk, day=vn_time(10).date())
    assert today.filter(status=TicketStatus.SERVED).exists()
    assert today.filter(status=TicketStatus.CALLED).exists()
    assert not today.filter(issued_at__gt=vn_time(10)).exists()
    past = QueueTicket.objects.filter(desk=province_desk).exclude(day=vn_time(10).date())
    assert past.values("day").distinct().count() == seed_queue.PAST_DAYS
    assert not past.filter(status__in=[TicketStatus.WAITING, TicketStatus.CALLED]).exists()
    assert CounterRating.objects.exists()
    state = board_state(desk=province_desk, now=vn_time(10))
    assert any(c["ticket"] for c in state["counters"])


def test_seed_queue_changes_nothing_when_run_twice():
    make_three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    counts = (Counter.objects.count(), ServiceGroup.objects.count(), QueueTicket.objects.count())
    seed_queue.run(io.StringIO(), now=vn_time(10))
    assert (
        Counter.objects.count(),
        ServiceGroup.objects.count(),
        QueueTicket.objects.count(),
    ) == counts


def test_seed_queue_continues_numbering_when_kiosk_issues_after_seed():
    province_desk, _, _ = make_three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    group = province_desk.service_groups.get(prefix="B")
    last = QueueTicket.objects.filter(group=group, day=vn_time(10).date()).count()
    ticket = ticket_issue(desk_id=province_desk.pk, group_id=group.pk, now=vn_time(10, 1))
    assert ticket.number == last + 1
