"""Real Redis, real Celery worker, real PostgreSQL: tasks cross process boundaries.

The worker is a subprocess (`celery -A portal worker -P solo`) on the same Redis and the same
test database, so these tests commit their rows (transaction=True) and need PostgreSQL.
"""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Role
from dossiers.models import Dossier, DossierStatus
from dossiers.services import dossier_receive
from outbox.models import OutboxMessage, OutboxStatus
from outbox.tasks import outbox_sweep_task
from portal.celery import app
from stats.models import DailyDeskStat, Notification, ReminderLog
from stats.tasks import scan_deadlines_task, send_reminder_task
from tests.factories import make_desk, make_dossier, make_user

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
WORKER_NAME = f"stats-test-{os.getpid()}@localhost"
STARTUP_TIMEOUT = 40
WAIT_TIMEOUT = 30


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def _wait_for(predicate, timeout: float = WAIT_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def live_celery(settings):
    """Publish for real (not eager) and run one solo worker on the test database."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": _database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "-P",
            "solo",
            "-n",
            WORKER_NAME,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        if not _wait_for(
            lambda: (
                worker.poll() is None
                and bool(app.control.ping(destination=[WORKER_NAME], timeout=0.5))
            ),
            STARTUP_TIMEOUT,
        ):
            worker.kill()
            output = worker.communicate(timeout=5)[0].decode(errors="replace")
            pytest.fail(f"Celery worker did not start:\n{output[-3000:]}")
        # Eager tasks run from parallel threads (the PostgreSQL concurrency tests) can leave
        # Celery's process-wide "join would block" flag set; this process is not a worker.
        with allow_join_result():
            yield worker
    finally:
        app.conf.task_always_eager = previous
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)
        if worker.stdout:
            worker.stdout.close()


def _reset_producer_pool() -> None:
    """Forget the cached producer pool so the next publish connects to app.conf.broker_url
    (kombu keeps one pool per broker URL, so the good one is still there afterwards)."""
    app._pool = None
    app.amqp._producer_pool = None


def _received_dossier():
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = make_dossier(desk=desk, status=DossierStatus.NEW)
    return desk, clerk, dossier


def test_dossier_receive_updates_rollup_through_worker_when_committed(live_celery):
    desk, clerk, dossier = _received_dossier()
    with transaction.atomic():
        dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
        # Nothing is enqueued before commit.
        assert not DailyDeskStat.objects.filter(desk=desk).exists()
    assert _wait_for(lambda: DailyDeskStat.objects.filter(desk=desk, received=1).exists()), (
        "the on-commit outbox delivery did not reach the worker"
    )
    assert _wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists())


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
    _reset_producer_pool()
    try:
        with transaction.atomic():
            dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
    finally:
        app.conf.broker_url = good_broker
        _reset_producer_pool()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RECEIVED
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2
    assert not DailyDeskStat.objects.filter(desk=desk).exists()
    # The appointment has already passed while the broker was down: the scan must remind too.
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert outbox_sweep_task.apply_async(ignore_result=False).get(timeout=WAIT_TIMEOUT) == 2
    summary = scan_deadlines_task.delay().get(timeout=WAIT_TIMEOUT)
    assert summary["reminders"] >= 1
    assert _wait_for(
        lambda: DailyDeskStat.objects.filter(desk=desk, received=1, pending_overdue=1).exists()
    )
    assert _wait_for(lambda: ReminderLog.objects.filter(dossier=dossier, kind="overdue").exists())
    assert _wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists())
