"""Active PDFs and HTML polyglots are refused; documents are served so no browser runs them."""

import io
import zlib

import pytest
from django.test import Client
from PIL import Image
from pypdf import PdfWriter

from dossiers.models import DossierDocument
from dossiers.services import DossierValidationError, UploadedDocument, documents_validate
from dossiers.services.document_safety import pdf_has_active_content, verified_image
from dossiers.views.files import document_url
from tests.dossiers.engine_world import JPEG, MONDAY, make_world
from tests.factories import make_dossier


def real_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def real_image(fmt: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


OPEN_ACTION_JS = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R "
    b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
HIDDEN_NAME_JS = OPEN_ACTION_JS.replace(b"/JavaScript /JS", b"/J#61vaScript /J#53")
ADDITIONAL_ACTIONS = (
    b"%PDF-1.4\n1 0 obj << /Type /Page /AA << /O 5 0 R >> >> endobj\ntrailer << >>\n%%EOF\n"
)
COMPRESSED_JS = (
    b"%PDF-1.5\n1 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>\nstream\n"
    + zlib.compress(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")
    + b"\nendstream\nendobj\ntrailer << >>\n%%EOF\n"
)
BENIGN_OPEN_ACTION = b"%PDF-1.4\n1 0 obj << /OpenAction [3 0 R /Fit] >> endobj\n%%EOF\n"
PDF_HTML = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF"


def _validate(name: str, content: bytes):
    return documents_validate(documents=[UploadedDocument(name=name, content=content)])


@pytest.mark.parametrize(
    "content", [OPEN_ACTION_JS, HIDDEN_NAME_JS, ADDITIONAL_ACTIONS, COMPRESSED_JS]
)
def test_documents_validate_refuses_pdf_when_it_carries_javascript_or_actions(content):
    assert pdf_has_active_content(content)
    with pytest.raises(DossierValidationError) as error:
        _validate("don.pdf", content)
    assert "JavaScript" in error.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("don.pdf", PDF_HTML),
        ("anh.jpg", real_image("JPEG") + b"<script>alert(1)</script>"),
        ("anh.png", real_image("PNG") + b"<!DOCTYPE html><html><svg onload=alert(1)>"),
        ("don.pdf", real_pdf() + b"\n<iframe src=//evil.example></iframe>"),
    ],
)
def test_documents_validate_refuses_polyglots_when_html_markup_is_inside(name, content):
    with pytest.raises(DossierValidationError) as error:
        _validate(name, content)
    assert "HTML" in error.value.message


@pytest.mark.parametrize(
    ("name", "content"),
    [("don.pdf", real_pdf()), ("don.pdf", BENIGN_OPEN_ACTION), ("a.jpg", real_image())],
)
def test_documents_validate_accepts_plain_files_when_nothing_active(name, content):
    assert len(_validate(name, content)) == 1


def test_verified_image_holds_only_for_decodable_images_without_markup():
    assert verified_image(real_image("JPEG")) and verified_image(real_image("PNG"))
    assert not verified_image(JPEG)  # magic bytes only, no image behind them
    assert not verified_image(real_image() + b"<html><script>1</script>")
    assert not verified_image(OPEN_ACTION_JS)


def _stored(dossier, name: str, content: bytes, content_type: str) -> DossierDocument:
    from django.core.files.base import ContentFile

    document = DossierDocument(
        dossier=dossier,
        kind="submitted",
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256="0" * 64,
    )
    document.file.save(f"t/{name}", ContentFile(content), save=False)
    document.save()
    return document


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "content_type", "inline"),
    [
        ("anh.jpg", real_image(), "image/jpeg", True),
        ("anh.png", real_image("PNG"), "image/png", True),
        ("gia.jpg", JPEG, "image/jpeg", False),
        # Stored before the upload checks existed: still never rendered by the browser.
        ("cu.jpg", real_image() + b"<html><script>alert(1)</script>", "image/jpeg", False),
        ("don.pdf", real_pdf(), "application/pdf", False),
        ("js.pdf", OPEN_ACTION_JS, "application/pdf", False),
    ],
)
def test_document_is_inline_only_when_a_verified_image_and_always_sandboxed(
    name, content, content_type, inline
):
    world = make_world()
    dossier = make_dossier(applicant=world.citizen, desk=world.province_desk, submitted_at=MONDAY)
    document = _stored(dossier, name, content, content_type)
    client = Client()
    client.force_login(world.citizen)
    response = client.get(document_url(document))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("inline" if inline else "attachment"), disposition
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == content
