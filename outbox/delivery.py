"""Delivery of outbox rows: claim a batch for a while, call their handlers, mark the sent ones.

Claiming is one statement (UPDATE … RETURNING on PostgreSQL and SQLite; FOR UPDATE SKIP LOCKED
on PostgreSQL, so concurrent claims never wait for each other) that takes the
rows asked for (by id or by key) that are pending, due and not held, for a lease of
OUTBOX_CLAIM_SECONDS, and returns what their handlers need. The rows of idempotent handlers run
first (several rows of one handler at once when it has a batch handler, see outbox.registry),
then the others one by one. A row whose handler is not idempotent (an e-mail, an SMS) is marked
sent as soon as it returns, together with the idempotent rows done before it; what is left is
marked at the end: one statement per non-idempotent row plus one, instead of one per row. When
the batch has used half its lease, what is done is marked and the lease renewed for the rest.

A handler that raises leaves its own row pending with a later `available_at` (backoff) and the
error text, until it is dead after OUTBOX_MAX_ATTEMPTS; the other rows of the batch go on. A
claim is a lease, not a held transaction: a worker that crashes mid-batch simply lets its claim
expire, and the rows not marked sent are delivered again: idempotent ones harmlessly, the
others only when the crash fell between their send and their own mark, as before batching.
Nothing committed is ever undone by a failing side effect.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from outbox.models import OutboxMessage, OutboxStatus
from outbox.registry import batch_handler_for, handler_for, is_idempotent

logger = logging.getLogger(__name__)


@dataclass
class Claimed:
    id: int
    handler: str
    payload: dict
    attempts: int


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** (attempts - 1), 3600))


def _lease(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)


def _placeholders(values: list) -> str:
    return ", ".join(["%s"] * len(values))


def _claim(
    *,
    message_ids: list[int],
    keys: list[str],
    now: dt.datetime,
    lease: dt.datetime,
    also_due: int = 0,
) -> list[Claimed]:
    """Take, in one statement, the rows among these that are pending, due and not held, and up
    to `also_due` other such rows, oldest first (on PostgreSQL a row locked by a concurrent
    claim is skipped; SQLite serialises writers)."""
    if not message_ids and not keys and not also_due:
        return []
    quote = connection.ops.quote_name
    stamp = connection.ops.adapt_datetimefield_value
    named = []
    named_params: list = []
    if message_ids:
        named.append(f"{quote('id')} IN ({_placeholders(message_ids)})")
        named_params += message_ids
    if keys:
        named.append(f"{quote('key')} IN ({_placeholders(keys)})")
        named_params += keys
    table = quote(OutboxMessage._meta.db_table)
    due = (
        f"{quote('status')} = %s AND {quote('available_at')} <= %s "
        f"AND ({quote('claimed_until')} IS NULL OR {quote('claimed_until')} < %s)"
    )
    due_params: list = [OutboxStatus.PENDING, stamp(now), stamp(now)]
    if also_due:
        # The named rows first, then the oldest others: a burst's deliveries coalesce into
        # the first task that runs (the later ones find their rows taken and do nothing).
        first = f"CASE WHEN {' OR '.join(named)} THEN 0 ELSE 1 END, " if named else ""
        lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
        chosen = (
            f"{quote('id')} IN (SELECT {quote('id')} FROM {table} WHERE {due} "
            f"ORDER BY {first}{quote('id')} LIMIT %s{lock})"
        )
        chosen_params = [*due_params, *named_params, len(message_ids) + len(keys) + also_due]
    elif connection.vendor == "postgresql":
        # Rows another delivery is claiming right now are skipped, not waited for: two claims
        # of overlapping rows never deadlock, and each row goes to one of them.
        chosen = (
            f"{quote('id')} IN (SELECT {quote('id')} FROM {table} WHERE {due} "
            f"AND ({' OR '.join(named)}) ORDER BY {quote('id')} FOR UPDATE SKIP LOCKED)"
        )
        chosen_params = [*due_params, *named_params]
    else:
        chosen = f"{due} AND ({' OR '.join(named)})"
        chosen_params = [*due_params, *named_params]
    sql = (
        f"UPDATE {table} "
        f"SET {quote('claimed_until')} = %s, {quote('attempts')} = {quote('attempts')} + 1 "
        f"WHERE {chosen} "
        f"RETURNING {quote('id')}, {quote('handler')}, {quote('payload')}, {quote('attempts')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [stamp(lease), *chosen_params])
        rows = cursor.fetchall()
    return sorted(
        (
            Claimed(
                id=row_id,
                handler=handler,
                payload=json.loads(payload) if isinstance(payload, str | bytes) else payload,
                attempts=attempts,
            )
            for row_id, handler, payload, attempts in rows
        ),
        key=lambda claimed: claimed.id,
    )


def _record_failure(message: Claimed) -> str:
    error = traceback.format_exc(limit=5)[-2000:]
    dead = message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.id).update(
        status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
        available_at=timezone.now() + _backoff(message.attempts),
        claimed_until=None,
        last_error=error,
    )
    logger.warning(
        "Outbox %s #%s failed (attempt %s): %s",
        message.handler,
        message.id,
        message.attempts,
        error.strip().splitlines()[-1],
    )
    return "dead" if dead else "retry"


def _run_one(message: Claimed) -> str:
    """'sent' when the handler returned (the row is marked with the others), else recorded."""
    handler = handler_for(message.handler)
    try:
        if handler is None:
            raise LookupError(f"no outbox handler named {message.handler!r}")
        handler(message.payload)
    except Exception:  # the handler's failure is recorded on the row and retried, never lost
        return _record_failure(message)
    return "sent"


def _run_group(messages: list[Claimed]) -> dict[int, str]:
    """Rows of one handler: at once through its batch handler when it has one, else (or when
    the batch raised) one by one, so that a failing payload only delays its own row."""
    batch = batch_handler_for(messages[0].handler)
    if batch is not None and len(messages) > 1:
        try:
            batch([message.payload for message in messages])
        except Exception:
            logger.warning(
                "Outbox %s: batch of %s failed, delivering row by row.",
                messages[0].handler,
                len(messages),
                exc_info=True,
            )
        else:
            return {message.id: "sent" for message in messages}
    return {message.id: _run_one(message) for message in messages}


def _mark_sent(ids: list[int]) -> None:
    """One UPDATE, written out (it runs after every e-mail and SMS: the ORM's compilation cost
    more than the statement)."""
    if not ids:
        return
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(OutboxMessage._meta.db_table)} SET {quote('status')} = %s, "
        f"{quote('sent_at')} = %s, {quote('claimed_until')} = NULL, {quote('last_error')} = '' "
        f"WHERE {quote('id')} IN ({_placeholders(ids)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [OutboxStatus.SENT, connection.ops.adapt_datetimefield_value(timezone.now()), *ids]
        )


def _renew(ids: list[int], *, held: dt.datetime, now: dt.datetime) -> tuple[set[int], dt.datetime]:
    """Extend this batch's claim on the rows not run yet (those it still holds)."""
    lease = _lease(now)
    OutboxMessage.objects.filter(pk__in=ids, claimed_until=held).update(claimed_until=lease)
    still = set(
        OutboxMessage.objects.filter(pk__in=ids, claimed_until=lease).values_list("pk", flat=True)
    )
    return still, lease


