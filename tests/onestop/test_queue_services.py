"""Services of the desk floor: issuing, calling, closing, linking and rating tickets."""

import datetime

import pytest

from onestop.models import CounterRating, QueueTicket, TicketSequence, TicketStatus
from onestop.services import (
    QueueConflict,
    QueueInvalid,
    counter_rate,
    ticket_call_next,
    ticket_issue,
    ticket_link_dossier,
    ticket_no_show,
    ticket_recall,
    ticket_serve,
)
from tests.factories import make_desk, make_dossier
from tests.onestop.queue_builders import make_clerk, make_floor, vn_time

pytestmark = pytest.mark.django_db


def test_ticket_issue_numbers_per_group_and_day_when_issued_in_sequence():
    desk, group_a, group_b, _ = make_floor()
    codes = [
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8)).code,
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, 1)).code,
        ticket_issue(desk_id=desk.pk, group_id=group_b.pk, now=vn_time(8, 2)).code,
    ]
    assert codes == ["A001", "A002", "B001"]
    assert TicketSequence.objects.get(group=group_a).last_number == 2


def test_ticket_issue_restarts_at_one_when_the_vietnam_day_changes():
    desk, group_a, _, _ = make_floor()
    # 23:30 UTC on the 24th is already 06:30 on the 25th in Vietnam.
    late_utc = datetime.datetime(2026, 11, 24, 16, 30, tzinfo=datetime.UTC)
    first = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=late_utc)
    next_day = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(7, day=26))
    assert (first.day, first.code) == (datetime.date(2026, 11, 24), "A001")
    assert (next_day.day, next_day.code) == (datetime.date(2026, 11, 26), "A001")


def test_ticket_issue_keeps_cccd_when_twelve_digits():
    desk, group_a, _, _ = make_floor()
    ticket = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8), cccd="077190000123")
    assert ticket.cccd == "077190000123"


@pytest.mark.parametrize("cccd", ["12345", "07719000012a", "0771900001234"])
def test_ticket_issue_raises_when_cccd_is_not_twelve_digits(cccd):
    desk, group_a, _, _ = make_floor()
    with pytest.raises(QueueInvalid, match="12 chữ số"):
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8), cccd=cccd)
    assert not QueueTicket.objects.exists()


def test_ticket_issue_raises_when_group_belongs_to_another_desk():
    _, group_a, _, _ = make_floor()
    other = make_desk()
    with pytest.raises(QueueInvalid):
        ticket_issue(desk_id=other.pk, group_id=group_a.pk, now=vn_time(8))


def test_ticket_call_next_takes_oldest_waiting_of_served_groups_when_called():
    desk, group_a, group_b, (counter1, counter2) = make_floor()
    b1 = ticket_issue(desk_id=desk.pk, group_id=group_b.pk, now=vn_time(8))
    a1 = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, 1))
    clerk = make_clerk(desk=desk)
    # Counter 1 serves only A, so it skips the older B ticket.
    called = ticket_call_next(counter_id=counter1.pk, actor=clerk, now=vn_time(8, 5))
    assert called.pk == a1.pk
    assert (called.status, called.counter, called.called_by) == (
        TicketStatus.CALLED,
        counter1,
        clerk,
    )
    assert ticket_call_next(counter_id=counter2.pk, actor=None, now=vn_time(8, 6)).pk == b1.pk


def test_ticket_call_next_raises_conflict_when_nobody_waits():
    desk, _, _, (counter1, _) = make_floor()
    with pytest.raises(QueueConflict, match="Không còn ai"):
        ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8))


def test_ticket_call_next_ignores_yesterdays_tickets_when_still_waiting():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(16, day=24))
    with pytest.raises(QueueConflict):
        ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8))


def test_ticket_call_next_raises_conflict_when_counter_has_a_called_ticket():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, 1))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 2))
    with pytest.raises(QueueConflict, match="A001"):
        ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 3))


def test_ticket_recall_counts_and_stamps_when_ticket_is_called():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 2))
    ticket = ticket_recall(counter_id=counter1.pk, now=vn_time(8, 3))
    assert ticket.recall_count == 1
    assert ticket.last_called_at == vn_time(8, 3)
    assert ticket.called_at == vn_time(8, 2)


