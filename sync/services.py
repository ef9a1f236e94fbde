"""Writes of the sync: one message per tracked dossier change, sent in order, and the retry.

The outbox delivers "dossier.changed" to `sync_push_handler`. It records the change as the
dossier's message number n (n = its position among the dossier's tracked events, so the number
does not depend on delivery order), records any earlier change whose own outbox row has not
run yet (or that happened before the sync existed), then sends every unacknowledged message of
the dossier from 1 to n, in order. When message k < n is not acknowledged (the endpoint failed,
or refused it), it raises and sends nothing after k: the outbox retries later with its backoff,
so n never goes before n-1. The idempotency key makes a repeat (a crash between sending and
marking) harmless.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from dossiers.models import Dossier, DossierEvent
from outbox.models import OutboxMessage, OutboxStatus
from outbox.services import outbox_retry_dead
from outbox.tasks import outbox_request_delivery
from sync import national
from sync.models import NationalView, SyncMessage

logger = logging.getLogger(__name__)
HANDLER_NAME = "sync.push"


class SyncNotYet(Exception):
    """An earlier message of the dossier is not recorded yet: retry later."""


class SyncRefused(Exception):
    """The national endpoint answered with an error."""


def tracked_events_of(dossier_ids: Iterable[int]) -> QuerySet[DossierEvent]:
    """The changes the national portal tracks: each change of status (reception, every status
    of its list, the result with its on-time outcome); drafts and same-status notes are not."""
    return (
        DossierEvent.objects.filter(dossier_id__in=list(dossier_ids))
        .exclude(to_status="")
        .exclude(to_status="draft")
        .exclude(from_status=F("to_status"))
    )


def sync_wants(payload: dict) -> bool:
    """Publish-time filter of "dossier.changed" (see outbox.registry): the handler acts on the
    tracked changes only, the same rule as `tracked_events_of` (payloads without the transition:
    unknown, so yes). With the sync off it still records the message (its number and body), so
    this does not look at the setting."""
    if "to_status" not in payload:
        return True
    to_status = payload["to_status"]
    return to_status not in ("", "draft") and payload.get("from_status") != to_status


def sync_enabled() -> bool:
    return bool(settings.SYNC_ENDPOINT_URL)


def sync_record_messages(*, up_to: dict[int, int], now: dt.datetime) -> dict[int, int]:
    """Record, for each dossier of `up_to` ({dossier id: event id}), the messages of its tracked
    events up to that event that are not recorded yet (one query for the tracked events of all
    these dossiers, one for their recorded messages, one for the events to record, one insert:
    a burst of changes costs the same few statements as one). Returns {event id: seq} of the
    tracked events up to those ids; an event missing from it is not tracked."""
    tracked = tracked_events_of(up_to).order_by("dossier_id", "id").values_list("pk", "dossier_id")
    seq_of: dict[int, int] = {}
    counted: dict[int, int] = {}
    for event_id, dossier_id in tracked:  # events are written in commit order
        counted[dossier_id] = counted.get(dossier_id, 0) + 1
        if event_id <= up_to[dossier_id]:
            seq_of[event_id] = counted[dossier_id]
    recorded = set(
        SyncMessage.objects.filter(dossier_id__in=up_to).values_list("event_id", flat=True)
    )
    missing = [event_id for event_id in seq_of if event_id not in recorded]
    if missing:
        events = DossierEvent.objects.select_related("dossier__procedure", "dossier__desk").filter(
            pk__in=missing
        )
        # A concurrent delivery that recorded the same event first wins (unique event, seq).
        SyncMessage.objects.bulk_create(
            [_message(event=event, seq=seq_of[event.pk], now=now) for event in events],
            ignore_conflicts=True,
        )
    return seq_of


def _message(*, event: DossierEvent, seq: int, now: dt.datetime) -> SyncMessage:
    dossier = event.dossier
    return SyncMessage(
        dossier=dossier,
        event=event,
        seq=seq,
        idempotency_key=f"{settings.SYNC_SOURCE_CODE}:{dossier.code}:{seq}",
        body=national.national_record(
            dossier=dossier, event=event, seq=seq, source=settings.SYNC_SOURCE_CODE
        ),
        created_at=now,
    )


def _post(message: SyncMessage) -> dict:
    body = national.body_bytes(message.body)
    request = urllib.request.Request(
        urljoin(settings.PORTAL_BASE_URL, settings.SYNC_ENDPOINT_URL),
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            national.SIGNATURE_HEADER: national.signature(settings.SYNC_SHARED_SECRET, body),
            national.KEY_HEADER: message.idempotency_key,
            national.SEQUENCE_HEADER: str(message.seq),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.SYNC_TIMEOUT_SECONDS) as response:  # noqa: S310
            return json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as error:
        detail = error.read().decode(errors="replace")[:300]
        raise SyncRefused(f"HTTP {error.code}: {detail}") from None


def sync_send_dossier(*, dossier_id: int, up_to: int, now: dt.datetime) -> int:
    """Send the dossier's unacknowledged messages 1..up_to in order; returns how many went.
    Raises SyncNotYet when one is missing, SyncRefused/OSError when the endpoint fails."""
    messages = {m.seq: m for m in SyncMessage.objects.filter(dossier_id=dossier_id, seq__lte=up_to)}
    sent = 0
    for seq in range(1, up_to + 1):
        message = messages.get(seq)
        if message is None:
            raise SyncNotYet(f"dossier {dossier_id}: message {seq} not recorded yet")
        if message.acked_at:
            continue
        SyncMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
        try:
            answer = _post(message)
        except (SyncRefused, OSError) as error:
            SyncMessage.objects.filter(pk=message.pk).update(last_error=str(error)[:500])
            raise
        SyncMessage.objects.filter(pk=message.pk).update(acked_at=now, last_error="")
        national_status = answer.get("national_status") or message.body.get("TrangThai")
        NationalView.objects.update_or_create(
            dossier_id=dossier_id,
            defaults={"national_status": national_status, "acked_seq": seq, "seen_at": now},
        )
        sent += 1
    return sent


def sync_push_batch(payloads: list[dict]) -> dict[int, str]:
    """Outbox handler of "dossier.changed" for one or several rows (see the module docstring):
    record the messages, then (sync on) send each dossier's up to its latest change here.
    Returns {event id: what happened}."""
    now = timezone.now()
    up_to: dict[int, int] = {}
    for payload in payloads:
        dossier_id = payload["dossier_id"]
        up_to[dossier_id] = max(up_to.get(dossier_id, 0), payload["event_id"])
    seq_of = sync_record_messages(up_to=up_to, now=now)
    outcomes = {
        payload["event_id"]: "recorded" if payload["event_id"] in seq_of else "untracked"
        for payload in payloads
    }
    if sync_enabled():
        last_seq: dict[int, int] = {}
        for payload in payloads:
            seq = seq_of.get(payload["event_id"])
            if seq is not None:
                last_seq[payload["dossier_id"]] = max(last_seq.get(payload["dossier_id"], 0), seq)
        for dossier_id, seq in last_seq.items():
            sync_send_dossier(dossier_id=dossier_id, up_to=seq, now=now)
    return outcomes


def sync_push_handler(payload: dict) -> str:
    """Outbox handler of "dossier.changed", one row: the batch of one."""
    return sync_push_batch([payload])[payload["event_id"]]


def sync_retry(*, dossier_id: int, now: dt.datetime) -> int:
    """The reconciliation's retry button: dead outbox rows of the dossier pending again, and
    every unacknowledged message sent now, in order. Returns the number sent."""
    dead = list(
        OutboxMessage.objects.filter(
            handler=HANDLER_NAME, status=OutboxStatus.DEAD, payload__dossier_id=dossier_id
        ).values_list("pk", flat=True)
    )
    outbox_retry_dead(message_ids=dead, now=now)
    last_event = tracked_events_of([dossier_id]).order_by("-id").first()
    if last_event is not None:
        sync_record_messages(up_to={dossier_id: last_event.pk}, now=now)
    last = SyncMessage.objects.filter(dossier_id=dossier_id).order_by("-seq").first()
    if last is None or not sync_enabled():
        return 0
    try:
        sent = sync_send_dossier(dossier_id=dossier_id, up_to=last.seq, now=now)
    finally:
        transaction.on_commit(lambda: outbox_request_delivery(message_ids=dead))
    return sent


def sync_check_national(*, dossier: Dossier, now: dt.datetime) -> int | None:
    """Ask the national side for the dossier's status (SYNC_STATUS_URL) and remember it."""
    if not settings.SYNC_STATUS_URL or not dossier.code:
        return None
    url = urljoin(settings.PORTAL_BASE_URL, settings.SYNC_STATUS_URL.format(code=dossier.code))
    signed = national.signature(settings.SYNC_SHARED_SECRET, dossier.code.encode())
    request = urllib.request.Request(url, headers={national.SIGNATURE_HEADER: signed})
    try:
        with urllib.request.urlopen(request, timeout=settings.SYNC_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as error:
        if error.code == 404:
            NationalView.objects.filter(dossier=dossier).delete()
            return None
        raise
    status = answer.get("national_status")
    if status is not None:
        NationalView.objects.update_or_create(
            dossier=dossier,
            defaults={
                "national_status": status,
                "acked_seq": answer.get("seq") or 0,
                "seen_at": now,
            },
        )
    return status
