"""Feedback: deadlines by working days, answers on time and late, reminders once, publishing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from accounts.models import Role
from dossiers.services.documents import UploadedDocument
from feedback import selectors, services
from feedback.models import (
    Feedback,
    FeedbackAttachment,
    FeedbackOutcome,
    FeedbackReminderKind,
    FeedbackReminderLog,
    FeedbackStatus,
)
from outbox.delivery import outbox_deliver, outbox_due_ids
from stats.models import Notification
from tests.factories import (
    make_desk,
    make_dossier,
    make_feedback,
    make_procedure,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _submit(desk, now, **overrides):
    values = {
        "kind": "complaint",
        "subject": "desk",
        "desk_id": desk.pk,
        "sender": None,
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912 345 678",
        "sender_email": "an@example.vn",
        "title": "Chờ lâu",
        "content": "Tôi chờ hai tiếng ở quầy 1.",
        "is_public": True,
        "files": [],
        "now": now,
    }
    values.update(overrides)
    return services.feedback_submit(**values)


def _deliver_outbox(now):
    return [outbox_deliver(message_id=pk, now=now) for pk in outbox_due_ids(now=now)]


def test_feedback_submit_sets_due_at_after_working_days_when_weekend_between(settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    desk = make_desk()
    friday = dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ)

    feedback = _submit(desk, friday)

    # Friday 10:00 + 2 working days, Saturday and Sunday skipped: Tuesday 10:00.
    assert feedback.due_at == dt.datetime(2026, 12, 8, 10, 0, tzinfo=TZ)
    assert feedback.code.startswith("PA261204")
    assert feedback.sender_phone == "0912345678"
    assert feedback.status == FeedbackStatus.RECEIVED


def test_feedback_submit_stores_attachment_when_valid_pdf():
    feedback = _submit(
        make_desk(),
        dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
        files=[UploadedDocument(name="anh chup.pdf", content=PDF)],
    )

    attachment = feedback.attachments.get()
    assert attachment.original_name == "anh chup.pdf"
    assert attachment.file.read() == PDF


def test_feedback_submit_refuses_and_writes_nothing_when_attachment_is_not_what_it_says():
    with pytest.raises(services.FeedbackError) as error:
        _submit(
            make_desk(),
            dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
            files=[UploadedDocument(name="hoa-don.pdf", content=b"<html>not a pdf</html>")],
        )

    assert error.value.field == "files"
    assert not Feedback.objects.exists()
    assert not FeedbackAttachment.objects.exists()


def test_feedback_submit_targets_dossier_desk_when_code_and_verifier_match():
    desk = make_desk()
    dossier = make_dossier(desk=desk, status="processing", applicant_phone="0912345678")

    feedback = _submit(
        make_desk(),
        dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
        subject="dossier",
        desk_id=None,
        dossier_code=dossier.code,
        dossier_verifier="5678",
    )

    assert feedback.dossier == dossier
    assert feedback.desk == desk


def test_feedback_submit_refuses_when_dossier_verifier_wrong():
    dossier = make_dossier(status="processing", applicant_phone="0912345678")

    with pytest.raises(services.FeedbackError):
        _submit(
            make_desk(),
            dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
            subject="dossier",
            dossier_code=dossier.code,
            dossier_verifier="0000",
        )
    assert not Feedback.objects.exists()


def test_feedback_submit_refuses_when_procedure_code_unknown():
    with pytest.raises(services.FeedbackError) as error:
        _submit(
            make_desk(),
            dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
            subject="procedure",
            procedure_code="0.000000",
        )
    assert error.value.field == "procedure_code"


def test_feedback_submit_links_procedure_when_code_known():
    procedure = make_procedure()
    feedback = _submit(
        make_desk(),
        dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
        subject="procedure",
        procedure_code=procedure.code,
    )
    assert feedback.procedure == procedure


def test_feedback_answer_is_on_time_when_answered_before_deadline(settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    friday = dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ)
    feedback = _submit(desk, friday)

    answered = services.feedback_answer(
        feedback_id=feedback.pk,
        actor=clerk,
        answer="Đã bố trí thêm quầy.",
        publish=False,
        now=dt.datetime(2026, 12, 8, 9, 59, tzinfo=TZ),
    )

    assert answered.status == FeedbackStatus.ANSWERED
    assert answered.outcome == FeedbackOutcome.ON_TIME
    assert answered.answered_by == clerk
    _deliver_outbox(dt.datetime(2026, 12, 8, 10, 0, tzinfo=TZ))
    assert [message.to for message in mail.outbox] == [["an@example.vn"]]
    assert "Đã bố trí thêm quầy." in mail.outbox[0].body


def test_feedback_answer_is_late_when_answered_after_deadline(settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk)
    feedback = _submit(desk, dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ))

    answered = services.feedback_answer(
        feedback_id=feedback.pk,
        actor=clerk,
        answer="Xin lỗi vì trả lời chậm.",
        publish=False,
        now=dt.datetime(2026, 12, 8, 10, 1, tzinfo=TZ),
    )

    assert answered.outcome == FeedbackOutcome.LATE


def test_feedback_answer_refuses_when_actor_is_clerk_of_another_desk():
    feedback = make_feedback()
    other = make_user(role=Role.CLERK, desk=make_desk())

    with pytest.raises(services.FeedbackError):
        services.feedback_answer(
            feedback_id=feedback.pk,
            actor=other,
            answer="...",
            publish=False,
            now=feedback.received_at,
        )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED


def test_feedback_answer_refuses_publish_when_sender_did_not_agree():
    feedback = make_feedback(is_public=False)
    clerk = make_user(role=Role.CLERK, desk=feedback.desk)

    with pytest.raises(services.FeedbackError):
        services.feedback_answer(
            feedback_id=feedback.pk,
            actor=clerk,
            answer="Trả lời.",
            publish=True,
            now=feedback.received_at,
        )
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.RECEIVED and feedback.published_at is None


def test_feedback_reminders_sent_once_when_scanned_and_delivered_twice(settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    desk = make_desk()
    clerk = make_user(role=Role.CLERK, desk=desk, email="clerk@example.vn")
    head = make_user(role=Role.DESK_HEAD, desk=desk, email="")
    make_user(role=Role.CLERK, desk=make_desk())  # another desk's clerk: not reminded
    feedback = _submit(desk, dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ))
    mail.outbox.clear()
    monday = dt.datetime(2026, 12, 7, 14, 0, tzinfo=TZ)  # due Tuesday 10:00: within a day

    for _ in range(2):
        for feedback_id, kind, due_at in selectors.feedback_reminder_candidates(now=monday):
            services.feedback_reminder_record(
                feedback_id=feedback_id, kind=kind, due_at=due_at, now=monday
            )
        _deliver_outbox(monday)
    # The same outbox message delivered once more (a retried delivery) adds nothing either.
    log = FeedbackReminderLog.objects.get()
    assert services.feedback_reminder_deliver(reminder_id=log.pk, now=monday) == 0

    assert log.kind == FeedbackReminderKind.DUE_SOON and log.feedback == feedback
    assert log.recipients == 2 and log.delivered_at is not None
    notes = Notification.objects.order_by("recipient_id")
    assert [note.recipient for note in notes] == [clerk, head]
    assert feedback.code in notes[0].title
    assert [message.to for message in mail.outbox] == [["clerk@example.vn"]]

    # Past the deadline: one overdue reminder, once.
    wednesday = dt.datetime(2026, 12, 9, 8, 0, tzinfo=TZ)
    for _ in range(2):
        for feedback_id, kind, due_at in selectors.feedback_reminder_candidates(now=wednesday):
            services.feedback_reminder_record(
                feedback_id=feedback_id, kind=kind, due_at=due_at, now=wednesday
            )
        _deliver_outbox(wednesday)
    assert FeedbackReminderLog.objects.filter(kind=FeedbackReminderKind.OVERDUE).count() == 1
    assert Notification.objects.filter(kind="overdue").count() == 2


def test_feedback_reminder_not_recorded_when_deadline_more_than_a_working_day_away(settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    feedback = _submit(make_desk(), dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ))
    friday_noon = dt.datetime(2026, 12, 4, 11, 0, tzinfo=TZ)

    recorded = services.feedback_reminder_record(
        feedback_id=feedback.pk,
        kind=FeedbackReminderKind.DUE_SOON,
        due_at=feedback.due_at,
        now=friday_noon,
    )

    assert recorded is False
    assert not FeedbackReminderLog.objects.exists()


def test_feedback_reminder_not_recorded_when_answered():
    feedback = make_feedback(
        status=FeedbackStatus.ANSWERED, due_at=dt.datetime(2026, 12, 1, 8, 0, tzinfo=TZ)
    )
    recorded = services.feedback_reminder_record(
        feedback_id=feedback.pk,
        kind=FeedbackReminderKind.OVERDUE,
        due_at=feedback.due_at,
        now=dt.datetime(2026, 12, 2, 8, 0, tzinfo=TZ),
    )
    assert recorded is False


def test_feedback_public_list_shows_only_published_answers():
    published = make_feedback(is_public=True, status=FeedbackStatus.ANSWERED, answer="Đã xử lý.")
    published.published_at = published.received_at
    published.save()
    make_feedback(is_public=True, status=FeedbackStatus.ANSWERED, answer="Chưa công khai.")
    make_feedback(is_public=False, status=FeedbackStatus.ANSWERED, answer="Không đồng ý.")
    make_feedback(is_public=True)

    assert list(selectors.feedback_public_list()) == [published]


def test_feedback_figures_by_desk_counts_on_time_late_and_overdue_within_leader_scope():
    province = make_unit()
    district = make_unit(parent=province)
    other = make_unit()
    desk = make_desk(unit=district)
    now = dt.datetime(2026, 12, 10, 9, 0, tzinfo=TZ)
    received = dt.datetime(2026, 12, 1, 9, 0, tzinfo=TZ)
    make_feedback(desk=desk, received_at=received, status="answered", outcome="on_time")
    make_feedback(desk=desk, received_at=received, status="answered", outcome="late")
    make_feedback(desk=desk, received_at=received, due_at=now - dt.timedelta(days=1))
    make_feedback(desk=desk, received_at=received, due_at=now + dt.timedelta(days=1))
    make_feedback(desk=make_desk(unit=other), received_at=received)

    rows = selectors.feedback_figures_by_desk(
        root=province, date_from=dt.date(2026, 12, 1), date_to=dt.date(2026, 12, 31), now=now
    )

    assert len(rows) == 1
    row = rows[0]
    assert row.desk == desk
    assert (row.received, row.answered_on_time, row.answered_late) == (4, 1, 1)
    assert (row.pending, row.pending_overdue, row.on_time_rate) == (2, 1, 50.0)


def test_feedback_scan_deadlines_task_records_each_reminder_once_when_run_twice(settings):
    from django.utils import timezone

    from feedback.tasks import feedback_scan_deadlines_task

    now = timezone.now()
    overdue = make_feedback(due_at=now - dt.timedelta(hours=1))
    make_feedback(due_at=now + dt.timedelta(days=30))  # far away: nothing
    make_feedback(due_at=now - dt.timedelta(hours=2), status=FeedbackStatus.ANSWERED)

    feedback_scan_deadlines_task()
    feedback_scan_deadlines_task()

    logs = list(FeedbackReminderLog.objects.values_list("feedback_id", "kind"))
    assert logs == [(overdue.pk, FeedbackReminderKind.OVERDUE)]
