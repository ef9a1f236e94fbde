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
from urllib.parse import urljoin

from django.conf import settings
from django.db import IntegrityError, transaction
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


def tracked_events(dossier_id: int) -> QuerySet[DossierEvent]:
    """The changes the national portal tracks: each change of status (reception, every status
    of its list, the result with its on-time outcome); drafts and same-status notes are not."""
    return (
        DossierEvent.objects.filter(dossier_id=dossier_id)
        .exclude(to_status="")
        .exclude(to_status="draft")
        .exclude(from_status=F("to_status"))
    )


def sync_wants(payload: dict) -> bool:
    """Publish-time filter of "dossier.changed" (see outbox.registry): the handler acts on the
    tracked changes only, the same rule as `tracked_events` (payloads without the transition:
    unknown, so yes). With the sync off it still records the message (its number and body), so
    this does not look at the setting."""
    if "to_status" not in payload:
        return True
    to_status = payload["to_status"]
    return to_status not in ("", "draft") and payload.get("from_status") != to_status


def sync_enabled() -> bool:
    return bool(settings.SYNC_ENDPOINT_URL)


def message_for_event(*, event_id: int, now: dt.datetime) -> SyncMessage | None:
    """The message of one event (created once); None when the event is not tracked."""
    existing = SyncMessage.objects.filter(event_id=event_id).first()
    if existing is not None:
        return existing
    event = DossierEvent.objects.select_related("dossier__procedure", "dossier__desk").get(
        pk=event_id
    )
    tracked = tracked_events(event.dossier_id)
    if not tracked.filter(pk=event.pk).exists():
        return None
    seq = tracked.filter(pk__lte=event.pk).count()  # events are written in commit order
    dossier = event.dossier
    try:
        with transaction.atomic():
            return SyncMessage.objects.create(
                dossier=dossier,
                event=event,
                seq=seq,
                idempotency_key=f"{settings.SYNC_SOURCE_CODE}:{dossier.code}:{seq}",
                body=national.national_record(
                    dossier=dossier, event=event, seq=seq, source=settings.SYNC_SOURCE_CODE
                ),
                created_at=now,
            )
    except IntegrityError:  # a concurrent delivery of the same event made it
        return SyncMessage.objects.get(event_id=event_id)


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


def messages_record_up_to(*, dossier_id: int, event_id: int, now: dt.datetime) -> None:
    """Record the messages of the dossier's tracked events up to `event_id` that are missing."""
    recorded = SyncMessage.objects.filter(dossier_id=dossier_id).values("event_id")
    missing = (
        tracked_events(dossier_id)
        .filter(pk__lte=event_id)
        .exclude(pk__in=recorded)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    for missing_id in list(missing):
        message_for_event(event_id=missing_id, now=now)


def sync_push_handler(payload: dict) -> str:
    """Outbox handler of "dossier.changed" (see the module docstring)."""
    now = timezone.now()
    message = message_for_event(event_id=payload["event_id"], now=now)
    if message is None:
        return "untracked"
    messages_record_up_to(dossier_id=message.dossier_id, event_id=message.event_id, now=now)
    if not sync_enabled():
        return "recorded (sync off)"
    if message.acked_at:
        return "acked"
    sync_send_dossier(dossier_id=message.dossier_id, up_to=message.seq, now=now)
    return f"sent up to {message.seq}"


def sync_retry(*, dossier_id: int, now: dt.datetime) -> int:
    """The reconciliation's retry button: dead outbox rows of the dossier pending again, and
    every unacknowledged message sent now, in order. Returns the number sent."""
    dead = list(
        OutboxMessage.objects.filter(
            handler=HANDLER_NAME, status=OutboxStatus.DEAD, payload__dossier_id=dossier_id
        ).values_list("pk", flat=True)
    )
    outbox_retry_dead(message_ids=dead, now=now)
    last_event = tracked_events(dossier_id).order_by("-id").first()
    if last_event is not None:
        messages_record_up_to(dossier_id=dossier_id, event_id=last_event.pk, now=now)
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
