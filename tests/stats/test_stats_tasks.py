"""The rollup follows the dossier engine's transitions; a broker outage loses nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Role
from dossiers.models import DossierStatus
from dossiers.services import dossier_receive
from portal.celery import app
from stats.models import DailyDeskStat, MonthlyDeskStat, RollupBacklog
from stats.tasks import rollup_enqueue_refresh, rollup_rebuild_recent_task, scan_deadlines_task
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
def test_rollup_enqueue_refresh_leaves_backlog_when_broker_down(broker_down):
    dossier = make_dossier(status=DossierStatus.RECEIVED)
    assert rollup_enqueue_refresh(dossier_id=dossier.pk) is False
    assert RollupBacklog.objects.filter(dossier=dossier).count() == 1


@pytest.mark.django_db
def test_dossier_receive_succeeds_when_broker_down(broker_down, django_capture_on_commit_callbacks):
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = make_dossier(desk=desk, status=DossierStatus.NEW)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_receive(dossier_id=dossier.pk, actor=clerk, now=timezone.now())
    assert RollupBacklog.objects.filter(dossier=dossier).exists()


@pytest.mark.django_db
def test_scan_deadlines_task_refreshes_backlog_when_broker_back():
    dossier = make_dossier(status=DossierStatus.RECEIVED)
    RollupBacklog.objects.create(dossier=dossier, created_at=timezone.now())
    assert scan_deadlines_task()["refreshes"] == 1
    assert DailyDeskStat.objects.get(desk=dossier.desk).received == 1
    assert not RollupBacklog.objects.exists()


@pytest.mark.django_db
def test_rollup_rebuild_recent_task_restores_rows_when_deleted():
    dossier = make_dossier(status=DossierStatus.RECEIVED, received_at=timezone.now())
    rollup_rebuild_recent_task()
    DailyDeskStat.objects.all().delete()
    rollup_rebuild_recent_task(days=1)
    assert DailyDeskStat.objects.get(desk=dossier.desk).received == 1
    assert dossier.received_at > timezone.now() - dt.timedelta(days=1)
