"""The citizen's submission pages: drafts, uploads, review, a single dossier per submission."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStatus
from procedures.models import RequiredDocument
from tests.dossiers.conftest import pdf_bytes
from tests.factories import DEMO_PASSWORD, make_procedure

BIRTH_FIELDS = {
    "tk-requester_name": "Nguyễn Thị Hồng Nhung",
    "tk-requester_id_number": "077190001234",
    "tk-requester_residence": "Thắng Tam",
    "tk-requester_relation": "me",
    "tk-child_name": "Trần Hồng Phúc",
    "tk-child_birth_date": "2026-11-20",
    "tk-child_sex": "nu",
    "tk-child_ethnicity": "Kinh",
    "tk-child_nationality": "Việt Nam",
    "tk-child_birth_place": "Bệnh viện Lê Lợi",
    "tk-child_hometown": "Vũng Tàu",
    "tk-father_name": "Trần Văn Hùng",
    "tk-father_birth_date": "1990-01-01",
    "tk-father_ethnicity": "Kinh",
    "tk-father_nationality": "Việt Nam",
    "tk-father_residence": "Thắng Tam",
    "tk-father_id_number": "077090001111",
    "tk-mother_name": "Nguyễn Thị Hồng Nhung",
    "tk-mother_birth_date": "1992-02-02",
    "tk-mother_ethnicity": "Kinh",
    "tk-mother_nationality": "Việt Nam",
    "tk-mother_residence": "Thắng Tam",
    "tk-mother_id_number": "077190001234",
}


def _applicant(desk) -> dict[str, str]:
    return {
        "applicant_name": "Nguyễn Thị Hồng Nhung",
        "applicant_cccd": "077190001234",
        "applicant_phone": "0912345678",
        "applicant_email": "nhung@example.vn",
        "applicant_address": "12 Hoàng Hoa Thám",
        "applicant_organisation": "",
        "desk": str(desk.pk),
    }


def _slots(procedure) -> list[str]:
    """Upload slots of the two documents the fixture defines (not the declaration)."""
    return [
        f"doc_{r.pk}"
        for r in procedure.required_documents.exclude(name__icontains="tờ khai").order_by(
            "position"
        )
    ]


def _stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [f for _d, _s, files in os.walk(root) for f in files] if os.path.isdir(root) else []


@pytest.fixture
def logged_in(client, citizen):
    client.login(username=citizen.username, password=DEMO_PASSWORD)
    return client


@pytest.mark.django_db
def test_submit_start_prefills_applicant_when_citizen_opens_the_form(
    logged_in, birth_procedure, commune_desk
):
    response = logged_in.get(reverse("dossiers:submit_start", args=[birth_procedure.code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Nguyễn Thị Hồng Nhung"' in page
    assert "Giấy chứng sinh" in page and "1 bản chính" in page
    assert "Tờ khai" in page and 'name="tk-child_name"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "định dạng không được chấp nhận"),
        ("giay-chung-sinh.pdf", b"", "rỗng"),
        ("scan.pdf", b"%PDF-1.4" + b"0" * 2048, "vượt quá"),
        ("fake.pdf", b"not a pdf at all", "không phải là tệp PDF hợp lệ"),
    ],
)
@pytest.mark.django_db
def test_draft_save_leaves_nothing_when_upload_is_bad(
    logged_in, birth_procedure, commune_desk, settings, name, content, message
):
    settings.DOCUMENT_MAX_BYTES = 1024
    first = _slots(birth_procedure)[0]
    data = {
        **_applicant(commune_desk),
        **BIRTH_FIELDS,
        "step": "save",
        first: SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }
    response = logged_in.post(reverse("dossiers:submit_start", args=[birth_procedure.code]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert DossierDocument.objects.count() == 0
    assert _stored_files(settings) == []


def _draft_with_files(client, procedure, desk) -> Dossier:
    first, second = _slots(procedure)
    data = {
        **_applicant(desk),
        **BIRTH_FIELDS,
        "step": "review",
        first: SimpleUploadedFile("giấy chứng sinh.pdf", pdf_bytes()),
        second: SimpleUploadedFile("cư trú.pdf", pdf_bytes()),
    }
    response = client.post(reverse("dossiers:submit_start", args=[procedure.code]), data)
    draft = Dossier.objects.get(status=DossierStatus.DRAFT)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:draft_review", args=[draft.pk])
    return draft


@pytest.mark.django_db
def test_draft_review_makes_one_dossier_when_submit_is_posted_twice(
    logged_in, birth_procedure, commune_desk
):
    draft = _draft_with_files(logged_in, birth_procedure, commune_desk)
    review = logged_in.get(reverse("dossiers:draft_review", args=[draft.pk]))
    assert "giấy chứng sinh.pdf" in review.content.decode()
    key = review.context["form"].initial["idempotency_key"]
    url = reverse("dossiers:draft_review", args=[draft.pk])
    first = logged_in.post(url, {"idempotency_key": key, "confirm": "on"})
    second = logged_in.post(url, {"idempotency_key": key, "confirm": "on"})
    resent = logged_in.post(url, {"idempotency_key": "another-tab", "confirm": "on"})
    dossier = Dossier.objects.get()
    assert resent["Location"] == first["Location"]
    assert dossier.status == DossierStatus.NEW and dossier.code
    assert (
        first["Location"] == second["Location"] == reverse("dossiers:receipt", args=[dossier.code])
    )
    assert DossierEvent.objects.filter(dossier=dossier, action="submit").count() == 1
    receipt = logged_in.get(first["Location"]).content.decode()
    assert dossier.code in receipt and "cư trú.pdf" in receipt
    assert dossier.form_data["child_name"] == "Trần Hồng Phúc"


@pytest.mark.django_db
def test_draft_review_refuses_to_submit_when_a_required_document_is_missing(
    logged_in, birth_procedure, commune_desk
):
    first = _slots(birth_procedure)[0]
    logged_in.post(
        reverse("dossiers:submit_start", args=[birth_procedure.code]),
        {
            **_applicant(commune_desk),
            **BIRTH_FIELDS,
            "step": "save",
            first: SimpleUploadedFile("a.pdf", pdf_bytes()),
        },
    )
    draft = Dossier.objects.get()
    url = reverse("dossiers:draft_review", args=[draft.pk])
    page = logged_in.get(url).content.decode()
    assert "Còn thiếu giấy tờ bắt buộc" in page and "disabled" in page
    response = logged_in.post(url, {"idempotency_key": "k1", "confirm": "on"})
    assert response.status_code == 400
    assert Dossier.objects.get().status == DossierStatus.DRAFT


@pytest.mark.django_db
def test_submit_start_resumes_the_draft_when_one_exists(logged_in, birth_procedure, commune_desk):
    draft = _draft_with_files(logged_in, birth_procedure, commune_desk)
    response = logged_in.get(reverse("dossiers:submit_start", args=[birth_procedure.code]))
    assert response["Location"] == reverse("dossiers:draft_edit", args=[draft.pk])
    page = logged_in.get(response["Location"]).content.decode()
    assert "giấy chứng sinh.pdf" in page and "Trần Hồng Phúc" in page


@pytest.mark.django_db
def test_draft_save_keeps_an_incomplete_draft_when_only_the_desk_is_chosen(
    logged_in, birth_procedure, commune_desk
):
    response = logged_in.post(
        reverse("dossiers:submit_start", args=[birth_procedure.code]),
        {"desk": str(commune_desk.pk), "step": "save", "tk-child_name": "Trần Hồng Phúc"},
    )
    draft = Dossier.objects.get()
    assert response["Location"] == reverse("dossiers:draft_edit", args=[draft.pk])
    assert draft.status == DossierStatus.DRAFT and draft.code is None
    assert draft.form_data == {"child_name": "Trần Hồng Phúc"}
    review = logged_in.post(
        reverse("dossiers:draft_edit", args=[draft.pk]),
        {"desk": str(commune_desk.pk), "step": "review"},
    )
    assert review.status_code == 400
    assert "Trường này là bắt buộc" in review.content.decode()


@pytest.mark.django_db
def test_submit_needs_no_upload_for_the_declaration_when_the_portal_fills_it(
    logged_in, birth_procedure, commune_desk
):
    form_document = RequiredDocument.objects.create(
        procedure=birth_procedure,
        position=0,
        name="- Tờ khai đăng ký khai sinh theo mẫu (nếu nộp trực tiếp);",
        quantity="1 bản chính",
    )
    page = logged_in.get(reverse("dossiers:submit_start", args=[birth_procedure.code]))
    html = page.content.decode()
    assert f'name="doc_{form_document.pk}"' not in html
    assert "cổng tự tạo tờ khai" in html
    draft = _draft_with_files(logged_in, birth_procedure, commune_desk)
    review = logged_in.get(reverse("dossiers:draft_review", args=[draft.pk]))
    assert review.context["missing"] == []


@pytest.mark.django_db
def test_draft_page_shows_notes_apart_and_conditional_slots_optional_when_catalog_has_them(
    logged_in, birth_procedure, commune_desk
):
    conditional = RequiredDocument.objects.create(
        procedure=birth_procedure,
        position=3,
        name="- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản xác nhận việc trẻ bị bỏ rơi",
        quantity="1",
        is_required=False,
    )
    note = RequiredDocument.objects.create(
        procedure=birth_procedure,
        position=4,
        group="Lưu ý",
        name="Người đi đăng ký xuất trình giấy tờ tùy thân",
        quantity="0 bản chính",
        is_required=False,
        is_note=True,
    )
    page = logged_in.get(reverse("dossiers:submit_start", args=[birth_procedure.code]))
    html = page.content.decode()
    assert f'name="doc_{note.pk}"' not in html
    notes_box = html[html.index('<details class="document-notes">') :]
    assert "Lưu ý khi chuẩn bị hồ sơ" in notes_box and note.name in notes_box
    assert f'name="doc_{conditional.pk}"' in html
    slot = html[: html.index(f'name="doc_{conditional.pk}"')].rsplit("data-upload-slot", 1)[1]
    assert "Nộp nếu thuộc trường hợp này" in slot and 'data-required="true"' not in slot
    first, second = _slots(birth_procedure)[:2]
    logged_in.post(
        reverse("dossiers:submit_start", args=[birth_procedure.code]),
        {
            **_applicant(commune_desk),
            **BIRTH_FIELDS,
            "step": "save",
            first: SimpleUploadedFile("a.pdf", pdf_bytes()),
            second: SimpleUploadedFile("b.pdf", pdf_bytes()),
        },
    )
    draft = Dossier.objects.get()
    review = logged_in.get(reverse("dossiers:draft_review", args=[draft.pk]))
    assert review.context["missing"] == []


@pytest.mark.django_db
def test_draft_review_refuses_an_empty_dossier_when_no_file_is_attached(logged_in, commune_desk):
    procedure = make_procedure(name="Thủ tục không công bố thành phần hồ sơ")
    logged_in.post(
        reverse("dossiers:submit_start", args=[procedure.code]),
        {**_applicant(commune_desk), "step": "save"},
    )
    draft = Dossier.objects.get()
    response = logged_in.post(
        reverse("dossiers:draft_review", args=[draft.pk]), {"idempotency_key": "k", "confirm": "on"}
    )
    assert response.status_code == 400
    assert "Hồ sơ chưa có tệp nào" in response.content.decode()
    assert Dossier.objects.get().status == DossierStatus.DRAFT
