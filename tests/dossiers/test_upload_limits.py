"""Uploads stream to temporary files and an oversized request is refused unread (issue 11)."""

import os

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from dossiers.models import Dossier, DossierDocument
from dossiers.services.documents import UploadedDocument
from tests.dossiers.engine_world import PDF, make_world
from tests.dossiers.test_api import client_for, post_dossier
from tests.dossiers.test_views import BIRTH_FIELDS, _applicant, _slots
from tests.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

KB = 1024


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()


def _stored(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [f for _d, _s, files in os.walk(root) for f in files] if os.path.isdir(root) else []


def _pdf(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + b"0" * (size - len(PDF)), "application/pdf")


def test_api_refuses_with_413_before_parsing_when_the_request_exceeds_the_dossier_limit(
    settings, monkeypatch
):
    settings.DOSSIER_MAX_BYTES = 200 * KB
    settings.DOCUMENT_MAX_BYTES = 150 * KB
    parsed = []
    monkeypatch.setattr(
        "django.http.multipartparser.MultiPartParser.parse",
        lambda self: parsed.append(1) or (_ for _ in ()).throw(AssertionError("parsed")),
    )
    world = make_world()
    response = post_dossier(world, files=[_pdf(f"{i}.pdf", 120 * KB) for i in range(10)])
    assert response.status_code == 413
    assert "chưa có gì được lưu" in response.json()["detail"]
    assert response.json()["field"] == "documents"
    assert parsed == []
    assert Dossier.objects.count() == 0 and _stored(settings) == []


def test_page_refuses_with_413_in_vietnamese_when_the_upload_exceeds_the_dossier_limit(
    client, citizen, birth_procedure, commune_desk, settings
):
    settings.DOSSIER_MAX_BYTES = 200 * KB
    client.login(username=citizen.username, password=DEMO_PASSWORD)
    first = _slots(birth_procedure)[0]
    data = {
        **_applicant(commune_desk),
        **BIRTH_FIELDS,
        "step": "save",
        first: [_pdf(f"{i}.pdf", 100 * KB) for i in range(6)],
    }
    response = client.post(reverse("dossiers:submit_start", args=[birth_procedure.code]), data)
    assert response.status_code == 413
    assert "Tổng dung lượng các tệp gửi lên vượt quá" in response.content.decode()
    assert Dossier.objects.count() == 0 and DossierDocument.objects.count() == 0
    assert _stored(settings) == []


def test_api_refuses_before_reading_files_when_their_sizes_exceed_the_dossier_limit(
    settings, monkeypatch
):
    # Under the request bound (framing room) but over the dossier total: no file is read.
    settings.DOSSIER_MAX_BYTES = 200 * KB
    settings.DOCUMENT_MAX_BYTES = 150 * KB
    reads = []
    original = UploadedDocument.from_file.__func__
    monkeypatch.setattr(
        UploadedDocument,
        "from_file",
        classmethod(lambda cls, f, **kw: reads.append(f) or original(cls, f, **kw)),
    )
    world = make_world()
    response = post_dossier(world, files=[_pdf("a.pdf", 110 * KB), _pdf("b.pdf", 110 * KB)])
    assert response.status_code == 400
    assert "Tổng dung lượng các tệp của hồ sơ vượt quá" in response.json()["detail"]
    assert reads == [] and Dossier.objects.count() == 0 and _stored(settings) == []


def test_uploads_stream_to_temporary_files_when_the_request_is_not_tiny(monkeypatch):
    seen = []
    original = UploadedDocument.from_file.__func__
    monkeypatch.setattr(
        UploadedDocument,
        "from_file",
        classmethod(lambda cls, f, **kw: seen.append(type(f)) or original(cls, f, **kw)),
    )
    world = make_world()
    response = post_dossier(world, files=[_pdf("a.pdf", 300 * KB), _pdf("b.pdf", 20 * KB)])
    assert response.status_code == 201, response.json()
    assert seen == [TemporaryUploadedFile, TemporaryUploadedFile]


def test_api_still_accepts_files_when_under_the_limits():
    world = make_world()
    response = client_for(world.citizen).post(
        "/api/v1/dossiers/",
        {"procedure": world.procedure.code, "documents": [_pdf("a.pdf", 2 * KB)]},
        format="multipart",
    )
    assert response.status_code == 201
