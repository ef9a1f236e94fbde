"""Writes of the outbox: publish inside the caller's transaction, and an administrator's retry.

Publishing never talks to a broker: it only inserts rows (in the same transaction as the change,
so a rollback takes them away too) and asks for a delivery once the transaction has committed.
That request may fail (the broker is down): the beat sweep delivers what is due anyway (see
`outbox.delivery` for how a row is delivered, retried and given up on).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db import connection, transaction
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import subscriptions_for
from outbox.tasks import outbox_request_delivery


def outbox_publish(*, event: str, payload: dict, key: str, now: dt.datetime | None = None) -> int:
    """One pending row per handler subscribed to `event` that wants this payload (its `when`,
    see outbox.registry); call it inside the change's transaction. `key` names this occurrence
    (e.g. "event:123"): publishing it again adds nothing. One INSERT for all the handlers (rows
    already there are skipped), none when no handler wants it; the rows are claimed by key after
    commit, off the request when delivered in the background. Returns the number of rows
    written (or already there)."""
    handlers = [sub.name for sub in subscriptions_for(event) if sub.wants(payload)]
    if not handlers:
        return 0
    keys = [f"{key}:{name}" for name in handlers]
    _insert_pending(handlers=handlers, keys=keys, payload=payload, now=now or timezone.now())
    transaction.on_commit(lambda: outbox_request_delivery(keys=keys), robust=True)
    return len(keys)


def _insert_pending(
    *, handlers: list[str], keys: list[str], payload: dict, now: dt.datetime
) -> None:
    """One INSERT … ON CONFLICT DO NOTHING for the rows (written out: every change runs it, and
    the ORM's bulk_create cost more than the statement). Rows already there are kept."""
    quote = connection.ops.quote_name
    columns = (
        "handler",
        "key",
        "payload",
        "status",
        "created_at",
        "available_at",
        "attempts",
        "last_error",
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    body = json.dumps(payload)
    row = f"({', '.join(['%s'] * len(columns))})"
    params: list = []
    for handler, row_key in zip(handlers, keys, strict=True):
        params += [handler, row_key, body, OutboxStatus.PENDING, stamp, stamp, 0, ""]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(OutboxMessage._meta.db_table)} "
            f"({', '.join(map(quote, columns))}) VALUES {', '.join([row] * len(handlers))} "
            f"ON CONFLICT DO NOTHING",
            params,
        )


def outbox_retry_dead(*, message_ids: list[int], now: dt.datetime | None = None) -> int:
    """An administrator's retry of dead rows: pending again, due now, attempts reset."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.DEAD).update(
        status=OutboxStatus.PENDING, available_at=now, attempts=0, claimed_until=None
    )
