"""The six Circular 01/2018 forms and the declaration render as PDFs with correct diacritics."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from dossiers.declarations import BIRTH, DECLARATIONS, declaration_for
from dossiers.forms import declaration_data, declaration_form_class
from dossiers.models import DossierDocument, DossierEvent, DossierLeg, DossierStatus
from dossiers.pdf import (
    render_apology,
    render_control_slip,
    render_declaration,
    render_receipt,
    render_refusal,
    render_supplement_request,
    render_tracking_book,
    render_tracking_book_xlsx,
)
from dossiers.pdf.context import dossier_for_forms
from tests.factories import make_agency, make_desk, make_dossier, make_unit, make_user

NAME = "Nguyễn Thị Hồng Nhung"


def _text(pdf: bytes) -> str:
    """The text of every page, lines joined with spaces (table cells wrap)."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


@pytest.fixture
def dossier():
    province = make_unit(name="Tỉnh Bà Rịa - Vũng Tàu", short_name="Bà Rịa - Vũng Tàu")
    commune = make_unit(
        parent=make_unit(parent=province),
        name="Phường Thắng Tam",
        short_name="Thắng Tam",
        level="commune",
    )
    desk = make_desk(
        unit=commune, name="Bộ phận một cửa Phường Thắng Tam", agency_code="000.26.08.H02"
    )
    clerk = make_user(role="clerk", full_name="Lê Văn Tiếp", desk=desk)
    now = timezone.now()
    dossier = make_dossier(
        desk=desk,
        status=DossierStatus.PROCESSING,
        applicant_name=NAME,
        applicant_address="12 Hoàng Hoa Thám, Phường Thắng Tam",
        supplement_items=[{"document": "Giấy chứng sinh", "reason": "Bản chụp bị mờ"}],
        refusal_reason="Hồ sơ không thuộc thẩm quyền giải quyết",
        apology_reason="Cần xác minh thêm thông tin",
        rescheduled_due_at=now + datetime.timedelta(days=5),
    )
    DossierEvent.objects.create(
        dossier=dossier,
        action="receive",
        actor=clerk,
        at=now,
        from_status=DossierStatus.NEW,
        to_status=DossierStatus.RECEIVED,
    )
    DossierEvent.objects.create(
        dossier=dossier,
        action="request_supplement",
        actor=clerk,
        at=now,
        from_status=DossierStatus.PROCESSING,
        to_status=DossierStatus.SUPPLEMENT_REQUESTED,
        data={
            "items": [{"document": "Giấy chứng sinh", "reason": "Bản chụp bị mờ, đề nghị nộp lại"}]
        },
    )
    DossierLeg.objects.create(
        dossier=dossier,
        position=1,
        from_desk=desk,
        to_agency=make_agency(name="Phòng Tư pháp thành phố Vũng Tàu"),
        started_at=now,
        outcome="on_time",
        finished_at=now,
    )
    document = DossierDocument(
        dossier=dossier,
        kind=DossierDocument.Kind.SUBMITTED,
        original_name="giấy-chứng-sinh.pdf",
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
    )
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    return dossier


@pytest.mark.django_db
def test_render_receipt_shows_code_name_files_and_qr_when_received(dossier):
    text = _text(
        render_receipt(
            dossier_for_forms(dossier.pk),
            lookup_url=f"http://testserver/ho-so/tra-cuu/?code={dossier.code}",
        )
    )
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert dossier.code in text
    assert NAME in text
    assert "giấy-chứng-sinh.pdf" in text
    assert "2,0 KB" in text
    assert "Lê Văn Tiếp" in text
    assert "theo quy định là: 3 ngày làm việc" in text


@pytest.mark.django_db
def test_render_receipt_says_the_time_with_its_unit_when_the_catalog_wrote_a_bare_number(dossier):
    procedure = dossier.procedure
    procedure.processing_time_text = "1"
    procedure.processing_time_amount = 1
    procedure.processing_time_unit = "working_days"
    procedure.save()
    with translation.override("en"):
        text = _text(render_receipt(dossier_for_forms(dossier.pk), lookup_url="http://x/"))
    assert "theo quy định là: 1 ngày làm việc" in text


@pytest.mark.django_db
def test_render_supplement_request_lists_each_document_and_reason_when_requested(dossier):
    text = _text(render_supplement_request(dossier_for_forms(dossier.pk)))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text
    assert dossier.code in text and NAME in text
    assert "Giấy chứng sinh" in text and "Bản chụp bị mờ, đề nghị nộp lại" in text


@pytest.mark.django_db
def test_render_refusal_apology_and_control_slip_show_code_and_name_when_filled(dossier):
    bundle = dossier_for_forms(dossier.pk)
    refusal = _text(render_refusal(bundle))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal
    assert "Hồ sơ không thuộc thẩm quyền giải quyết" in refusal
    apology = _text(render_apology(bundle))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology
    assert "Cần xác minh thêm thông tin" in apology
    slip = _text(render_control_slip(bundle))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in slip
    assert "Phòng Tư pháp thành phố Vũng Tàu" in slip and "Đúng hạn" in slip
    for text in (refusal, apology, slip):
        assert dossier.code in text and NAME in text


@pytest.mark.django_db
def test_render_tracking_book_lists_dossiers_of_the_period_in_pdf_and_xlsx(dossier):
    today = timezone.localdate()
    pdf = _text(render_tracking_book(desk=dossier.desk, start=today, end=today, dossiers=[dossier]))
    assert "SỔ THEO DÕI HỒ SƠ" in pdf
    assert dossier.code in pdf and NAME in pdf
    book = load_workbook(
        io.BytesIO(
            render_tracking_book_xlsx(desk=dossier.desk, start=today, end=today, dossiers=[dossier])
        )
    )
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert dossier.code in values and NAME in values


def test_render_declaration_prints_every_filled_field_when_birth_registration():
    data = {
        "requester_name": NAME,
        "child_name": "Trần Hồng Phúc",
        "child_sex": "nu",
        "child_birth_date": "2026-11-20",
    }
    text = _text(
        render_declaration(
            declaration=BIRTH,
            data=data,
            applicant_name=NAME,
            place="Thắng Tam",
            when=timezone.now(),
        )
    )
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    assert "Trần Hồng Phúc" in text and "Nữ" in text and "20/11/2026" in text
    assert declaration_for("1.001193") is BIRTH


@pytest.mark.parametrize("declaration", DECLARATIONS, ids=lambda d: d.key)
def test_render_declaration_fills_every_field_when_each_structured_form_is_used(declaration):
    form_class = declaration_form_class(declaration)
    data = {}
    for item in declaration.fields:
        if item.kind == "choice":
            data[item.name] = item.choices[0][0]
        elif item.kind == "date":
            data[item.name] = "2001-02-03"
        elif item.kind == "datetime":
            data[item.name] = "2026-11-20T08:30"
        elif item.kind == "number":
            data[item.name] = "5"
        else:
            data[item.name] = f"Giá trị {item.name}"
    form = form_class(data)
    assert form.is_valid(), form.errors
    text = _text(
        render_declaration(
            declaration=declaration,
            data=declaration_data(form.cleaned_data),
            applicant_name=NAME,
            place="Thắng Tam",
            when=timezone.now(),
        )
    )
    assert " ".join(str(declaration.title).split()) in text
    assert all(f"Giá trị {f.name}" in text for f in declaration.fields if f.kind == "text")
    assert NAME in text
