"""The desk-floor demo seed: groups, counters, a realistic day of tickets; idempotent."""

import io

import pytest

from dossiers.models import DossierStatus
from onestop import seed_queue
from onestop.models import Counter, CounterRating, QueueTicket, ServiceGroup, TicketStatus
from onestop.selectors import board_state
from onestop.services import ticket_issue
from procedures.models import Channel
from tests.factories import make_desk, make_dossier, make_unit
from tests.onestop.queue_builders import vn_time

pytestmark = pytest.mark.django_db


def _three_level_desks():
    """Desks as onestop.seed_desks names their counters; the province desk has none yet."""
    province = make_unit(code="77")
    district = make_unit(parent=province, code="747")
    commune = make_unit(parent=district, code="26506")
    province_desk = make_desk(unit=province)
    province_desk.counters.all().delete()
    commune_desk = make_desk(unit=commune)
    commune_desk.counters.filter(number=1).update(name="Quầy 1 - Tư pháp - Hộ tịch, chứng thực")
    Counter.objects.create(
        desk=commune_desk, number=2, name="Quầy 2 - Đất đai, xây dựng và lĩnh vực khác"
    )
    Counter.objects.create(desk=commune_desk, number=3, name="Quầy 3")
    return province_desk, make_desk(unit=district), commune_desk


def test_seed_queue_maps_groups_to_counters_by_name_when_counters_are_named():
    _, _, commune_desk = _three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    served = {
        g.prefix: sorted(g.counters.values_list("number", flat=True))
        for g in commune_desk.service_groups.all()
    }
    assert served == {"A": [1, 3], "B": [1, 3], "C": [2, 3], "D": [2, 3], "R": [3]}


def test_seed_queue_creates_groups_counters_and_a_busy_morning_when_run_at_ten():
    province_desk, _, commune_desk = _three_level_desks()
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
    _three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    counts = (Counter.objects.count(), ServiceGroup.objects.count(), QueueTicket.objects.count())
    seed_queue.run(io.StringIO(), now=vn_time(10))
    assert (
        Counter.objects.count(),
        ServiceGroup.objects.count(),
        QueueTicket.objects.count(),
    ) == counts


def test_seed_queue_continues_numbering_when_kiosk_issues_after_seed():
    province_desk, _, _ = _three_level_desks()
    seed_queue.run(io.StringIO(), now=vn_time(10))
    group = province_desk.service_groups.get(prefix="B")
    last = QueueTicket.objects.filter(group=group, day=vn_time(10).date()).count()
    ticket = ticket_issue(desk_id=province_desk.pk, group_id=group.pk, now=vn_time(10, 1))
    assert ticket.number == last + 1


def test_seed_queue_links_direct_dossiers_of_the_day_when_dossiers_exist():
    province_desk, _, _ = _three_level_desks()
    received = vn_time(9, day=24)
    dossier = make_dossier(
        desk=province_desk,
        channel=Channel.DIRECT,
        status=DossierStatus.RECEIVED,
        received_at=received,
    )
    seed_queue.run(io.StringIO(), now=vn_time(10))
    ticket = QueueTicket.objects.get(dossier=dossier)
    assert (ticket.day, ticket.status) == (received.date(), TicketStatus.SERVED)
