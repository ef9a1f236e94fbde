"""Periodic jobs of the operations centre (CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from ioc.services import escalation_scan, lateness_score, lateness_train


@shared_task
def lateness_retrain_task() -> int:
    """Nightly: learn from the history up to now, then rescore. Returns the samples learnt."""
    now = timezone.now()
    model = lateness_train(now=now)
    lateness_score(now=now, model=model)
    return model.samples


@shared_task
def lateness_score_task() -> dict[str, int]:
    """Every few minutes: rescore open dossiers, then escalate the risky ones."""
    now = timezone.now()
    return {"scored": lateness_score(now=now), "escalated": escalation_scan(now=now)}
