"""Without a broker the request answers before its side effects run (one outbox, delivered by a
short-lived thread after commit), and the row is still delivered."""

import threading

import pytest
from django.db import transaction

import outbox.tasks  # noqa: F401 (registers the delivery task)
from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import subscribe
from outbox.services import outbox_publish

EVENT = "tests.eager_thread"
started = threading.Event()
release = threading.Event()
delivered: list[dict] = []


def _slow_handler(payload: dict) -> None:
    started.set()
    release.wait(10)
    delivered.append(payload)


subscribe(EVENT, "tests.slow_handler", _slow_handler)


def _delivery_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "outbox-delivery"]


@pytest.mark.django_db(transaction=True)
def test_outbox_publish_returns_before_delivery_when_eager_thread_mode(settings):
    settings.OUTBOX_EAGER_DELIVERY = "thread"
    started.clear(), release.clear(), delivered.clear()
    with transaction.atomic():
        outbox_publish(event=EVENT, payload={"n": 1}, key="eager:1")
    # The caller is back while the handler is still blocked in the delivery thread.
    assert started.wait(5)
    assert delivered == []
    release.set()
    for thread in _delivery_threads():
        thread.join(10)
    assert delivered == [{"n": 1}]
    row = OutboxMessage.objects.get(key="eager:1:tests.slow_handler")
    assert row.status == OutboxStatus.SENT


@pytest.mark.django_db(transaction=True)
def test_outbox_publish_delivers_inline_when_inline_mode(settings):
    settings.OUTBOX_EAGER_DELIVERY = "inline"
    started.clear(), delivered.clear()
    release.set()
    with transaction.atomic():
        outbox_publish(event=EVENT, payload={"n": 2}, key="eager:2")
    assert delivered == [{"n": 2}]
    assert _delivery_threads() == []


@pytest.mark.django_db(transaction=True)
def test_outbox_publish_uses_one_delivery_thread_when_changes_arrive_together(settings):
    settings.OUTBOX_EAGER_DELIVERY = "thread"
    started.clear(), release.clear(), delivered.clear()
    for n in range(5):
        with transaction.atomic():
            outbox_publish(event=EVENT, payload={"n": n}, key=f"eager:burst:{n}")
    assert started.wait(5)
    assert len(_delivery_threads()) == 1  # not one per request
    release.set()
    for thread in _delivery_threads():
        thread.join(10)
    assert sorted(p["n"] for p in delivered) == [0, 1, 2, 3, 4]
    assert _delivery_threads() == []  # gone once idle


gathered: list[list[dict]] = []


def _record(payload: dict) -> None:
    gathered.append([payload])


def _record_batch(payloads: list[dict]) -> None:
    gathered.append(payloads)


subscribe("tests.gather", "tests.gather_handler", _record, batch=_record_batch, idempotent=True)


@pytest.mark.django_db(transaction=True)
def test_outbox_delivery_thread_takes_a_burst_in_one_claim_when_it_gathers_first(settings):
    """The thread waits OUTBOX_GATHER_SECONDS before claiming: changes committed one after
    another within that time are delivered together (one batch), not one claim each."""
    settings.OUTBOX_EAGER_DELIVERY = "thread"
    settings.OUTBOX_GATHER_SECONDS = 1.0
    gathered.clear()
    for n in range(5):
        with transaction.atomic():
            outbox_publish(event="tests.gather", payload={"n": n}, key=f"gather:{n}")
    for thread in _delivery_threads():
        thread.join(10)
    assert [sorted(p["n"] for p in batch) for batch in gathered] == [[0, 1, 2, 3, 4]]
