"""The desk's pages, my dossiers and the public lookup: actions, reasons, bounded queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DossierEvent, DossierStatus
from dossiers.services import UploadedDocument, dossier_submit_online
from tests.dossiers.conftest import pdf_bytes
from tests.factories import DEMO_PASSWORD, make_desk, make_dossier, make_user


def _online(citizen, procedure, desk):
    return dossier_submit_online(
        applicant=citizen,
        procedure=procedure,
        desk=desk,
        applicant_fields={},
        form_data={"child_name": "Trần Hồng Phúc"},
        documents=[
            UploadedDocument(
                name="giấy chứng sinh.pdf", content=pdf_bytes(), required_document_id=r.pk
            )
            for r in procedure.required_documents.all()
        ],
        idempotency_key=None,
        now=timezone.now(),
    )


@pytest.fixture
def desk_client(client, clerk):
    client.login(username=clerk.username, password=DEMO_PASSWORD)
    return client


@pytest.mark.django_db
def test_desk_queue_counts_every_tab_in_one_query_when_dossiers_exist(
    desk_client, commune_desk, birth_procedure, django_assert_max_num_queries
):
    now = timezone.now()
    for status in (
        DossierStatus.NEW,
        DossierStatus.RECEIVED,
        DossierStatus.PROCESSING,
        DossierStatus.SUPPLEMENT_REQUESTED,
        DossierStatus.RESOLVED,
    ):
        make_dossier(desk=commune_desk, procedure=birth_procedure, status=status)
    make_dossier(
        desk=commune_desk,
        procedure=birth_procedure,
        status=DossierStatus.PROCESSING,
        due_at=now - datetime.timedelta(hours=1),
    )
    with django_assert_max_num_queries(8):
        response = desk_client.get(reverse("dossiers:desk_queue"))
    counts = {tab.key: tab.count for tab in response.context["tabs"]}
    assert counts == {
        "online": 1,
        "received": 1,
        "processing": 2,
        "supplement": 1,
        "to_return": 1,
        "due_soon": 3,
        "overdue": 1,
    }
    assert len(response.context["page_obj"].object_list) == 1


@pytest.mark.django_db
def test_desk_queue_finds_a_dossier_by_cccd_when_searching(desk_client, commune_desk):
    dossier = make_dossier(
        desk=commune_desk, applicant_cccd="077199999999", status=DossierStatus.PROCESSING
    )
    make_dossier(desk=commune_desk)
    response = desk_client.get(reverse("dossiers:desk_queue"), {"q": "077199999999"})
    assert list(response.context["page_obj"].object_list) == [dossier]


@pytest.mark.django_db
def test_desk_action_refuses_a_supplement_request_when_a_document_has_no_reason(
    desk_client, citizen, birth_procedure, commune_desk
):
    dossier = _online(citizen, birth_procedure, commune_desk)
    url = reverse("dossiers:desk_action", args=[dossier.code, "request_supplement"])
    response = desk_client.post(
        url,
        {
            "request_supplement-item_document_0": "Giấy chứng sinh",
            "request_supplement-item_reason_0": "",
        },
    )
    assert response.status_code == 400
    assert "Cần nêu lý do cho giấy tờ “Giấy chứng sinh”" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.NEW


@pytest.mark.django_db
def test_desk_and_citizen_pages_drive_the_whole_journey_when_actions_are_posted(
    desk_client,
    citizen,
    clerk,
    birth_procedure,
    commune_desk,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    dossier = _online(citizen, birth_procedure, commune_desk)
    page = desk_client.get(reverse("dossiers:desk_detail", args=[dossier.code])).content.decode()
    assert "Tiếp nhận hồ sơ" in page and "Trả kết quả" not in page

    def act(action, data=None):
        url = reverse("dossiers:desk_action", args=[dossier.code, action])
        with django_capture_on_commit_callbacks(execute=True):
            response = desk_client.post(url, {f"{action}-{k}": v for k, v in (data or {}).items()})
        assert response.status_code == 302, response.content.decode()[:2000]

    act("receive")
    act("start_processing")
    act(
        "request_supplement",
        {"item_document_0": "Giấy chứng sinh", "item_reason_0": "Bản chụp bị mờ"},
    )
    client = Client()
    client.force_login(citizen)
    detail = client.get(reverse("dossiers:my_detail", args=[dossier.code])).content.decode()
    assert "Bản chụp bị mờ" in detail
    answer = client.post(
        reverse("dossiers:my_action", args=[dossier.code, "submit_supplement"]),
        {"submit_supplement-documents": SimpleUploadedFile("chứng sinh rõ.pdf", pdf_bytes())},
    )
    assert answer.status_code == 302
    act("resolve", {"result": "approved", "note": "Đã cấp Giấy khai sinh"})
    act("return_result")
    rate = client.post(
        reverse("dossiers:my_action", args=[dossier.code, "rate"]),
        {"rate-level": "very_satisfied", "rate-comment": "Nhanh"},
    )
    assert rate.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED and dossier.rating.level == "very_satisfied"
    subjects = [m.subject for m in mailoutbox]
    assert f"Hồ sơ {dossier.code} đã được tiếp nhận" in subjects
    assert f"Hồ sơ {dossier.code} cần bổ sung giấy tờ" in subjects
    assert f"Hồ sơ {dossier.code} đã có kết quả" in subjects
    for number in (1, 2, 5):
        response = desk_client.get(reverse("dossiers:form_pdf", args=[dossier.code, number]))
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_my_list_and_dossier_pages_run_bounded_queries_when_many_dossiers(
    client, citizen, commune_desk, birth_procedure, django_assert_max_num_queries
):
    for _ in range(15):
        dossier = make_dossier(
            desk=commune_desk,
            procedure=birth_procedure,
            applicant=citizen,
            status=DossierStatus.PROCESSING,
        )
        for i in range(3):
            DossierEvent.objects.create(
                dossier=dossier,
                action="receive",
                at=timezone.now(),
                to_status=DossierStatus.RECEIVED,
                note=str(i),
            )
    client.force_login(citizen)
    with django_assert_max_num_queries(8):
        client.get(reverse("dossiers:my_list"))
    with django_assert_max_num_queries(15):
        client.get(reverse("dossiers:my_detail", args=[dossier.code]))


@pytest.mark.django_db
def test_desk_detail_runs_bounded_queries_when_the_dossier_has_history(
    desk_client, commune_desk, birth_procedure, django_assert_max_num_queries
):
    dossier = make_dossier(
        desk=commune_desk, procedure=birth_procedure, status=DossierStatus.PROCESSING
    )
    for i in range(10):
        DossierEvent.objects.create(
            dossier=dossier,
            action="hand_off",
            at=timezone.now(),
            to_status=DossierStatus.PROCESSING,
            note=str(i),
        )
    with django_assert_max_num_queries(20):
        response = desk_client.get(reverse("dossiers:desk_detail", args=[dossier.code]))
    assert response.status_code == 200


@pytest.mark.django_db
def test_lookup_shows_status_without_personal_data_when_verifier_matches(client, commune_desk):
    dossier = make_dossier(
        desk=commune_desk,
        status=DossierStatus.RETURNED,
        applicant_name="Nguyễn Thị Hồng Nhung",
        applicant_phone="0912345678",
    )
    url = reverse("dossiers:lookup")
    assert dossier.code in client.get(url, {"code": dossier.code}).content.decode()
    page = client.get(url, {"code": dossier.code, "verifier": "5678"}).content.decode()
    assert "Đã trả kết quả" in page and "Nguyễn Thị Hồng Nhung" not in page
    wrong = client.get(url, {"code": dossier.code, "verifier": "0000"})
    assert wrong.status_code == 404 and "Đã trả kết quả" not in wrong.content.decode()


@pytest.mark.django_db
def test_lookup_refuses_with_a_vietnamese_message_when_rate_limit_is_exceeded(client):
    url = reverse("dossiers:lookup")
    for _ in range(10):
        client.get(url, {"code": "X", "verifier": "1234"})
    response = client.get(url, {"code": "X", "verifier": "1234"})
    assert response.status_code == 429
    assert "tra cứu quá nhiều lần" in response.content.decode()


@pytest.mark.django_db
def test_tracking_book_exports_pdf_and_xlsx_when_a_period_is_given(desk_client, commune_desk):
    make_dossier(desk=commune_desk, status=DossierStatus.RECEIVED)
    today = timezone.localdate()
    start = (today - datetime.timedelta(days=3)).isoformat()
    url = reverse("dossiers:tracking_book")
    page = desk_client.get(url, {"start": start, "end": today.isoformat()})
    assert "Trần Thị Bình" in page.content.decode()
    as_pdf = desk_client.get(url, {"start": start, "end": today.isoformat(), "dinh_dang": "pdf"})
    assert as_pdf["Content-Type"] == "application/pdf"
    xlsx = desk_client.get(url, {"start": start, "end": today.isoformat(), "dinh_dang": "xlsx"})
    assert xlsx.content[:2] == b"PK"


@pytest.mark.django_db
def test_walk_in_receives_a_dossier_with_scanned_documents_when_the_clerk_fills_the_form(
    desk_client, birth_procedure, commune_desk
):
    first, second = [f"doc_{r.pk}" for r in birth_procedure.required_documents.all()]
    response = desk_client.post(
        reverse("dossiers:walk_in", args=[birth_procedure.code]),
        {
            "applicant_name": "Phạm Văn Đức",
            "applicant_cccd": "077080001234",
            "applicant_phone": "0987654321",
            "applicant_address": "Thắng Tam",
            "channel": "direct",
            first: SimpleUploadedFile("scan1.pdf", pdf_bytes()),
            second: SimpleUploadedFile("scan2.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302
    dossier = response.wsgi_request.user.desk.dossiers.get()
    assert dossier.status == DossierStatus.RECEIVED and dossier.documents.count() == 2


@pytest.mark.django_db
def test_desk_action_refuses_a_refusal_when_a_named_document_has_no_reason(
    desk_client, citizen, birth_procedure, commune_desk
):
    dossier = _online(citizen, birth_procedure, commune_desk)
    url = reverse("dossiers:desk_action", args=[dossier.code, "refuse_reception"])
    response = desk_client.post(
        url,
        {
            "refuse_reception-reason": "Hồ sơ không hợp lệ",
            "refuse_reception-item_document_0": "Giấy chứng sinh",
        },
    )
    assert response.status_code == 400
    assert "Cần nêu lý do cho giấy tờ “Giấy chứng sinh”" in response.content.decode()
    response = desk_client.post(
        url,
        {
            "refuse_reception-reason": "Hồ sơ không hợp lệ",
            "refuse_reception-item_document_0": "Giấy chứng sinh",
            "refuse_reception-item_reason_0": "Giấy tờ giả mạo",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.NOT_ACCEPTED
    assert dossier.refusal_reason == "Hồ sơ không hợp lệ\n- Giấy chứng sinh: Giấy tờ giả mạo"
    refusal = desk_client.get(reverse("dossiers:form_pdf", args=[dossier.code, 3]))
    assert refusal["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_form_pdf_answers_404_when_the_form_does_not_apply_to_the_dossier(
    desk_client, commune_desk
):
    dossier = make_dossier(desk=commune_desk, status=DossierStatus.PROCESSING)
    for number in (2, 3, 4, 7):
        url = reverse("dossiers:form_pdf", args=[dossier.code, number])
        assert desk_client.get(url).status_code == 404
    assert desk_client.get(reverse("dossiers:form_pdf", args=[dossier.code, 5])).status_code == 200


@pytest.mark.django_db
def test_desk_actions_hand_off_and_apologize_when_processing(
    desk_client,
    citizen,
    birth_procedure,
    commune_desk,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    dossier = _online(citizen, birth_procedure, commune_desk)
    district_desk = make_desk(unit=commune_desk.unit.parent, name="Bộ phận một cửa TP Vũng Tàu")

    def act(action, data=None):
        url = reverse("dossiers:desk_action", args=[dossier.code, action])
        with django_capture_on_commit_callbacks(execute=True):
            response = desk_client.post(url, {f"{action}-{k}": v for k, v in (data or {}).items()})
        assert response.status_code == 302, response.content.decode()[:3000]

    act("receive")
    act("start_processing")
    dossier.refresh_from_db()
    new_due = timezone.localtime(dossier.due_at + datetime.timedelta(days=3))
    act("apologize", {"reason": "Chờ xác minh cư trú", "new_due_at": f"{new_due:%d/%m/%Y %H:%M}"})
    act("hand_off", {"to_desk": district_desk.pk, "note": "Chuyển liên thông"})
    dossier.refresh_from_db()
    assert dossier.current_desk == district_desk
    assert f"{timezone.localtime(dossier.rescheduled_due_at):%d/%m/%Y %H:%M}" == (
        f"{new_due:%d/%m/%Y %H:%M}"
    )
    assert any("Thư xin lỗi" in m.subject for m in mailoutbox)
    apology = desk_client.get(reverse("dossiers:form_pdf", args=[dossier.code, 4]))
    assert apology["Content-Type"] == "application/pdf"
    assert dossier.legs.count() == 2


@pytest.mark.django_db
def test_dossier_document_is_served_inline_only_when_the_user_may_see_the_dossier(
    client, citizen, clerk, birth_procedure, commune_desk
):
    dossier = _online(citizen, birth_procedure, commune_desk)
    document = dossier.documents.first()
    url = reverse("dossiers:dossier_document", args=[dossier.code, document.pk])
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Issue 11: PDFs download (attachment), sandboxed; only verified images open inline.
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    download = client.get(url, {"tai": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        "filename*=utf-8''gi%E1%BA%A5y%20ch%E1%BB%A9ng%20sinh.pdf"
        in (download["Content-Disposition"])
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    client.force_login(make_user(cccd="077111111111", phone="0900000001"))
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    page = client.get(reverse("dossiers:desk_detail", args=[dossier.code])).content.decode()
    assert f'href="{url}"' in page


@pytest.mark.django_db
def test_declaration_pdf_stays_vietnamese_when_the_clerk_reads_the_portal_in_english(
    desk_client, commune_desk, birth_procedure
):
    import io

    from django.conf import settings as django_settings
    from pypdf import PdfReader

    dossier = make_dossier(
        desk=commune_desk, procedure=birth_procedure, status=DossierStatus.PROCESSING
    )
    desk_client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Log out" in desk_client.get("/").content.decode()

    response = desk_client.get(reverse("dossiers:declaration_pdf", args=[dossier.pk]))

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Người yêu cầu" in text
    assert "Applicant" not in text
