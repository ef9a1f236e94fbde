"""The assistant: grounded answers, low confidence, follow-ups, dossier status, log, throttle."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from assistant.models import UnansweredQuestion
from assistant.services import assistant_ask, scrub

pytestmark = pytest.mark.django_db


def test_assistant_ask_lists_exactly_the_catalog_documents_when_asked_what_to_bring(catalog):
    answer = assistant_ask(
        message="làm giấy khai sinh cho con cần giấy tờ gì", conversation_id=None, client="t"
    )
    assert answer.intent == "documents"
    assert answer.procedures[0]["code"] == "1.001193"
    assert answer.items == [
        "Giấy chứng sinh (Bản chính, 01)",
        "Tờ khai đăng ký khai sinh (Bản chính, 01)",
    ]
    assert answer.source["url"] == catalog["birth"].get_absolute_url()


def test_assistant_ask_quotes_the_catalog_fee_and_time_when_asked(catalog):
    fee = assistant_ask(message="khai sinh lệ phí bao nhiêu", conversation_id=None, client="t")
    assert fee.intent == "fee" and fee.items == ["Trực tiếp: Miễn lệ phí"]
    time = assistant_ask(message="khai sinh mất bao lâu", conversation_id=None, client="t")
    assert time.items == ["Trực tiếp: Ngay trong ngày làm việc"]


def test_assistant_ask_says_unknown_when_catalog_has_no_fee(catalog):
    answer = assistant_ask(
        message="báo tử cho bố lệ phí bao nhiêu", conversation_id=None, client="t"
    )
    assert answer.procedures[0]["code"] == "1.000656"
    assert "chưa có thông tin" in answer.text
    assert answer.items == ["Trực tiếp: chưa có thông tin"]


def test_assistant_ask_offers_candidates_and_phone_when_confidence_low(catalog):
    answer = assistant_ask(
        message="thời tiết ngày mai có mưa không", conversation_id=None, client="t"
    )
    assert answer.low_confidence
    assert len(answer.procedures) <= 3
    assert UnansweredQuestion.objects.filter(normalized__contains="thoi tiet").exists()


def test_assistant_ask_answers_follow_up_about_last_procedure_when_conversation_given(catalog):
    first = assistant_ask(message="xin cắt khẩu", conversation_id=None, client="t")
    assert first.procedures[0]["code"] == "1.003197"
    follow = assistant_ask(message="mất bao lâu?", conversation_id=first.conversation, client="t")
    assert follow.intent == "time"
    assert follow.procedures[0]["code"] == "1.003197"
    fresh = assistant_ask(message="mất bao lâu?", conversation_id=None, client="t")
    assert not fresh.procedures or fresh.low_confidence


def test_scrub_removes_personal_data_when_message_holds_it():
    text = scrub(
        "CCCD 077123456789, sđt 0912 345 678, a.b@c.vn, hồ sơ 000.00.06.H02-250102-0001 mã 4321"
    )
    for secret in ("077123456789", "0912", "345 678", "a.b@c.vn", "H02-250102", "4321"):
        assert secret not in text


def test_assistant_ask_logs_no_personal_data_when_question_unanswered(catalog):
    assistant_ask(
        message="tôi là 077123456789 gọi 0912345678 hỏi về thuế đất xyz",
        conversation_id=None,
        client="t",
    )
    logged = " ".join(UnansweredQuestion.objects.values_list("example", flat=True))
    assert logged and "077123456789" not in logged and "0912345678" not in logged


@pytest.fixture
def dossier():
    from tests.factories import make_dossier

    return make_dossier()


def test_assistant_ask_gives_status_only_when_verifier_right(dossier):
    verifier = (dossier.applicant_phone or dossier.applicant_cccd)[-4:]
    ask = assistant_ask(message=f"hồ sơ {dossier.code} của tôi", conversation_id=None, client="t")
    assert ask.intent == "status" and ask.status is None and "4 số cuối" in ask.text
    right = assistant_ask(message=verifier, conversation_id=ask.conversation, client="t")
    assert right.status["code"] == dossier.code
    wrong_digits = "0000" if verifier != "0000" else "1111"
    wrong = assistant_ask(
        message=f"{dossier.code} {wrong_digits}", conversation_id=None, client="t"
    )
    unknown = assistant_ask(
        message="000.00.00.H02-990101-9999 1234", conversation_id=None, client="t"
    )
    assert wrong.status is None and wrong.text == unknown.text


def test_assistant_ask_refuses_status_when_lookup_limit_reached(dossier):
    for _ in range(10):
        assistant_ask(message=f"{dossier.code} 0000", conversation_id=None, client="1.2.3.4")
    answer = assistant_ask(message=f"{dossier.code} 0000", conversation_id=None, client="1.2.3.4")
    assert answer.throttled


def test_ask_api_throttles_per_client_address_when_rate_exceeded(client, monkeypatch, catalog):
    from onestop.throttling import ScopedRateThrottle

    rates = {**ScopedRateThrottle.THROTTLE_RATES, "assistant": "2/min"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()
    url = reverse("api-assistant-ask")
    codes = [
        client.post(url, {"message": "khai sinh"}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    other = client.post(
        url, {"message": "khai sinh"}, content_type="application/json", REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200


def test_ask_api_returns_ranked_procedures_with_links_when_question_colloquial(client, catalog):
    response = client.post(
        reverse("api-assistant-ask"),
        {"message": "lam giay khai sinh cho con"},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200
    assert data["procedures"][0]["code"] == "1.001193"
    assert data["procedures"][0]["submit_url"] == reverse(
        "dossiers:submit_start", args=["1.001193"]
    )
    assert data["conversation"]


def test_assistant_page_answers_without_javascript_when_form_posted(client, catalog):
    response = client.post(reverse("assistant:page"), {"message": "báo tử cho bố"})
    assert response.status_code == 200
    assert "đăng ký khai tử" in response.content.decode()
