"""Writes of the outbox: publish inside the caller's transaction, deliver after commit.

Publishing never talks to a broker: it only inserts rows (in the same transaction as the change,
so a rollback takes them away too) and asks for a delivery once the transaction has committed.
That request may fail (the broker is down): the beat sweep delivers what is due anyway. A
delivery claims a row for a while, calls its handler, and marks it sent; a handler that raises
leaves the row pending with a later `available_at` (backoff) and the error text, until it is
dead after OUTBOX_MAX_ATTEMPTS. Nothing committed is ever undone by a failing side effect.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import handler_for, subscriptions_for

logger = logging.getLogger(__name__)

DELIVER_TASK = "outbox.tasks.outbox_deliver_task"


def outbox_publish(*, event: str, payload: dict, key: str, now: dt.datetime | None = None) -> int:
    """One pending row per handler subscribed to `event`; call it inside the change's
    transaction. `key` names this occurrence (e.g. "event:123"): publishing it again adds
    nothing. Returns the number of rows written."""
    now = now or timezone.now()
    rows = [
        OutboxMessage(
            handler=sub.name,
            key=f"{key}:{sub.name}",
            payload=payload,
            created_at=now,
            available_at=now,
        )
        for sub in subscriptions_for(event)
    ]
    if not rows:
        return 0
    written = 0
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
            written += 1
        except IntegrityError:
            continue  # published already (a retried request): nothing more to do
    if written:
        ids = [row.pk for row in rows if row.pk]
        transaction.on_commit(lambda: outbox_request_delivery(message_ids=ids), robust=True)
    return written


def outbox_request_delivery(*, message_ids: list[int]) -> None:
    """Ask a worker to deliver these rows (in-process when Celery runs eagerly). A broker that
    is down costs at most the short publish timeout: the sweep delivers them later."""
    task = current_app.tasks[DELIVER_TASK]
    for message_id in message_ids:
        try:
            task.apply_async(args=[message_id], retry=False, ignore_result=True)
        except Exception:  # any broker failure: the row is safe in the database
            logger.warning("Outbox message %s left for the sweep (broker unavailable).", message_id)
            return


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600))


def _claim(*, message_id: int, now: dt.datetime) -> bool:
    """Take the row for one delivery unless another one holds it or it is not due."""
    lease = now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING)
        .filter(available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=lease, attempts=F("attempts") + 1)
    )
    return claimed == 1


def outbox_deliver(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Deliver one row: 'sent', 'retry', 'dead' or 'skipped' (not due, held, or done)."""
    now = now or timezone.now()
    if not _claim(message_id=message_id, now=now):
        return "skipped"
    message = OutboxMessage.objects.get(pk=message_id)
    handler = handler_for(message.handler)
    try:
        if handler is None:
            raise LookupError(f"no outbox handler named {message.handler!r}")
        handler(message.payload)
    except Exception:  # the handler's failure is recorded on the row and retried, never lost
        error = traceback.format_exc(limit=5)[-2000:]
        dead = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
            available_at=timezone.now() + _backoff(message.attempts),
            claimed_until=None,
            last_error=error,
        )
        logger.warning(
            "Outbox %s #%s failed (attempt %s): %s",
            message.handler,
            message_id,
            message.attempts,
            error.strip().splitlines()[-1],
        )
        return "dead" if dead else "retry"
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    return "sent"


def outbox_retry_dead(*, message_ids: list[int], now: dt.datetime | None = None) -> int:
    """An administrator's retry of dead rows: pending again, due now, attempts reset."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.DEAD).update(
        status=OutboxStatus.PENDING, available_at=now, attempts=0, claimed_until=None
    )


def outbox_due_ids(*, now: dt.datetime, limit: int = 500) -> list[int]:
    """Pending rows due now and not held by a delivery: what the sweep hands out."""
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