@pytest.mark.parametrize("service", [ticket_recall, ticket_serve, ticket_no_show])
def test_counter_actions_raise_conflict_when_counter_has_no_called_ticket(service):
    _, _, _, (counter1, _) = make_floor()
    with pytest.raises(QueueConflict, match="chưa gọi"):
        service(counter_id=counter1.pk, now=vn_time(8))


def test_ticket_serve_closes_current_ticket_when_called():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 2))
    ticket = ticket_serve(counter_id=counter1.pk, now=vn_time(8, 12))
    assert (ticket.status, ticket.served_at) == (TicketStatus.SERVED, vn_time(8, 12))


def test_ticket_no_show_closes_current_ticket_when_called():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 2))
    ticket = ticket_no_show(counter_id=counter1.pk, now=vn_time(8, 4))
    assert (ticket.status, ticket.no_show_at) == (TicketStatus.NO_SHOW, vn_time(8, 4))
    assert ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, 5)).code == "A002"


def test_ticket_call_next_raises_when_counter_is_inactive():
    desk, group_a, _, (counter1, _) = make_floor()
    counter1.is_active = False
    counter1.save()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    with pytest.raises(QueueInvalid):
        ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 1))


def _served_ticket(desk, group, counter, *, served_at):
    ticket_issue(desk_id=desk.pk, group_id=group.pk, now=served_at - datetime.timedelta(minutes=20))
    ticket_call_next(
        counter_id=counter.pk, actor=None, now=served_at - datetime.timedelta(minutes=5)
    )
    return ticket_serve(counter_id=counter.pk, now=served_at)


def test_ticket_link_dossier_sets_dossier_when_received_at_same_desk():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served_ticket(desk, group_a, counter1, served_at=vn_time(9))
    dossier = make_dossier(desk=desk)
    linked = ticket_link_dossier(ticket_id=ticket.pk, dossier_code=f"  {dossier.code} ")
    assert linked.dossier_code == dossier.code


def test_ticket_link_dossier_raises_when_dossier_is_from_another_desk():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served_ticket(desk, group_a, counter1, served_at=vn_time(9))
    dossier = make_dossier()
    with pytest.raises(QueueInvalid, match="không được tiếp nhận"):
        ticket_link_dossier(ticket_id=ticket.pk, dossier_code=dossier.code)


def test_ticket_link_dossier_raises_conflict_when_ticket_still_waiting():
    desk, group_a, _, _ = make_floor()
    ticket = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    with pytest.raises(QueueConflict):
        ticket_link_dossier(ticket_id=ticket.pk, dossier_code=make_dossier(desk=desk).code)


def test_counter_rate_records_once_when_ticket_served():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served_ticket(desk, group_a, counter1, served_at=vn_time(9))
    rating = counter_rate(
        ticket_id=ticket.pk, secret=ticket.rating_secret, level="very_satisfied", now=vn_time(9, 1)
    )
    assert (rating.counter, rating.level) == (counter1, "very_satisfied")
    with pytest.raises(QueueConflict, match="đã được đánh giá"):
        counter_rate(
            ticket_id=ticket.pk, secret=ticket.rating_secret, level="unsatisfied", now=vn_time(9, 2)
        )
    assert CounterRating.objects.count() == 1


def test_counter_rate_raises_conflict_when_ticket_not_served():
    desk, group_a, _, _ = make_floor()
    ticket = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    with pytest.raises(QueueConflict):
        counter_rate(
            ticket_id=ticket.pk, secret=ticket.rating_secret, level="satisfied", now=vn_time(8, 1)
        )


def test_counter_rate_raises_conflict_when_window_has_passed():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served_ticket(desk, group_a, counter1, served_at=vn_time(9))
    with pytest.raises(QueueConflict, match="hết thời gian"):
        counter_rate(
            ticket_id=ticket.pk, secret=ticket.rating_secret, level="satisfied", now=vn_time(10)
        )


def test_counter_rate_raises_when_level_is_unknown():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served_ticket(desk, group_a, counter1, served_at=vn_time(9))
    with pytest.raises(QueueInvalid):
        counter_rate(
            ticket_id=ticket.pk, secret=ticket.rating_secret, level="meh", now=vn_time(9, 1)
        )