def outbox_deliver_batch(
    *,
    message_ids: Iterable[int] = (),
    keys: Iterable[str] = (),
    now: dt.datetime | None = None,
    also_due: int = 0,
) -> dict[int, str]:
    """Deliver the rows named by id or key, and up to `also_due` other due rows: {id: 'sent' |
    'retry' | 'dead'} for the rows it claimed (rows not due, held by another delivery or done
    are left alone)."""
    now = now or timezone.now()
    lease = _lease(now)
    claimed = _claim(
        message_ids=list(message_ids), keys=list(keys), now=now, lease=lease, also_due=also_due
    )
    groups: dict[str, list[Claimed]] = {}
    for message in claimed:
        groups.setdefault(message.handler, []).append(message)
    # Idempotent handlers first, by groups; then the others row by row, each marked at once.
    steps = [rows for name, rows in groups.items() if is_idempotent(name)]
    steps += [[row] for name, rows in groups.items() if not is_idempotent(name) for row in rows]
    outcomes: dict[int, str] = {}
    sent: list[int] = []
    held_since = timezone.now()
    half = dt.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS / 2)
    for messages in steps:
        moment = timezone.now()
        if moment - held_since > half:  # half the lease used: mark what is done, renew the rest
            _mark_sent(sent)
            sent = []
            rest = [m.id for m in claimed if m.id not in outcomes]
            still, lease = _renew(rest, held=lease, now=moment)
            held_since = moment
            messages = [m for m in messages if m.id in still]
            if not messages:
                continue
        for message_id, outcome in _run_group(messages).items():
            outcomes[message_id] = outcome
            if outcome == "sent":
                sent.append(message_id)
        if not is_idempotent(messages[0].handler) and outcomes[messages[0].id] == "sent":
            _mark_sent(sent)  # a send that must not be repeated: marked right away
            sent = []
    _mark_sent(sent)
    return outcomes


def outbox_deliver(*, message_id: int, now: dt.datetime | None = None) -> str:
    """Deliver one row: 'sent', 'retry', 'dead' or 'skipped' (not due, held, or done)."""
    return outbox_deliver_batch(message_ids=[message_id], now=now).get(message_id, "skipped")


def outbox_due_ids(*, now: dt.datetime, limit: int = 500) -> list[int]:
    """Pending rows due now and not held by a delivery: what the sweep hands out."""
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
