"""Celery tasks of feedback: thin, ids and plain values only."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from feedback import services
from feedback.selectors import feedback_reminder_candidates

_RETRY = {
    "autoretry_for": (OperationalError,),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "max_retries": 5,
    "retry_jitter": True,
}


@shared_task(**_RETRY)
def feedback_reminder_task(feedback_id: int, kind: str, due_at_iso: str) -> bool:
    """Record one reminder (and its outbox message); a rerun records nothing more."""
    return services.feedback_reminder_record(
        feedback_id=feedback_id,
        kind=kind,
        due_at=dt.datetime.fromisoformat(due_at_iso),
        now=timezone.now(),
    )


@shared_task(**_RETRY)
def feedback_scan_deadlines_task() -> dict[str, int]:
    """Periodic fan-out: one feedback_reminder_task per unanswered feedback near its deadline."""
    candidates = feedback_reminder_candidates(now=timezone.now())
    for feedback_id, kind, due_at in candidates:
        feedback_reminder_task.delay(feedback_id, kind, due_at.isoformat())
    return {"candidates": len(candidates)}
