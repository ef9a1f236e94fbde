"""Delivery of outbox rows: one small task per row, a beat sweep that hands out the due ones, and
the request for delivery that publishing schedules after commit."""

import logging
import threading

from celery import current_app, shared_task
from django.conf import settings
from django.db import OperationalError, connections
from django.utils import timezone

from outbox.delivery import outbox_deliver, outbox_due_ids
from outbox.models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)
# Rows per delivery task: a change's few handlers go in one; the sweep's backlog is spread over
# several tasks so that more than one worker process can take part.
DELIVERY_BATCH = 20


@shared_task(autoretry_for=(OperationalError,), retry_backoff=2, max_retries=5, ignore_result=True)
def outbox_deliver_task(message_ids: list[int]) -> list[str]:
    """Deliver these rows in order: one task per committed change (one broker publish, not one
    per handler, which cost a submission about 8 ms). A rerun finds rows sent or held and skips
    them; a row that fails stays pending with its backoff while the others go on."""
    return [outbox_deliver(message_id=message_id, now=timezone.now()) for message_id in message_ids]


@shared_task(ignore_result=True)
def outbox_sweep_task() -> int:
    """Periodic: request delivery of every due row (after a broker outage, a crashed worker, a
    failed handler's backoff)."""
    ids = outbox_due_ids(now=timezone.now())
    outbox_request_delivery(message_ids=ids)
    return len(ids)


def _pending_ids(keys: list[str]) -> list[int]:
    return list(
        OutboxMessage.objects.filter(key__in=keys, status=OutboxStatus.PENDING)
        .order_by("id")
        .values_list("pk", flat=True)
    )


def outbox_request_delivery(
    *, message_ids: list[int] | None = None, keys: list[str] | None = None
) -> None:
    """Ask a worker to deliver these rows. A broker that is down costs at most the short publish
    timeout: the sweep delivers them later. Without a broker (Celery eager) the rows are
    delivered by a short-lived thread of this process, so the request that published them
    answers without waiting for its side effects (OUTBOX_EAGER_DELIVERY="thread", the default),
    or inline in the caller ("inline": unit tests, which check the effects right after)."""
    message_ids = list(message_ids or [])
    if current_app.conf.task_always_eager and settings.OUTBOX_EAGER_DELIVERY == "thread":
        thread = threading.Thread(
            target=_deliver_in_background,
            kwargs={"message_ids": message_ids, "keys": list(keys or [])},
            name="outbox-delivery",
            daemon=True,
        )
        thread.start()
        return
    if keys:
        message_ids += _pending_ids(keys)
    for start in range(0, len(message_ids), DELIVERY_BATCH):
        batch = message_ids[start : start + DELIVERY_BATCH]
        try:
            outbox_deliver_task.apply_async(args=[batch], retry=False, ignore_result=True)
        except Exception:  # any broker failure: the rows are safe in the database
            logger.warning("Outbox messages %s left for the sweep (broker unavailable).", batch)
            return


def _deliver_in_background(*, message_ids: list[int], keys: list[str]) -> None:
    """The eager-mode delivery thread: its own database connection, closed when done. It then
    delivers other due rows (a handler's backoff is over, the process stopped last time), so
    `make run` needs no beat either. A row it cannot deliver stays pending."""
    try:
        own = [*message_ids, *(_pending_ids(keys) if keys else [])]
        due = outbox_due_ids(now=timezone.now(), limit=100)
        for message_id in dict.fromkeys([*own, *due]):
            try:
                outbox_deliver(message_id=message_id)
            except Exception:  # the row stays pending with its backoff
                logger.exception("Outbox message %s left for a later delivery.", message_id)
    finally:
        connections.close_all()  # this thread's connections only
