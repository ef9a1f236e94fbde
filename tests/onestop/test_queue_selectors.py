"""Selectors of the desk floor: board state, counter state, rating panel and queue figures."""

import datetime

import pytest

from accounts.models import Role
from onestop.selectors import (
    board_state,
    counter_operable_by,
    counter_rating_pending,
    counter_state,
    desk_figures_visible_to,
    queue_figures,
    queue_figures_breakdown,
    ticket_ahead_count,
)
from onestop.services import (
    counter_rate,
    ticket_call_next,
    ticket_issue,
    ticket_no_show,
    ticket_serve,
)
from tests.factories import make_desk, make_unit, make_user
from tests.onestop.queue_builders import make_floor, vn_time

pytestmark = pytest.mark.django_db


def test_board_state_shows_called_ticket_per_counter_and_fifo_waiting_when_floor_is_busy(
    django_assert_num_queries,
):
    desk, group_a, group_b, (counter1, counter2) = make_floor()
    for minute, group in enumerate([group_a, group_b, group_a, group_b]):
        ticket_issue(desk_id=desk.pk, group_id=group.pk, now=vn_time(8, minute))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 10))
    with django_assert_num_queries(5):
        state = board_state(desk=desk, now=vn_time(8, 11))
    assert [(c["number"], c["ticket"] and c["ticket"]["code"]) for c in state["counters"]] == [
        (1, "A001"),
        (2, None),
    ]
    assert state["counters"][1]["groups"] == ["A", "B"]
    assert [t["code"] for t in state["waiting"]] == ["B001", "A002", "B002"]
    assert state["waiting_total"] == 3
    assert [(g["prefix"], g["waiting"]) for g in state["waiting_by_group"]] == [("A", 1), ("B", 2)]


def test_ticket_ahead_count_counts_only_waiting_tickets_of_same_group_when_issued():
    desk, group_a, group_b, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, 1))
    ticket_issue(desk_id=desk.pk, group_id=group_b.pk, now=vn_time(8, 2))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 3))
    mine = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, 4))
    assert ticket_ahead_count(ticket=mine) == 1


def test_counter_state_splits_groups_served_and_others_when_counter_serves_some():
    desk, group_a, group_b, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_b.pk, now=vn_time(8))
    state = counter_state(counter=counter1, now=vn_time(8, 1))
    assert [g.prefix for g in state["groups"]] == ["A"]
    assert [(g.prefix, g.waiting) for g in state["other_groups"]] == [("B", 1)]
    assert state["waiting_for_counter"] == 0
    assert state["current"] is None


def test_counter_rating_pending_returns_last_served_until_rated_when_in_window():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8))
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 1))
    served = ticket_serve(counter_id=counter1.pk, now=vn_time(8, 9))
    assert counter_rating_pending(counter=counter1, now=vn_time(8, 10)) == served
    assert counter_rating_pending(counter=counter1, now=vn_time(9, 10)) is None
    counter_rate(
        ticket_id=served.pk, secret=served.rating_secret, level="satisfied", now=vn_time(8, 10)
    )
    assert counter_rating_pending(counter=counter1, now=vn_time(8, 11)) is None


def _day_of_tickets(desk, group_a, counter1):
    """A001 waits 10 min, served in 6; A002 waits 20 min, no-show; A003 still waiting."""
    for minute in (0, 5, 6):
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(8, minute))
    first = ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 10))
    ticket_serve(counter_id=counter1.pk, now=vn_time(8, 16))
    counter_rate(
        ticket_id=first.pk, secret=first.rating_secret, level="very_satisfied", now=vn_time(8, 17)
    )
    ticket_call_next(counter_id=counter1.pk, actor=None, now=vn_time(8, 25))
    ticket_no_show(counter_id=counter1.pk, now=vn_time(8, 28))


def test_queue_figures_reports_waits_service_and_no_shows_when_day_has_tickets():
    desk, group_a, _, (counter1, _) = make_floor()
    _day_of_tickets(desk, group_a, counter1)
    day = datetime.date(2026, 11, 25)
    figures = queue_figures(desk_ids=[desk.pk], start=day, end=day)
    totals = figures["totals"]
    assert (totals["issued"], totals["served"], totals["no_show"], totals["waiting"]) == (
        3,
        1,
        1,
        1,
    )
    assert totals["avg_wait_seconds"] == 15 * 60
    assert totals["max_wait_seconds"] == 20 * 60
    assert totals["avg_service_seconds"] == 6 * 60
    assert totals["ratings"] == {"very_satisfied": 1, "satisfied": 0, "unsatisfied": 0}
    assert [(row["desk_id"], row["issued"]) for row in figures["rows"]] == [(desk.pk, 3)]


def test_queue_figures_groups_by_desk_and_day_when_asked_by_day():
    desk, group_a, _, (counter1, _) = make_floor()
    other, other_a, _, _ = make_floor()
    _day_of_tickets(desk, group_a, counter1)
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=vn_time(9, day=26))
    ticket_issue(desk_id=other.pk, group_id=other_a.pk, now=vn_time(9, day=26))
    figures = queue_figures(
        desk_ids=[desk.pk],
        start=datetime.date(2026, 11, 25),
        end=datetime.date(2026, 11, 26),
        by_day=True,
    )
    assert [(row["day"].day, row["issued"]) for row in figures["rows"]] == [(25, 3), (26, 1)]
    assert figures["totals"]["issued"] == 4


def test_queue_figures_breakdown_splits_by_group_and_counter_when_day_has_tickets():
    desk, group_a, _, (counter1, _) = make_floor()
    _day_of_tickets(desk, group_a, counter1)
    breakdown = queue_figures_breakdown(desk_id=desk.pk, day=datetime.date(2026, 11, 25))
    assert [(r["group__prefix"], r["issued"]) for r in breakdown["by_group"]] == [("A", 3)]
    assert [(r["counter__number"], r["served"]) for r in breakdown["by_counter"]] == [(1, 1)]


def test_counter_operable_by_allows_only_staff_of_the_desk_when_checked():
    desk, _, _, (counter1, _) = make_floor()
    assert counter_operable_by(user=make_user(role=Role.CLERK, desk=desk), counter=counter1)
    assert counter_operable_by(user=make_user(role=Role.DESK_HEAD, desk=desk), counter=counter1)
    assert not counter_operable_by(
        user=make_user(role=Role.CLERK, desk=make_desk()), counter=counter1
    )
    assert not counter_operable_by(user=make_user(role=Role.CITIZEN), counter=counter1)


def test_desk_figures_visible_to_leaders_above_and_desk_head_when_checked():
    province = make_unit(code="77")
    district = make_unit(parent=province, code="747")
    commune_desk = make_desk(unit=make_unit(parent=district, code="26506"))
    other_district = make_unit(parent=province, code="748")
    assert desk_figures_visible_to(
        user=make_user(role=Role.LEADER, unit=province), desk=commune_desk
    )
    assert desk_figures_visible_to(
        user=make_user(role=Role.LEADER, unit=district), desk=commune_desk
    )
    assert not desk_figures_visible_to(
        user=make_user(role=Role.LEADER, unit=other_district), desk=commune_desk
    )
    assert desk_figures_visible_to(
        user=make_user(role=Role.DESK_HEAD, desk=commune_desk), desk=commune_desk
    )
    assert not desk_figures_visible_to(
        user=make_user(role=Role.CLERK, desk=commune_desk), desk=commune_desk
    )
