"""Citizen notifications: Vietnamese email (three templates) and SMS, once per event, delivered
through the outbox."""

import datetime

import pytest
from django.utils import timezone

from accounts.sms import MemorySmsBackend
from dossiers.models import DossierEvent, DossierStatus
from dossiers.side_effects import (
    dossier_event_publish,
    notify_citizen_email_handler,
    notify_citizen_sms_handler,
)
from outbox.delivery import outbox_deliver
from outbox.models import OutboxMessage
from tests.factories import make_dossier


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySmsBackend.outbox.clear()


def _event(dossier, action, **fields):
    return DossierEvent.objects.create(dossier=dossier, action=action, at=timezone.now(), **fields)


NOTICE_HANDLERS = ("dossiers.notify_citizen", "dossiers.notify_citizen_sms")  # e-mail, SMS


def notify_citizen(dossier, event, *, now=None):
    """Publish the event (once: a second publish adds nothing) and deliver its citizen notices
    (the e-mail row, then the SMS row; "none" for a row not written, as its handler would do
    nothing); the outcome when both agree, else both."""
    dossier_event_publish(dossier=dossier, event=event)
    rows = [
        OutboxMessage.objects.filter(key=f"dossier-event:{event.pk}:{handler}").first()
        for handler in NOTICE_HANDLERS
    ]
    outcomes = [outbox_deliver(message_id=row.pk, now=now) if row else "none" for row in rows]
    return outcomes[0] if len(set(outcomes)) == 1 else tuple(outcomes)


@pytest.mark.django_db
def test_notify_citizen_sends_email_and_sms_once_when_dossier_is_received(mailoutbox):
    dossier = make_dossier(
        status=DossierStatus.RECEIVED,
        applicant_email="nhung@example.vn",
        applicant_name="Nguyễn Thị Hồng Nhung",
    )
    event = _event(dossier, "receive", from_status="new", to_status="received")
    assert notify_citizen(dossier, event) == "sent"
    assert notify_citizen(dossier, event) == "skipped"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    assert "Kính gửi ông/bà Nguyễn Thị Hồng Nhung" in message.body
    assert "Hẹn trả kết quả" in message.body
    assert "<strong>" in message.alternatives[0][0]
    assert MemorySmsBackend.outbox == [
        (
            "0912345678",
            f"Hồ sơ {dossier.code} đã được tiếp nhận. Hẹn trả kết quả: "
            f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}.",
        )
    ]


@pytest.mark.django_db
def test_notify_citizen_lists_documents_when_a_supplement_is_requested(mailoutbox):
    items = [{"document": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}]
    dossier = make_dossier(
        status=DossierStatus.SUPPLEMENT_REQUESTED,
        supplement_items=items,
        applicant_email="nhung@example.vn",
    )
    event = _event(dossier, "request_supplement", data={"items": items})
    assert notify_citizen(dossier, event) == "sent"
    assert "Giấy chứng sinh: Bản chụp bị mờ" in mailoutbox[0].body


@pytest.mark.django_db
def test_notify_citizen_gives_the_new_date_when_apologizing(mailoutbox):
    new_due = timezone.now() + datetime.timedelta(days=4)
    dossier = make_dossier(
        status=DossierStatus.PROCESSING,
        applicant_email="a@example.vn",
        apology_reason="Cần xác minh",
        rescheduled_due_at=new_due,
    )
    event = _event(dossier, "apologize")
    assert notify_citizen(dossier, event) == "sent"
    assert f"{timezone.localtime(new_due):%H:%M %d/%m/%Y}" in mailoutbox[0].body
    assert "Cần xác minh" in mailoutbox[0].body


@pytest.mark.django_db
def test_notify_citizen_sends_nothing_when_the_event_is_internal(mailoutbox):
    dossier = make_dossier(status=DossierStatus.PROCESSING, applicant_email="a@example.vn")
    event = _event(dossier, "hand_off", to_status="processing", from_status="processing")
    assert notify_citizen(dossier, event) == "none"  # no row: nothing to send
    assert mailoutbox == [] and MemorySmsBackend.outbox == []
    # and the handlers, given the event anyway, agree
    payload = {"dossier_id": dossier.pk, "event_id": event.pk}
    assert notify_citizen_email_handler(payload) is None
    assert notify_citizen_sms_handler(payload) is None
    assert mailoutbox == [] and MemorySmsBackend.outbox == []


@pytest.mark.django_db
def test_notify_citizen_sends_on_retry_when_the_first_send_failed(mailoutbox, settings):
    dossier = make_dossier(status=DossierStatus.RECEIVED, applicant_email="nhung@example.vn")
    event = _event(dossier, "receive", from_status="new", to_status="received")
    settings.SMS_BACKEND = "tests.dossiers.test_notifications.FailingSmsBackend"

    assert notify_citizen(dossier, event) == ("sent", "retry")  # the e-mail went out
    row = OutboxMessage.objects.get(handler="dossiers.notify_citizen_sms")
    assert row.status == "pending" and "SMS gateway unreachable" in row.last_error

    settings.SMS_BACKEND = "accounts.sms.MemorySmsBackend"
    assert notify_citizen(dossier, event) == "skipped"  # e-mail done, SMS backing off
    assert notify_citizen(dossier, event, now=row.available_at) == ("skipped", "sent")
    assert len(MemorySmsBackend.outbox) == 1
    assert len(mailoutbox) == 1  # the SMS retry did not send the e-mail again


class FailingSmsBackend:
    """An SMS gateway that is down."""

    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("SMS gateway unreachable")
