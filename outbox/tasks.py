"""Delivery of outbox rows: one small task per row, a beat sweep that hands out the due ones, and
the request for delivery that publishing schedules after commit."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from outbox.delivery import outbox_deliver, outbox_due_ids

logger = logging.getLogger(__name__)


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


def outbox_request_delivery(*, message_ids: list[int]) -> None:
    """Ask a worker to deliver these rows (in-process when Celery runs eagerly). A broker that
    is down costs at most the short publish timeout: the sweep delivers them later."""
    for message_id in message_ids:
        try:
            outbox_deliver_task.apply_async(args=[message_id], retry=False, ignore_result=True)
        except Exception:  # any broker failure: the row is safe in the database
            logger.warning("Outbox message %s left for the sweep (broker unavailable).", message_id)
            return
