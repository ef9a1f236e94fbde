"""Uploads: content checks by magic bytes, sizes, safe names, private storage, no orphans."""

import datetime
import os

import pytest
from django.core.files.storage import default_storage

from dossiers.models import Dossier, DossierDocument
from dossiers.services import (
    DossierValidationError,
    UploadedDocument,
    documents_sweep_orphans,
    documents_validate,
    dossier_submit_online,
)
from dossiers.services.documents import detect_kind, sanitize_filename
from tests.dossiers.engine_world import JPEG, MONDAY, PDF, PNG, make_world, office_zip, ole, pdf

pytestmark = pytest.mark.django_db


def stored_files(settings) -> list[str]:
    root = os.path.join(settings.MEDIA_ROOT, "dossiers")
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF, "application/pdf"),
        ("a.JPG", JPEG, "image/jpeg"),
        ("a.jpeg", JPEG, "image/jpeg"),
        ("a.png", PNG, "image/png"),
        ("a.doc", ole("WordDocument"), "application/msword"),
        ("a.xls", ole("Workbook"), "application/vnd.ms-excel"),
        (
            "a.docx",
            office_zip("word"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "a.xlsx",
            office_zip("xl"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ],
)
def test_documents_validate_accepts_file_when_content_matches_extension(
    name, content, content_type
):
    [doc] = documents_validate(documents=[UploadedDocument(name=name, content=content)])
    assert doc.content_type == content_type
    assert len(doc.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("giay-to.pdf", b"MZ\x90\x00 not a pdf", "Tệp “giay-to.pdf” không phải là tệp PDF hợp lệ."),
        ("anh.png", JPEG, "không phải là tệp PNG hợp lệ"),
        ("don.docx", office_zip("xl"), "không phải là tệp Word (DOCX) hợp lệ"),
        ("bang.xls", ole("WordDocument"), "không phải là tệp Excel (XLS) hợp lệ"),
        ("virus.exe", b"MZ", "định dạng không được chấp nhận"),
        ("rong.pdf", b"", "Tệp “rong.pdf” rỗng."),
    ],
)
def test_documents_validate_raises_when_content_is_wrong(name, content, message):
    with pytest.raises(DossierValidationError) as error:
        documents_validate(documents=[UploadedDocument(name=name, content=content)])
    assert message in error.value.message


def test_documents_validate_raises_when_file_too_large(settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(DossierValidationError, match="vượt quá"):
        documents_validate(documents=[UploadedDocument(name="a.pdf", content=PDF + b"0" * 100)])


def test_documents_validate_raises_when_dossier_total_too_large(settings):
    settings.DOSSIER_MAX_BYTES = len(PDF) * 2
    with pytest.raises(DossierValidationError, match="Tổng dung lượng"):
        documents_validate(documents=[pdf(), pdf(), pdf()])


def test_sanitize_filename_strips_paths_and_reserved_characters():
    assert sanitize_filename("../../etc/Giấy khai sinh?.PDF") == "Giấy khai sinh.pdf"
    assert sanitize_filename("C:\\Users\\a\\đơn\x00.pdf") == "đơn.pdf"
    assert sanitize_filename("...") == "tep"


def test_detect_kind_returns_none_when_zip_is_not_office():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hi")
    assert detect_kind(buffer.getvalue()) is None


def test_dossier_submit_online_stores_files_privately_with_random_names(settings):
    world = make_world()
    dossier = dossier_submit_online(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=world.province_desk,
        applicant_fields={},
        form_data={},
        documents=[pdf("../Tờ khai.pdf")],
        idempotency_key=None,
        now=MONDAY,
    )
    document = dossier.documents.get()
    assert document.original_name == "Tờ khai.pdf"
    assert document.file.name.startswith("dossiers/2026/03/")
    assert "Tờ khai" not in document.file.name
    assert default_storage.open(document.file.name).read() == PDF
    assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT)


def test_dossier_submit_online_leaves_no_dossier_or_file_when_one_upload_invalid(settings):
    world = make_world()
    with pytest.raises(DossierValidationError):
        dossier_submit_online(
            applicant=world.citizen,
            procedure=world.procedure,
            desk=world.province_desk,
            applicant_fields={},
            form_data={},
            documents=[pdf(), UploadedDocument(name="x.pdf", content=b"GIF89a")],
            idempotency_key=None,
            now=MONDAY,
        )
    assert not Dossier.objects.exists()
    assert stored_files(settings) == []


def test_dossier_submit_online_deletes_written_files_when_database_fails(settings, monkeypatch):
    world = make_world()
    from dossiers.services import intake

    def failing_event(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake, "event_record", failing_event)
    with pytest.raises(RuntimeError):
        dossier_submit_online(
            applicant=world.citizen,
            procedure=world.procedure,
            desk=world.province_desk,
            applicant_fields={},
            form_data={},
            documents=[pdf(), pdf()],
            idempotency_key=None,
            now=MONDAY,
        )
    assert not Dossier.objects.exists()
    assert not DossierDocument.objects.exists()
    assert stored_files(settings) == []


def test_documents_sweep_orphans_removes_only_old_unreferenced_files(settings):
    world = make_world()
    dossier = dossier_submit_online(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=world.province_desk,
        applicant_fields={},
        form_data={},
        documents=[pdf()],
        idempotency_key=None,
        now=MONDAY,
    )
    orphan = default_storage.save(
        "dossiers/2026/03/orphan.pdf", default_storage.open(dossier.documents.get().file.name)
    )
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=1)
    assert documents_sweep_orphans(now=later) == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(dossier.documents.get().file.name)


def test_dossier_submit_supplement_changes_nothing_when_file_invalid(settings):
    from dossiers.models import DossierStatus
    from dossiers.services import dossier_request_supplement, dossier_submit_supplement
    from tests.dossiers.engine_world import submit

    world = make_world()
    dossier = submit(world)
    dossier_request_supplement(
        dossier_id=dossier.pk,
        actor=world.clerk,
        now=MONDAY,
        items=[{"document": "Tờ khai", "reason": "Thiếu"}],
    )
    files_before = sorted(stored_files(settings))
    with pytest.raises(DossierValidationError):
        dossier_submit_supplement(
            dossier_id=dossier.pk,
            actor=world.citizen,
            now=MONDAY,
            documents=[UploadedDocument(name="to-khai.docx", content=PDF)],
        )
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert sorted(stored_files(settings)) == files_before
    assert dossier.events.count() == 2
