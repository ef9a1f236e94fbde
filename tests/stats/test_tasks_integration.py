"""Real Redis, real Celery worker, real PostgreSQL: tasks cross process boundaries.

The worker is a subprocess (`celery -A portal worker -P solo`) on the same Redis and the same
test database, so these tests commit their rows (transaction=True) and need PostgreSQL.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from dossiers.models import Dossier, DossierStatus
from dossiers.services import dossier_receive
from outbox.models import OutboxMessage, OutboxStatus
from outbox.tasks import outbox_sweep_task
from portal.celery import app
from stats.models import DailyDeskStat, Notification, ReminderLog
from stats.tasks import scan_deadlines_task, send_reminder_task
from tests.celery_worker import WAIT_TIMEOUT, reset_producer_pool, wait_for
from tests.factories import make_desk, make_dossier, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def _received_dossier():
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = make_dossier(desk=desk, status=DossierStatus.NEW, applicant_email="a@example.vn")
    return desk, clerk, dossier


def test_dossier_receive_updates_rollup_through_worker_when_committed(live_celery):
    desk, clerk, dossier = _received_dossier()
    with transaction.atomic():
        dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
        # Nothing is enqueued before commit.
        assert not DailyDeskStat.objects.filter(desk=desk).exists()
    assert wait_for(lambda: DailyDeskStat.objects.filter(desk=desk, received=1).exists()), (
        "the on-commit outbox delivery did not reach the worker"
    )
    assert wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists())


def test_send_reminder_task_sends_once_when_delivered_twice(live_celery):
    desk = make_desk()
    head = make_user(role=Role.DESK_HEAD, desk=desk)
    now = timezone.now()
    dossier = make_dossier(
        desk=desk,
        status=DossierStatus.PROCESSING,
        received_at=now - dt.timedelta(days=3),
        due_at=now + dt.timedelta(hours=2),
    )
    results = [
        send_reminder_task.delay(dossier.pk, "due_today", dossier.due_at.isoformat())
        for _ in range(2)
    ]
    outcomes = sorted(result.get(timeout=WAIT_TIMEOUT) for result in results)
    assert outcomes == [False, True]
    assert ReminderLog.objects.filter(dossier=dossier).count() == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [head.pk]


def test_dossier_receive_survives_broker_outage_when_the_sweep_catches_up(live_celery, settings):
    desk, clerk, dossier = _received_dossier()
    make_user(role=Role.DESK_HEAD, desk=desk)
    good_broker = app.conf.broker_url
    # Point the producer at a closed port: publishing fails at once.
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    reset_producer_pool()
    try:
        with transaction.atomic():
            dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
    finally:
        app.conf.broker_url = good_broker
        reset_producer_pool()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED
    # e-mail and SMS notices, rollup and national sync (no counter receipt: no payment here)
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 4
    assert not DailyDeskStat.objects.filter(desk=desk).exists()
    # The appointment has already passed while the broker was down: the scan must remind too.
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert outbox_sweep_task.apply_async(ignore_result=False).get(timeout=WAIT_TIMEOUT) == 4
    summary = scan_deadlines_task.delay().get(timeout=WAIT_TIMEOUT)
    assert summary["reminders"] >= 1
    assert wait_for(
        lambda: DailyDeskStat.objects.filter(desk=desk, received=1, pending_overdue=1).exists()
    )
    assert wait_for(lambda: ReminderLog.objects.filter(dossier=dossier, kind="overdue").exists())
    assert wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists())
