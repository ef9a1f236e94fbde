"""Periodic jobs of the payments app (thin: a service does the work)."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from payments.services import payments_expire, payments_reconcile


@shared_task(ignore_result=True)
def payments_expire_task() -> int:
    """Abandoned online payments (past PAYMENT_EXPIRE_MINUTES) become expired."""
    return payments_expire(now=timezone.now())


@shared_task(ignore_result=True)
def payments_reconcile_task(run_date: str | None = None) -> int:
    """Daily: yesterday's online payments compared with what the gateway says."""
    now = timezone.now()
    day = (
        dt.date.fromisoformat(run_date)
        if run_date
        else timezone.localdate(now) - dt.timedelta(days=1)
    )
    return len(payments_reconcile(run_date=day, now=now))
