"""Feedback answered by the responsible agency: routing, answering, re-routing by the desk,
reminders to the agency's staff, figures per agency with their export, "my feedback", SMS."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from accounts.sms import MemorySmsBackend
from feedback import selectors, services
from feedback.models import Feedback, FeedbackOutcome, FeedbackReminderLog, FeedbackStatus
from outbox.delivery import outbox_deliver, outbox_due_ids
from stats.models import Notification
from tests.factories import (
    make_agency,
    make_desk,
    make_dossier,
    make_feedback,
    make_procedure,
    make_sector,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY = dt.datetime(2026, 12, 4, 10, 0, tzinfo=TZ)


def _submit(desk, now=FRIDAY, **overrides):
    values = {
        "kind": "complaint",
        "subject": "procedure",
        "desk_id": desk.pk,
        "sender": None,
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912 345 678",
        "sender_email": "",
        "title": "Giải quyết chậm",
        "content": "Thủ tục này giải quyết chậm.",
        "is_public": False,
        "files": [],
        "now": now,
    }
    values.update(overrides)
    return services.feedback_submit(**values)


def _deliver_outbox(now):
    return [outbox_deliver(message_id=pk, now=now) for pk in outbox_due_ids(now=now)]


@pytest.fixture
def land():
    """A district desk, its land agency (sector Đất đai) and its justice agency."""
    unit = make_unit()
    desk = make_desk(unit=unit)
    sector = make_sector(name="Đất đai")
    land_agency = make_agency(unit=unit, name="Phòng Tài nguyên và Môi trường")
    land_agency.sectors.add(sector)
    justice = make_agency(unit=unit, name="Phòng Tư pháp")
    justice.sectors.add(make_sector(name="Hộ tịch"))
    return {
        "unit": unit,
        "desk": desk,
        "agency": land_agency,
        "other_agency": justice,
        "procedure": make_procedure(sector=sector),
    }


def test_feedback_submit_routes_to_agency_of_procedure_sector_when_desk_unit_has_one(land):
    make_agency(unit=make_unit()).sectors.add(land["procedure"].sector)  # another unit's

    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)

    assert feedback.agency == land["agency"]
    assert feedback.desk == land["desk"]


def test_feedback_submit_falls_back_to_desk_when_no_agency_handles_sector(land):
    procedure = make_procedure()  # a sector no agency of the unit handles

    feedback = _submit(land["desk"], procedure_code=procedure.code)

    assert feedback.agency is None
    clerk = make_user(role=Role.CLERK, desk=land["desk"])
    assert services.feedback_can_answer(user=clerk, feedback=feedback)


def test_feedback_submit_routes_to_dossier_handling_agency_when_about_a_dossier(land):
    dossier = make_dossier(
        desk=land["desk"],
        procedure=land["procedure"],
        status="processing",
        handling_agency=land["other_agency"],
        applicant_phone="0912345678",
    )

    feedback = _submit(
        make_desk(),
        subject="dossier",
        desk_id=None,
        dossier_code=dossier.code,
        dossier_verifier="5678",
    )

    assert feedback.agency == land["other_agency"]
    assert feedback.desk == land["desk"]


def test_feedback_submit_routes_to_sector_agency_when_dossier_not_yet_sent_to_one(land):
    dossier = make_dossier(
        desk=land["desk"],
        procedure=land["procedure"],
        status="received",
        applicant_phone="0912345678",
    )

    feedback = _submit(
        land["desk"], subject="dossier", dossier_code=dossier.code, dossier_verifier="5678"
    )

    assert feedback.agency == land["agency"]


def test_feedback_submit_leaves_desk_to_answer_when_about_the_desk(land):
    feedback = _submit(land["desk"], subject="desk")

    assert feedback.agency is None


def test_feedback_answer_by_agency_specialist_is_on_time_and_desk_clerk_refused(land, settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)
    clerk = make_user(role=Role.CLERK, desk=land["desk"])
    outsider = make_user(role=Role.SPECIALIST, agency=land["other_agency"])
    specialist = make_user(role=Role.SPECIALIST, agency=land["agency"])

    for refused in (clerk, outsider):
        with pytest.raises(services.FeedbackError):
            services.feedback_answer(
                feedback_id=feedback.pk, actor=refused, answer="x", publish=False, now=FRIDAY
            )
    answered = services.feedback_answer(
        feedback_id=feedback.pk,
        actor=specialist,
        answer="Phòng đã rà soát và rút ngắn thời gian.",
        publish=False,
        now=dt.datetime(2026, 12, 8, 9, 0, tzinfo=TZ),
    )

    assert answered.outcome == FeedbackOutcome.ON_TIME
    assert answered.answered_by == specialist


def test_feedback_route_by_desk_clerk_gives_it_to_another_agency_when_unanswered(land):
    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)
    clerk = make_user(role=Role.CLERK, desk=land["desk"])
    specialist = make_user(role=Role.SPECIALIST, agency=land["agency"])
    other_specialist = make_user(role=Role.SPECIALIST, agency=land["other_agency"])

    with pytest.raises(services.FeedbackError):  # a specialist does not route
        services.feedback_route(
            feedback_id=feedback.pk, actor=specialist, agency_id=None, now=FRIDAY
        )
    routed = services.feedback_route(
        feedback_id=feedback.pk,
        actor=clerk,
        agency_id=land["other_agency"].pk,
        now=FRIDAY,
    )

    assert routed.agency == land["other_agency"] and routed.routed_by == clerk
    assert routed.due_at == feedback.due_at
    assert not services.feedback_can_answer(user=specialist, feedback=routed)
    assert services.feedback_can_answer(user=other_specialist, feedback=routed)
    assert selectors.feedback_staff_list(user=other_specialist).get() == routed
    assert not selectors.feedback_staff_list(user=specialist).exists()
    # Back to the desk: its clerk answers.
    back = services.feedback_route(feedback_id=feedback.pk, actor=clerk, agency_id=None, now=FRIDAY)
    assert back.agency is None
    assert services.feedback_can_answer(user=clerk, feedback=back)


def test_feedback_route_refuses_when_already_answered(land):
    feedback = make_feedback(
        desk=land["desk"], status=FeedbackStatus.ANSWERED, outcome=FeedbackOutcome.ON_TIME
    )
    clerk = make_user(role=Role.CLERK, desk=land["desk"])

    with pytest.raises(services.FeedbackError):
        services.feedback_route(
            feedback_id=feedback.pk, actor=clerk, agency_id=land["agency"].pk, now=FRIDAY
        )


def test_feedback_reminder_goes_to_agency_specialists_when_agency_answers(land, settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    specialist = make_user(role=Role.SPECIALIST, agency=land["agency"], email="sv@example.vn")
    clerk = make_user(role=Role.CLERK, desk=land["desk"])
    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)
    monday = dt.datetime(2026, 12, 7, 14, 0, tzinfo=TZ)

    for feedback_id, kind, due_at in selectors.feedback_reminder_candidates(now=monday):
        services.feedback_reminder_record(
            feedback_id=feedback_id, kind=kind, due_at=due_at, now=monday
        )
    _deliver_outbox(monday)

    log = FeedbackReminderLog.objects.get(feedback=feedback)
    assert log.recipients == 1
    assert [note.recipient for note in Notification.objects.all()] == [specialist]
    assert not Notification.objects.filter(recipient=clerk).exists()


def test_feedback_reminder_goes_to_desk_when_agency_has_no_account_yet(land, settings):
    settings.FEEDBACK_ANSWER_WORKING_DAYS = 2
    clerk = make_user(role=Role.CLERK, desk=land["desk"])
    _submit(land["desk"], procedure_code=land["procedure"].code)
    monday = dt.datetime(2026, 12, 7, 14, 0, tzinfo=TZ)

    for feedback_id, kind, due_at in selectors.feedback_reminder_candidates(now=monday):
        services.feedback_reminder_record(
            feedback_id=feedback_id, kind=kind, due_at=due_at, now=monday
        )
    _deliver_outbox(monday)

    assert [note.recipient for note in Notification.objects.all()] == [clerk]


def test_feedback_answer_sends_sms_to_sender_once_when_delivered_twice(land):
    MemorySmsBackend.outbox.clear()
    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)
    specialist = make_user(role=Role.SPECIALIST, agency=land["agency"])
    services.feedback_answer(
        feedback_id=feedback.pk, actor=specialist, answer="Đã xử lý.", publish=False, now=FRIDAY
    )
    assert MemorySmsBackend.outbox == []  # nothing inside the answer's transaction

    _deliver_outbox(FRIDAY)
    assert services.feedback_answer_notify(feedback_id=feedback.pk, now=FRIDAY) is False

    assert len(MemorySmsBackend.outbox) == 1
    phone, text = MemorySmsBackend.outbox[0]
    assert phone == "0912345678" and feedback.code in text


def test_feedback_figures_by_agency_counts_each_agency_within_leader_scope(land):
    now = dt.datetime.now(dt.UTC)
    agency, desk = land["agency"], land["desk"]
    make_feedback(desk=desk, agency=agency, received_at=now, status="answered", outcome="on_time")
    make_feedback(desk=desk, agency=agency, received_at=now, status="answered", outcome="late")
    make_feedback(
        desk=desk, agency=agency, received_at=now, due_at=now - dt.timedelta(hours=1)
    )  # pending, overdue
    make_feedback(desk=desk, received_at=now)  # no agency: the desk answers
    elsewhere = make_agency(unit=make_unit())
    make_feedback(desk=make_desk(unit=elsewhere.unit), agency=elsewhere, received_at=now)
    today = timezone.localdate(now)  # the figures count local (Asia/Ho_Chi_Minh) days

    rows = selectors.feedback_figures_by_agency(
        root=land["unit"], date_from=today, date_to=today, now=now
    )

    by_name = {row.name: row for row in rows}
    assert set(by_name) == {agency.name, desk.name}
    row = by_name[agency.name]
    assert (row.kind, row.received, row.answered_on_time, row.answered_late) == (
        "agency",
        3,
        1,
        1,
    )
    assert (row.pending, row.pending_overdue, row.on_time_rate) == (1, 1, 50.0)
    assert by_name[desk.name].kind == "desk" and by_name[desk.name].received == 1


def test_staff_figures_export_gives_xlsx_and_csv_with_formula_safe_cells(land):
    now = dt.datetime.now(dt.UTC)
    land["agency"].name = '=HYPERLINK("http://x")'
    land["agency"].save()
    make_feedback(
        desk=land["desk"],
        agency=land["agency"],
        received_at=now,
        status="answered",
        outcome="on_time",
    )
    client = Client()
    client.force_login(make_user(role=Role.LEADER, unit=land["unit"]))

    page = client.get("/mot-cua/phan-anh/thong-ke/").content.decode()
    xlsx = client.get("/mot-cua/phan-anh/thong-ke/xuat/xlsx/")
    text = client.get("/mot-cua/phan-anh/thong-ke/xuat/csv/").content.decode("utf-8-sig")

    assert "Phòng Tư pháp" not in page and "HYPERLINK" in page
    assert xlsx.status_code == 200 and "attachment" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][2:8] == (1, 1, 0, 0, 0, 100.0)
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert lines[1][0].startswith("'=") and lines[1][7] == "100,0"
    assert client.get("/mot-cua/phan-anh/thong-ke/xuat/pdf/").status_code == 404


def test_staff_figures_export_is_403_when_clerk(land):
    client = Client()
    client.force_login(make_user(role=Role.CLERK, desk=land["desk"]))

    assert client.get("/mot-cua/phan-anh/thong-ke/xuat/csv/").status_code == 403


def test_staff_route_view_moves_feedback_when_clerk_posts(land):
    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)
    clerk = make_user(role=Role.CLERK, desk=land["desk"])
    client = Client()
    client.force_login(clerk)

    page = client.get(f"/mot-cua/phan-anh/{feedback.pk}/").content.decode()
    response = client.post(
        f"/mot-cua/phan-anh/{feedback.pk}/chuyen/", {"agency": land["other_agency"].pk}
    )

    assert "Chuyển cơ quan trả lời" in page and 'name="answer"' not in page
    assert response.status_code == 302
    assert Feedback.objects.get(pk=feedback.pk).agency == land["other_agency"]


def test_staff_route_view_is_403_when_specialist(land):
    feedback = _submit(land["desk"], procedure_code=land["procedure"].code)
    specialist = make_user(role=Role.SPECIALIST, agency=land["agency"])
    client = Client()
    client.force_login(specialist)

    page = client.get(f"/mot-cua/phan-anh/{feedback.pk}/").content.decode()
    response = client.post(f"/mot-cua/phan-anh/{feedback.pk}/chuyen/", {"agency": ""})

    assert 'name="answer"' in page
    assert response.status_code == 403
    assert Feedback.objects.get(pk=feedback.pk).agency == land["agency"]


def test_feedback_mine_lists_only_the_signed_in_senders_feedback(land):
    citizen = make_user()
    mine = _submit(land["desk"], subject="desk", sender=citizen, title="Của tôi")
    _submit(land["desk"], subject="desk", sender=make_user(), title="Của người khác")
    client = Client()

    assert client.get("/phan-anh/cua-toi/").status_code == 302  # sign in first
    client.force_login(citizen)
    page = client.get("/phan-anh/cua-toi/").content.decode()

    assert mine.code in page and "Của tôi" in page
    assert "Của người khác" not in page


def test_dashboard_shows_feedback_figure_and_links_when_leader(land):
    now = dt.datetime.now(dt.UTC)
    desk, agency = land["desk"], land["agency"]
    make_feedback(desk=desk, agency=agency, received_at=now, status="answered", outcome="on_time")
    make_feedback(desk=desk, agency=agency, received_at=now, status="answered", outcome="late")
    make_feedback(desk=make_desk(), received_at=now, status="answered", outcome="late")  # elsewhere
    client = Client()
    client.force_login(make_user(role=Role.LEADER, unit=land["unit"]))

    page = client.get("/mot-cua/thong-ke/").content.decode()

    assert "Trả lời phản ánh, kiến nghị đúng hạn (theo cơ quan)" in page
    assert "1/2 = 50,0%" in page
    assert 'href="/mot-cua/phan-anh/thong-ke/?date_from=' in page
    assert 'href="/mot-cua/dong-bo/"' in page  # the sync indicator's page
    assert 'data-indicator="paid-online"' in page  # Decision 766 online payment, even at 0
