"""The rollup follows the dossier engine's transitions; a broker outage loses nothing (the
outbox keeps the side effects until the sweep delivers them)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from dossiers.models import Dossier, DossierStatus
from dossiers.services import dossier_receive
from outbox.models import OutboxMessage, OutboxStatus
from outbox.tasks import outbox_sweep_task
from portal.celery import app
from stats.models import DailyDeskStat, MonthlyDeskStat
from stats.tasks import rollup_rebuild_recent_task
from tests.factories import make_desk, make_dossier, make_user


@pytest.fixture
def broker_down():
    """Publish for real to a closed port (nothing listens on port 1)."""
    eager, url = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.broker_url = eager, url
        app._pool = None
        app.amqp._producer_pool = None


@pytest.mark.django_db
def test_dossier_receive_refreshes_rollup_when_committed(django_capture_on_commit_callbacks):
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = make_dossier(desk=desk, status=DossierStatus.NEW)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
    assert callbacks
    day = DailyDeskStat.objects.get(desk=desk)
    assert (day.received, day.pending_not_due) == (1, 1)
    assert MonthlyDeskStat.objects.get(desk=desk).received == 1


@pytest.mark.django_db
def test_dossier_receive_leaves_side_effects_pending_when_broker_down(
    broker_down, django_capture_on_commit_callbacks
):
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = make_dossier(desk=desk, status=DossierStatus.NEW, applicant_email="a@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RECEIVED
    pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    # (no counter receipt row: a reception involves no payment)
    assert set(pending.values_list("handler", flat=True)) == {
        "dossiers.notify_citizen",
        "dossiers.notify_citizen_sms",
        "stats.rollup_refresh",
        "sync.push",
    }
    assert not DailyDeskStat.objects.exists()


@pytest.mark.django_db
def test_outbox_sweep_task_delivers_pending_side_effects_when_broker_is_back(
    broker_down, django_capture_on_commit_callbacks, mailoutbox
):
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = make_dossier(desk=desk, status=DossierStatus.NEW, applicant_email="a@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
    app.conf.task_always_eager = True  # the broker is back (tasks run here)

    # e-mail and SMS notices, rollup, sync (off in tests); no counter receipt row (no payment)
    assert outbox_sweep_task() == 4
    assert outbox_sweep_task() == 0
    assert DailyDeskStat.objects.get(desk=desk).received == 1
    assert len(mailoutbox) == 1
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


@pytest.mark.django_db
def test_rollup_rebuild_recent_task_restores_rows_when_deleted():
    dossier = make_dossier(status=DossierStatus.RECEIVED, received_at=timezone.now())
    rollup_rebuild_recent_task()
    DailyDeskStat.objects.all().delete()
    rollup_rebuild_recent_task(days=1)
    assert DailyDeskStat.objects.get(desk=dossier.desk).received == 1
    assert dossier.received_at > timezone.now() - dt.timedelta(days=1)
