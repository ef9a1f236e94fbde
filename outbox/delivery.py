"""Delivery of one outbox row: claim it for a while, call its handler, mark it sent.

A handler that raises leaves the row pending with a later `available_at` (backoff) and the error
text, until it is dead after OUTBOX_MAX_ATTEMPTS. A claim is a lease, not a held transaction: a
worker that crashes mid-delivery simply lets its claim expire. Nothing committed is ever undone
by a failing side effect.
"""

from __future__ import annotations

import datetime as dt
import logging
import traceback

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import handler_for

logger = logging.getLogger(__name__)


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


def outbox_due_ids(*, now: dt.datetime, limit: int = 500) -> list[int]:
    """Pending rows due now and not held by a delivery: what the sweep hands out."""
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
