"""The tamper-evident audit chain over every DossierEvent of the portal.

Each event carries `prev_hash`, the hash of the event before it in the whole log, and `hash`,
SHA-256 over its own content and `prev_hash`. Editing, deleting or inserting a row behind the
application's back breaks the chain from that row on; `chain_verify` names the first broken
link. Every ANCHOR_EVERY events the hash is an anchor that can be published (open data, a
newspaper, another system): a rewritten chain no longer matches the published anchors.

Writers run in parallel transactions, so the append is serialised on one row, AuditChainHead:
one UPDATE … RETURNING of that row takes its row lock on PostgreSQL and the database write
lock on SQLite and reads the head, then the event is written and the head moved, all in the caller's
transaction; a concurrent writer waits until it commits.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Mod

from dossiers.models import AuditChainHead, DossierEvent
from procedures.compiled import update_row

GENESIS = "0" * 64
ANCHOR_EVERY = 1000
HEAD_PK = 1


def event_digest(*, fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 (hex) of the event's content, canonical JSON, chained to `prev_hash`."""
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def event_fields(event: DossierEvent) -> dict[str, Any]:
    """What the hash covers: everything the event says, and its place in the chain."""
    return {
        "position": event.chain_position,
        "dossier": event.dossier_id,
        "action": event.action,
        "actor": event.actor_id,
        "actor_role": event.actor_role,
        "desk": event.desk_id,
        "agency": event.agency_id,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": event.at.astimezone(UTC).isoformat(),
        "note": event.note,
        "data": event.data,
    }


def _lock_head() -> tuple[int, str]:
    """Take the chain-head lock and read the head in one statement (UPDATE … RETURNING, on
    PostgreSQL and SQLite ≥ 3.35 alike), creating the row the first time."""
    table = connection.ops.quote_name(AuditChainHead._meta.db_table)
    sql = f"UPDATE {table} SET position = position WHERE id = %s RETURNING position, last_hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [HEAD_PK])
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    AuditChainHead.objects.create(pk=HEAD_PK)
            except IntegrityError:
                pass  # another writer created it first; the update below waits for its lock
            cursor.execute(sql, [HEAD_PK])
            row = cursor.fetchone()
    return int(row[0]), row[1]


def chain_append(event: DossierEvent) -> DossierEvent:
    """Save a new (unsaved) event at the end of the chain; call inside a transaction (three
    statements: lock and read the head, insert the event, move the head)."""
    if event.pk is not None:
        raise ValueError("The audit chain only appends new events.")
    # No savepoint of its own: a failure here must roll back the caller's whole change anyway.
    with transaction.atomic(savepoint=False):
        position, last_hash = _lock_head()
        event.chain_position = position + 1
        event.prev_hash = last_hash or GENESIS
        event.hash = event_digest(fields=event_fields(event), prev_hash=event.prev_hash)
        event.save(force_insert=True)
        update_row(
            AuditChainHead, HEAD_PK, {"position": event.chain_position, "last_hash": event.hash}
        )
    return event


@dataclass(frozen=True)
class ChainReport:
    """The verification result: how many links checked and the first broken one, if any."""

    checked: int
    broken_event_id: int | None = None
    broken_position: int | None = None
    reason: str = ""
    anchors: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.broken_event_id is None and not self.reason


def _events() -> Iterator[DossierEvent]:
    return DossierEvent.objects.order_by("chain_position", "pk").iterator(chunk_size=2000)


def chain_verify(*, published_anchors: dict[int, str] | None = None) -> ChainReport:
    """Recompute the whole chain; the first event whose links or content do not match."""
    published_anchors = published_anchors or {}
    previous, expected_position, checked = GENESIS, 1, 0
    anchors: list[tuple[int, str]] = []
    for event in _events():
        checked += 1
        position = event.chain_position
        reason = ""
        if position is None:
            reason = "not in the chain"
        elif position != expected_position:
            reason = f"position {position}, expected {expected_position} (a row is missing)"
        elif event.prev_hash != previous:
            reason = "previous hash does not match the event before it"
        elif event.hash != event_digest(fields=event_fields(event), prev_hash=event.prev_hash):
            reason = "content does not match its hash (the row was changed)"
        elif position in published_anchors and published_anchors[position] != event.hash:
            reason = "hash differs from the published anchor"
        if reason:
            return ChainReport(
                checked=checked,
                broken_event_id=event.pk,
                broken_position=position,
                reason=reason,
                anchors=tuple(anchors),
            )
        if position % ANCHOR_EVERY == 0:
            anchors.append((position, event.hash))
        previous, expected_position = event.hash, expected_position + 1
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is not None and (head.position, head.last_hash or GENESIS) != (
        expected_position - 1,
        previous,
    ):
        return ChainReport(
            checked=checked, reason="the chain head does not match the last event (rows removed)"
        )
    return ChainReport(checked=checked, anchors=tuple(anchors))


def chain_anchor_list() -> list[tuple[int, str]]:
    """The anchors to publish: every ANCHOR_EVERY-th hash, and the current head."""
    rows = list(
        DossierEvent.objects.annotate(slot=Mod("chain_position", ANCHOR_EVERY))
        .filter(chain_position__isnull=False, slot=0)
        .order_by("chain_position")
        .values_list("chain_position", "hash")
    )
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is not None and head.position and (not rows or rows[-1][0] != head.position):
        rows.append((head.position, head.last_hash))
    return rows
