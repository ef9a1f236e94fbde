"""Deadline reminders: who is told, when, and only once."""

import datetime as dt

import pytest
from django.core import mail

from accounts.models import Role
from accounts.sms import MemorySmsBackend
from dossiers.models import DossierEvent, DossierStatus
from stats.models import DailyDeskStat, Notification, ReminderKind, ReminderLog
from stats.selectors import reminder_candidates
from stats.services import citizen_overdue_notify, reminder_send
from stats.tasks import scan_deadlines_task, send_reminder_task
from tests.factories import make_desk, make_dossier, make_user
from tests.stats.stats_builders import TZ

# Wednesday 08/04/2026 09:00; Thursday 09/04 is a working day.
NOW = dt.datetime(2026, 4, 8, 9, 0, tzinfo=TZ)


@pytest.fixture
def desk(db):
    return make_desk()


def _open(desk, due_at, **extra):
    return make_dossier(
        desk=desk,
        status=DossierStatus.PROCESSING,
        received_at=NOW - dt.timedelta(days=5),
        due_at=due_at,
        **extra,
    )


@pytest.mark.django_db
def test_reminder_candidates_picks_kind_when_near_deadline(desk, django_assert_max_num_queries):
    today = _open(desk, NOW + dt.timedelta(hours=6))
    soon = _open(desk, dt.datetime(2026, 4, 9, 16, 0, tzinfo=TZ))
    overdue = _open(desk, NOW - dt.timedelta(hours=1))
    _open(desk, NOW + dt.timedelta(days=5))  # far away
    _open(desk, NOW - dt.timedelta(days=10))  # overdue long ago: reminded before the window
    make_dossier(
        desk=desk,
        status=DossierStatus.RESOLVED,
        received_at=NOW - dt.timedelta(days=3),
        due_at=NOW - dt.timedelta(hours=2),
        finished_at=NOW - dt.timedelta(hours=1),
        outcome="late",
    )
    with django_assert_max_num_queries(3):
        candidates = reminder_candidates(now=NOW)
    assert sorted((pk, kind) for pk, kind, _due in candidates) == sorted(
        [
            (today.pk, ReminderKind.DUE_TODAY),
            (soon.pk, ReminderKind.DUE_SOON),
            (overdue.pk, ReminderKind.OVERDUE),
        ]
    )


@pytest.mark.django_db
def test_reminder_candidates_skips_weekend_when_next_working_day_is_monday(desk):
    friday = dt.datetime(2026, 4, 10, 9, 0, tzinfo=TZ)
    monday = _open(desk, dt.datetime(2026, 4, 13, 10, 0, tzinfo=TZ))
    tuesday = _open(desk, dt.datetime(2026, 4, 14, 10, 0, tzinfo=TZ))
    kinds = {pk: kind for pk, kind, _due in reminder_candidates(now=friday)}
    assert kinds == {monday.pk: ReminderKind.DUE_SOON}
    assert tuesday.pk not in kinds


@pytest.mark.django_db
def test_reminder_send_notifies_handler_and_desk_head_once_when_run_twice(desk):
    handler = make_user(role=Role.SPECIALIST, email="cv@example.vn")
    head = make_user(role=Role.DESK_HEAD, desk=desk, email="truong@example.vn")
    make_user(role=Role.CLERK, desk=desk, email="khac@example.vn")  # not the handler
    dossier = _open(desk, NOW + dt.timedelta(hours=3))
    DossierEvent.objects.create(
        dossier=dossier, action="start_processing", actor=handler, at=NOW - dt.timedelta(days=4)
    )
    assert reminder_send(dossier_id=dossier.pk, kind="due_today", due_at=dossier.due_at, now=NOW)
    assert not reminder_send(
        dossier_id=dossier.pk, kind="due_today", due_at=dossier.due_at, now=NOW
    )
    assert ReminderLog.objects.filter(dossier=dossier).count() == 1
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {handler.pk, head.pk}
    assert sorted(m.to[0] for m in mail.outbox) == ["cv@example.vn", "truong@example.vn"]
    assert dossier.code in mail.outbox[0].subject
    assert "hôm nay" in mail.outbox[0].body


