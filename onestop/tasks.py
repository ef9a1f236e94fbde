"""Celery tasks of the statistics and reminders: thin, idempotent, ids and plain values only."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from onestop import services
from onestop.selectors import reminder_candidates

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
    return services.reminder_send(
        dossier_id=dossier_id,
        kind=kind,
        due_at=dt.datetime.fromisoformat(due_at_iso),
        now=timezone.now(),
    )


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
        services.rollup_enqueue_refresh(dossier_id=dossier_id)
    return {"reminders": len(candidates), "refreshes": len(backlog)}


@shared_task(**_RETRY)
def rollup_rebuild_recent_task(days: int = 2) -> int:
    """Nightly safety net: rebuild both rollups for the last `days` local days."""
    now = timezone.now()
    today = timezone.localtime(now).date()
    return services.rollup_rebuild(
        date_from=today - dt.timedelta(days=days), date_to=today, now=now
    )
