"""Celery tasks of the statistics and reminders: thin, idempotent, ids and plain values only."""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from dossiers.side_effects import ENQUEUE_ERRORS
from stats import services
from stats.models import ReminderKind, RollupBacklog
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
def rollup_refresh_dossier_task(dossier_id: int) -> bool:
    """Recompute the rollup cells of one dossier (enqueued on commit after each transition)."""
    return services.rollup_refresh_dossier(dossier_id=dossier_id, now=timezone.now())


@shared_task(**_RETRY)
def send_reminder_task(dossier_id: int, kind: str, due_at_iso: str) -> bool:
    """Send one staff reminder; a rerun for the same dossier, kind and due date sends nothing."""
    due_at = dt.datetime.fromisoformat(due_at_iso)
    sent = services.reminder_send(
        dossier_id=dossier_id, kind=kind, due_at=due_at, now=timezone.now()
    )
    if sent and kind == ReminderKind.OVERDUE:
        # The dossier turned overdue: tell the applicant, and move it to pending_overdue in the
        # rollup (no transition happened, so nothing else would).
        notify_citizen_overdue_task.delay(dossier_id, due_at_iso)
        rollup_enqueue_refresh(dossier_id=dossier_id)
    return sent


@shared_task(**_RETRY)
def notify_citizen_overdue_task(dossier_id: int, due_at_iso: str) -> bool:
    """Tell the applicant once that the dossier is overdue (with the apology when issued)."""
    return services.citizen_overdue_notify(
        dossier_id=dossier_id, due_at=dt.datetime.fromisoformat(due_at_iso), now=timezone.now()
    )


@shared_task(**_RETRY)
def scan_deadlines_task() -> dict[str, int]:
    """Periodic fan-out: one send_reminder_task per reminder due, one refresh per dossier whose
    refresh could not be enqueued earlier (broker outage)."""
    candidates = reminder_candidates(now=timezone.now())
    for dossier_id, kind, due_at in candidates:
        send_reminder_task.delay(dossier_id, kind, due_at.isoformat())
    backlog = services.rollup_backlog_release()
    for dossier_id in backlog:
        # Goes back on the backlog if the broker fails again.
        rollup_enqueue_refresh(dossier_id=dossier_id)
    return {"reminders": len(candidates), "refreshes": len(backlog)}


@shared_task(**_RETRY)
def rollup_rebuild_recent_task(days: int = 2) -> int:
    """Nightly safety net: rebuild both rollups for the last `days` local days."""
    now = timezone.now()
    today = timezone.localtime(now).date()
    return services.rollup_rebuild(
        date_from=today - dt.timedelta(days=days), date_to=today, now=now
    )


def rollup_enqueue_refresh(*, dossier_id: int, now: dt.datetime | None = None) -> bool:
    """Enqueue the rollup refresh of a dossier (call it after commit). When the broker is down,
    log it and leave a backlog row for the next deadline scan; never raise. True if enqueued."""
    try:
        rollup_refresh_dossier_task.apply_async(args=[dossier_id], retry=False)
    except ENQUEUE_ERRORS:
        logger.warning(
            "Rollup refresh of dossier %s not enqueued (broker unavailable); left for the scan.",
            dossier_id,
            exc_info=True,
        )
        RollupBacklog.objects.create(dossier_id=dossier_id, created_at=now or timezone.now())
        return False
    return True
