"""Delivery of outbox rows: one small task per row, and a beat sweep that hands out the due ones."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from outbox.services import outbox_deliver, outbox_due_ids, outbox_request_delivery


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=5, ignore_result=True)
def outbox_deliver_task(message_id: int) -> str:
    """Deliver one row (a rerun finds it sent or held and does nothing)."""
    return outbox_deliver(message_id=message_id, now=timezone.now())


@shared_task(ignore_result=True)
def outbox_sweep_task() -> int:
    """Periodic: request delivery of every due row (after a broker outage, a crashed worker, a
    failed handler's backoff)."""
    ids = outbox_due_ids(now=timezone.now())
    outbox_request_delivery(message_ids=ids)
    return len(ids)
