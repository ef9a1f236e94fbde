"""Feedback pages: send with a file, the code, lookup with its limits, public page, staff pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Role
from feedback.models import Feedback, FeedbackStatus
from tests.factories import make_desk, make_feedback, make_unit, make_user

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(target_desk, **overrides):
    data = {
        "kind": "petition",
        "subject": "desk",
        "desk": target_desk.pk,
        "title": "Đề nghị thêm ghế chờ",
        "content": "Khu vực chờ thiếu ghế vào buổi sáng.",
        "sender_name": "Nguyễn Văn An",
        "sender_phone": "0912345678",
        "is_public": "on",
    }
    data.update(overrides)
    return data


def test_feedback_send_gives_code_and_lookup_finds_it_when_verifier_right():
    desk = make_desk()
    client = Client()
    upload = SimpleUploadedFile("anh.pdf", PDF, content_type="application/pdf")

    response = client.post("/phan-anh/", {**_form(desk), "files": [upload]})

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.attachments.count() == 1
    sent = client.get(response["Location"])
    assert feedback.code in sent.content.decode()
    found = Client().get("/phan-anh/tra-cuu/", {"code": feedback.code, "verifier": "5678"})
    assert found.status_code == 200
    assert "Đề nghị thêm ghế chờ" in found.content.decode()


def test_feedback_send_answers_400_and_writes_nothing_when_file_is_fake():
    desk = make_desk()
    upload = SimpleUploadedFile("giay.pdf", b"MZ not a pdf", content_type="application/pdf")

    response = Client().post("/phan-anh/", {**_form(desk), "files": [upload]})

    assert response.status_code == 400
    assert "không phải là tệp PDF hợp lệ" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_send_answers_400_when_desk_missing_for_desk_subject():
    response = Client().post("/phan-anh/", _form(make_desk(), desk=""))

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_feedback_lookup_refuses_code_when_too_many_wrong_verifiers(settings):
    settings.LOOKUP_CODE_FAILURE_LIMIT = 3
    feedback = make_feedback(sender_phone="0912345678")
    for n in range(3):
        # Different addresses: the limit is per code, whoever asks.
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        assert (
            client.get(
                "/phan-anh/tra-cuu/", {"code": feedback.code, "verifier": "0000"}
            ).status_code
            == 404
        )

    response = Client(REMOTE_ADDR="10.0.0.9").get(
        "/phan-anh/tra-cuu/", {"code": feedback.code, "verifier": "5678"}
    )

    assert response.status_code == 429
    assert feedback.title not in response.content.decode()


def test_feedback_public_page_shows_only_published_answers():
    shown = make_feedback(
        is_public=True, status=FeedbackStatus.ANSWERED, answer="Đã bổ sung ghế.", title="Ghế chờ"
    )
    shown.published_at = shown.received_at
    shown.save()
    make_feedback(is_public=True, status=FeedbackStatus.ANSWERED, answer="Nội bộ", title="Ẩn 1")
    make_feedback(is_public=True, title="Ẩn 2")

    page = Client().get("/phan-anh/cong-khai/").content.decode()

    assert "Ghế chờ" in page and "Đã bổ sung ghế." in page
    assert "Ẩn 1" not in page and "Ẩn 2" not in page
    assert shown.sender_name not in page and shown.sender_phone not in page


def test_staff_detail_answers_when_clerk_of_the_desk():
    feedback = make_feedback(is_public=True)
    clerk = make_user(role=Role.CLERK, desk=feedback.desk)
    client = Client()
    client.force_login(clerk)

    response = client.post(
        f"/mot-cua/phan-anh/{feedback.pk}/", {"answer": "Đã xử lý.", "publish": "on"}
    )

    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED
    assert feedback.published_at is not None
    assert "Đã xử lý." in Client().get("/phan-anh/cong-khai/").content.decode()


def test_staff_detail_is_404_when_clerk_of_another_desk():
    feedback = make_feedback()
    client = Client()
    client.force_login(make_user(role=Role.CLERK, desk=make_desk()))

    assert client.get(f"/mot-cua/phan-anh/{feedback.pk}/").status_code == 404
    assert client.post(f"/mot-cua/phan-anh/{feedback.pk}/", {"answer": "x"}).status_code == 404


def test_staff_list_is_403_when_citizen():
    client = Client()
    client.force_login(make_user())

    assert client.get("/mot-cua/phan-anh/").status_code == 403


def test_staff_figures_shows_only_leaders_units():
    province = make_unit()
    mine = make_desk(unit=make_unit(parent=province), name="Một cửa của tôi")
    theirs = make_desk(unit=make_unit(), name="Một cửa nơi khác")
    now = dt.datetime.now(dt.UTC)
    make_feedback(desk=mine, received_at=now, status="answered", outcome="on_time")
    make_feedback(desk=theirs, received_at=now)
    leader = make_user(role=Role.LEADER, unit=province)
    client = Client()
    client.force_login(leader)

    page = client.get("/mot-cua/phan-anh/thong-ke/").content.decode()

    assert "Một cửa của tôi" in page
    assert "Một cửa nơi khác" not in page
    assert client.get("/mot-cua/phan-anh/").status_code == 200


def test_staff_figures_is_403_when_clerk():
    client = Client()
    client.force_login(make_user(role=Role.CLERK, desk=make_desk()))

    assert client.get("/mot-cua/phan-anh/thong-ke/").status_code == 403


def test_feedback_pages_answer_in_english_when_language_is_english():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"

    page = client.get("/phan-anh/").content.decode()

    assert "Send feedback or a petition" in page
