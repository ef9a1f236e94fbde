"""Concurrency on PostgreSQL: parallel kiosks and counters, each thread on its own connection."""

import threading
from collections import Counter as Tally

import pytest
from django.db import connection, transaction
from django.utils import timezone

from onestop.models import Counter, QueueTicket, TicketStatus
from onestop.services import QueueConflict, ticket_call_next, ticket_issue, ticket_serve
from tests.onestop.queue_builders import make_floor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_in_threads(count: int, work) -> list:
    """Start `count` threads together; each runs work(i) on its own connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list = []

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_ticket_issue_gives_distinct_consecutive_numbers_when_fifty_kiosks_issue_at_once():
    desk, group_a, _, _ = make_floor()
    now = timezone.now()
    tickets = _run_in_threads(
        50, lambda i: ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=now)
    )
    numbers = sorted(t.number for t in tickets)
    assert numbers == list(range(1, 51))
    assert QueueTicket.objects.filter(group=group_a).values("number").distinct().count() == 50


def test_ticket_call_next_never_gives_a_ticket_twice_when_counters_call_at_once():
    desk, group_a, _, counters = make_floor(counters=6)
    for _ in range(60):
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    counter_ids = [c.pk for c in counters]
    # Every round, all six counters press "call next" at the same moment.
    each_round = threading.Barrier(len(counter_ids))

    def serve_until_empty(i: int) -> list[int]:
        got = []
        for _ in range(12):
            each_round.wait(timeout=30)
            try:
                ticket = ticket_call_next(counter_id=counter_ids[i], actor=None, now=timezone.now())
            except QueueConflict:
                continue
            got.append(ticket.pk)
            ticket_serve(counter_id=counter_ids[i], now=timezone.now())
        return got

    per_counter = _run_in_threads(len(counter_ids), serve_until_empty)
    called = [pk for got in per_counter for pk in got]
    assert not [pk for pk, n in Tally(called).items() if n > 1]
    assert len(called) == 60
    assert QueueTicket.objects.filter(status=TicketStatus.SERVED).count() == 60


def test_ticket_call_next_calls_once_when_one_counter_presses_twice_at_once():
    desk, group_a, _, (counter1, _) = make_floor()
    for _ in range(3):
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())

    def press(i: int) -> str:
        try:
            return ticket_call_next(counter_id=counter1.pk, actor=None, now=timezone.now()).code
        except QueueConflict:
            return "conflict"

    outcomes = sorted(_run_in_threads(2, press))
    assert outcomes == ["A001", "conflict"]
    assert (
        Counter.objects.get(pk=counter1.pk).tickets.filter(status=TicketStatus.CALLED).count() == 1
    )


def test_ticket_call_next_skips_ticket_being_called_elsewhere_when_its_row_is_locked():
    desk, group_a, _, (_, counter2) = make_floor()
    first = ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    locked, release = threading.Event(), threading.Event()

    def other_counter_mid_call() -> None:
        try:
            with transaction.atomic():
                QueueTicket.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    holder = threading.Thread(target=other_counter_mid_call)
    holder.start()
    assert locked.wait(timeout=10)
    try:
        called = ticket_call_next(counter_id=counter2.pk, actor=None, now=timezone.now())
    finally:
        release.set()
        holder.join(timeout=30)
    assert called.code == "A002"