@pytest.mark.django_db
def test_reminder_send_falls_back_to_desk_clerks_when_no_handler(desk):
    clerk = make_user(role=Role.CLERK, desk=desk)
    dossier = _open(desk, NOW + dt.timedelta(hours=3))
    reminder_send(dossier_id=dossier.pk, kind="due_today", due_at=dossier.due_at, now=NOW)
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [clerk.pk]


@pytest.mark.django_db
def test_reminder_send_skips_when_appointment_moved_or_resolved(desk):
    make_user(role=Role.DESK_HEAD, desk=desk)
    moved = _open(desk, NOW + dt.timedelta(hours=3))
    old_due = moved.due_at - dt.timedelta(days=1)
    assert not reminder_send(dossier_id=moved.pk, kind="due_today", due_at=old_due, now=NOW)
    done = make_dossier(
        desk=desk, status=DossierStatus.RESOLVED, due_at=NOW, outcome="on_time", finished_at=NOW
    )
    assert not reminder_send(dossier_id=done.pk, kind="overdue", due_at=done.due_at, now=NOW)
    not_yet = _open(desk, NOW + dt.timedelta(hours=1))
    assert not reminder_send(dossier_id=not_yet.pk, kind="overdue", due_at=not_yet.due_at, now=NOW)
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_scan_deadlines_task_sends_each_reminder_once_when_scan_runs_twice(
    desk, django_capture_on_commit_callbacks
):
    make_user(role=Role.DESK_HEAD, desk=desk, email="truong@example.vn")
    dossier = _open(
        desk, dt.datetime.now(tz=TZ) - dt.timedelta(hours=1), applicant_email="dan@example.vn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = scan_deadlines_task()
        second = scan_deadlines_task()
    assert first["reminders"] == 1
    assert second["reminders"] == 0
    kinds = set(ReminderLog.objects.filter(dossier=dossier).values_list("kind", flat=True))
    assert kinds == {ReminderKind.OVERDUE, ReminderKind.CITIZEN_OVERDUE}
    assert sorted(m.to[0] for m in mail.outbox) == ["dan@example.vn", "truong@example.vn"]
    # The overdue dossier moved to pending_overdue in the rollup although no transition happened.
    assert DailyDeskStat.objects.get(desk=desk).pending_overdue == 1
    send_reminder_task(dossier.pk, "overdue", dossier.due_at.isoformat())
    assert ReminderLog.objects.filter(dossier=dossier).count() == 2


@pytest.mark.django_db
def test_citizen_overdue_notify_includes_apology_when_issued(desk):
    MemorySmsBackend.outbox.clear()
    new_due = dt.datetime(2026, 4, 15, 16, 0, tzinfo=TZ)
    dossier = _open(
        desk,
        NOW - dt.timedelta(hours=2),
        applicant_email="dan@example.vn",
        rescheduled_due_at=new_due,
        apology_reason="Cần xác minh thực địa",
    )
    assert citizen_overdue_notify(dossier_id=dossier.pk, due_at=dossier.due_at, now=NOW)
    assert not citizen_overdue_notify(dossier_id=dossier.pk, due_at=dossier.due_at, now=NOW)
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "xin lỗi" in body
    assert "16:00 15/04/2026" in body
    assert "Cần xác minh thực địa" in body
    assert len(MemorySmsBackend.outbox) == 1
    assert "15/04/2026" in MemorySmsBackend.outbox[0][1]


@pytest.mark.django_db
def test_notifications_page_lists_and_marks_read_when_staff(client, desk):
    head = make_user(role=Role.DESK_HEAD, desk=desk)
    dossier = _open(desk, NOW + dt.timedelta(hours=3))
    reminder_send(dossier_id=dossier.pk, kind="due_today", due_at=dossier.due_at, now=NOW)
    client.force_login(head)
    response = client.get("/mot-cua/thong-bao/")
    assert response.status_code == 200
    assert dossier.code in response.content.decode()
    assert f"/ho-so/mot-cua/ho-so/{dossier.code}/" in response.content.decode()
    from django.template import Context, Template

    badge = Template("{% load stats_tags %}{% notification_badge %}")
    request = response.wsgi_request
    assert ">1</span>" in badge.render(Context({"request": request}))
    client.post("/mot-cua/thong-bao/da-doc/", {"id": "all"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    client.force_login(make_user(role=Role.CITIZEN))
    assert client.get("/mot-cua/thong-bao/").status_code == 403
