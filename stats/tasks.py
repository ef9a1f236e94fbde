"""Celery tasks of the statistics and reminders: thin, idempotent, ids and plain values only."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from stats import services
from stats.selectors import reminder_candidates

logger = logging.getLogger(__name__)

# Transient failures only: a lost connection or a lock timeout. Anything else is a bug.
_TRANSIENT = (OperationalError,)
_RETRY = {
    "autoretry_for": _TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 5,
    "retry_jitter": True,
}


@shared_task(**_RETRY)
def send_reminder_task(dossier_id: int, kind: str, due_at_iso: str) -> bool:
    """Send one staff reminder; a rerun for the same dossier, kind and due date sends nothing."""
    return services.reminder_send(
        dossier_id=dossier_id,
        kind=kind,
        due_at=dt.datetime.fromisoformat(due_at_iso),
        now=timezone.now(),
    )


@shared_task(**_RETRY)
def scan_deadlines_task() -> dict[str, int]:
    """Periodic fan-out: one send_reminder_task per reminder due."""
    candidates = reminder_candidates(now=timezone.now())
    for dossier_id, kind, due_at in candidates:
        send_reminder_task.delay(dossier_id, kind, due_at.isoformat())
    return {"reminders": len(candidates)}


@shared_task(**_RETRY)
def rollup_rebuild_recent_task(days: int = 2) -> int:
    """Nightly safety net: rebuild both rollups for the last `days` local days."""
    now = timezone.now()
    today = timezone.localtime(now).date()
    return services.rollup_rebuild(
        date_from=today - dt.timedelta(days=days), date_to=today, now=now
    )
