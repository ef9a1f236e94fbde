"""Delivery by batch: one statement claims the rows asked for, one marks the sent ones; a failing
row keeps its own retry, backoff and death; a claim is a lease that a crashed worker lets
expire; a batch handler that raises falls back to row by row."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import outbox.tasks
from outbox.delivery import outbox_deliver, outbox_deliver_batch
from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import subscribe
from outbox.services import outbox_publish
from outbox.tasks import outbox_deliver_task

EVENT = "tests.batch"
seen: list[tuple[str, dict]] = []
batches: list[list[dict]] = []


def _ok(payload: dict) -> None:
    seen.append(("ok", payload))


def _flaky(payload: dict) -> None:
    seen.append(("flaky", payload))
    if payload.get("fail"):
        raise ConnectionError("gateway down")


def _flaky_batch(payloads: list[dict]) -> None:
    batches.append(payloads)
    if any(payload.get("fail") for payload in payloads):
        raise ConnectionError("one of them is bad")
    seen.extend(("flaky", payload) for payload in payloads)


def _mail(payload: dict) -> None:
    # What the other e-mail rows look like while this one is sent.
    seen.append(
        (
            "mail",
            dict(
                OutboxMessage.objects.filter(handler="tests.batch_mail").values_list(
                    "key", "status"
                )
            ),
        )
    )


subscribe(EVENT, "tests.batch_ok", _ok, idempotent=True)
subscribe(EVENT, "tests.batch_flaky", _flaky, batch=_flaky_batch, idempotent=True)
subscribe(EVENT, "tests.batch_mail", _mail, when=lambda payload: payload.get("mail", False))
subscribe(EVENT, "tests.batch_picky", _ok, when=lambda payload: payload.get("picky", False))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean():
    seen.clear(), batches.clear()


def _publish(n: int, **payload) -> list[str]:
    outbox_publish(event=EVENT, payload={"n": n, **payload}, key=f"batch:{n}")
    return list(
        OutboxMessage.objects.filter(key__startswith=f"batch:{n}:").values_list("key", flat=True)
    )


def test_outbox_publish_writes_no_row_when_the_subscription_does_not_want_the_payload():
    assert sorted(_publish(1)) == ["batch:1:tests.batch_flaky", "batch:1:tests.batch_ok"]
    assert "batch:2:tests.batch_picky" in _publish(2, picky=True)


def test_outbox_deliver_batch_claims_and_marks_in_one_statement_each_when_rows_are_due():
    keys = [key for n in range(10) for key in _publish(n)]
    with CaptureQueriesContext(connection) as captured:
        outcomes = outbox_deliver_batch(keys=keys)
    assert list(outcomes.values()) == ["sent"] * 20
    assert len(captured) == 2, [q["sql"][:60] for q in captured]  # claim, mark
    assert len(batches) == 1 and len(batches[0]) == 10  # the flaky rows went as one batch
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert outbox_deliver_batch(keys=keys) == {}  # done: nothing to claim, nothing run twice
    assert len(seen) == 20


def test_outbox_deliver_task_takes_other_due_rows_when_a_burst_was_published():
    """A delivery task delivers its change and the others already due, oldest first, in one
    claim; the tasks those changes asked for then find nothing to do."""
    first, *others = [_publish(n) for n in range(5)]
    later = _publish(5)
    OutboxMessage.objects.filter(key__in=later).update(
        available_at=timezone.now() + dt.timedelta(minutes=5)  # in its backoff: not due
    )
    with CaptureQueriesContext(connection) as captured:
        outcomes = outbox_deliver_task(message_ids=[], keys=first)
    assert outcomes == ["sent"] * 10
    assert len(captured) == 2, [q["sql"][:60] for q in captured]  # claim, mark
    assert len(batches) == 1 and len(batches[0]) == 5  # the flaky rows of all five changes
    assert outbox_deliver_task(message_ids=[], keys=others[0]) == []
    assert set(OutboxMessage.objects.exclude(key__in=later).values_list("status", flat=True)) == {
        OutboxStatus.SENT
    }
    assert set(OutboxMessage.objects.filter(key__in=later).values_list("status", flat=True)) == {
        OutboxStatus.PENDING
    }


def test_outbox_deliver_task_claims_on_until_none_is_left_when_the_backlog_exceeds_a_claim(
    monkeypatch,
):
    """The changes that published no task (their task was waiting) count on the one that ran:
    a backlog larger than one claim is delivered by it, claim after claim."""
    monkeypatch.setattr(outbox.tasks, "COALESCE_DUE", 3)
    first, *_others = [_publish(n) for n in range(6)]
    outcomes = outbox_deliver_task(message_ids=[], keys=first)
    assert outcomes == ["sent"] * 12
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_outbox_deliver_batch_marks_a_send_at_once_when_its_handler_is_not_idempotent():
    keys = [key for n in range(3) for key in _publish(n, mail=True)]
    with CaptureQueriesContext(connection) as captured:
        outcomes = outbox_deliver_batch(keys=keys)
    assert list(outcomes.values()) == ["sent"] * 9
    mails = [statuses for kind, statuses in seen if kind == "mail"]
    # The second e-mail saw the first marked sent already: a crash then would not resend it.
    assert mails[1]["batch:0:tests.batch_mail"] == OutboxStatus.SENT
    assert mails[2]["batch:1:tests.batch_mail"] == OutboxStatus.SENT
    assert mails[0]["batch:0:tests.batch_mail"] == OutboxStatus.PENDING
    # claim, three reads by the e-mails, three marks (the first with the idempotent rows)
    assert len(captured) == 7, [q["sql"][:60] for q in captured]


def test_outbox_deliver_batch_retries_only_the_failing_row_when_one_payload_fails(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    keys = _publish(1) + _publish(2, fail=True) + _publish(3)
    outcomes = outbox_deliver_batch(keys=keys)
    bad = OutboxMessage.objects.get(key="batch:2:tests.batch_flaky")
    assert outcomes.pop(bad.pk) == "retry"
    assert list(outcomes.values()) == ["sent"] * 5  # the batch fell back to row by row
    assert bad.status == OutboxStatus.PENDING and "gateway down" in bad.last_error
    assert bad.attempts == 1 and bad.claimed_until is None and bad.available_at > timezone.now()
    assert outbox_deliver(message_id=bad.pk) == "skipped"  # backing off
    assert outbox_deliver(message_id=bad.pk, now=bad.available_at) == "dead"
    assert OutboxMessage.objects.exclude(pk=bad.pk).filter(status=OutboxStatus.SENT).count() == 5


def test_outbox_deliver_batch_leaves_a_held_row_until_its_lease_expires_when_a_worker_crashed():
    keys = _publish(1)
    now = timezone.now()
    # A worker claimed them and crashed before marking (its claim is a lease in the future).
    OutboxMessage.objects.filter(key__in=keys).update(
        claimed_until=now + dt.timedelta(minutes=5), attempts=1
    )
    assert outbox_deliver_batch(keys=keys, now=now) == {}
    later = now + dt.timedelta(minutes=6)
    assert list(outbox_deliver_batch(keys=keys, now=later).values()) == ["sent", "sent"]
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {2}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_outbox_deliver_batch_claims_each_row_once_when_workers_race():
    now = timezone.now()  # rows written as they are (publishing here would deliver them at once)
    rows = [
        OutboxMessage(
            handler=handler,
            key=f"race:{n}:{handler}",
            payload={"n": n},
            created_at=now,
            available_at=now,
        )
        for n in range(40)
        for handler in ("tests.batch_ok", "tests.batch_flaky")
    ]
    OutboxMessage.objects.bulk_create(rows)
    keys = [row.key for row in rows]
    results: list[dict] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            barrier.wait(5)
            results.append(outbox_deliver_batch(keys=keys))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    delivered = [row_id for result in results for row_id in result]
    assert len(delivered) == len(set(delivered)) == 80
    assert len(seen) == 80


def test_outbox_deliver_batch_renews_its_claim_when_half_the_lease_is_used(settings):
    settings.OUTBOX_CLAIM_SECONDS = 0  # every step finds half the lease used
    keys = [key for n in range(3) for key in _publish(n, mail=True)]
    with CaptureQueriesContext(connection) as captured:
        outcomes = outbox_deliver_batch(keys=keys)
    assert list(outcomes.values()) == ["sent"] * 9
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    renewals = [
        q["sql"]
        for q in captured
        if q["sql"].startswith("UPDATE") and '"claimed_until" = ' in q["sql"].split("WHERE", 1)[1]
    ]
    assert renewals  # the rows not run yet were taken for another lease, not left to expire
