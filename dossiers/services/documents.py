"""Uploaded documents: checked by content (magic bytes), sized, named safely, stored privately."""

import contextlib
import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Dossier, DossierDocument, DossierEvent
from dossiers.services.document_safety import has_html_markup, pdf_has_active_content
from dossiers.services.errors import DossierValidationError

STORAGE_DIR = "dossiers"

# Extension -> (kind detected from the content, MIME type, label in messages).
ACCEPTED_EXTENSIONS: dict[str, tuple[str, str, str]] = {
    ".pdf": ("pdf", "application/pdf", "PDF"),
    ".jpg": ("jpeg", "image/jpeg", "JPEG"),
    ".jpeg": ("jpeg", "image/jpeg", "JPEG"),
    ".png": ("png", "image/png", "PNG"),
    ".doc": ("doc", "application/msword", "Word (DOC)"),
    ".docx": (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word (DOCX)",
    ),
    ".xls": ("xls", "application/vnd.ms-excel", "Excel (XLS)"),
    ".xlsx": (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Excel (XLSX)",
    ),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class UploadedDocument:
    """A file as the applicant or clerk sent it; nothing is trusted yet."""

    name: str
    content: bytes
    required_document_id: int | None = None

    @classmethod
    def from_file(
        cls, file: IO[bytes], *, name: str = "", required_document_id: int | None = None
    ) -> "UploadedDocument":
        """Read an uploaded file, at most one byte over the limit (enough to refuse it)."""
        if hasattr(file, "seek"):
            file.seek(0)
        content = file.read(settings.DOCUMENT_MAX_BYTES + 1)
        return cls(
            name=name or getattr(file, "name", "") or "",
            content=content,
            required_document_id=required_document_id,
        )


@dataclass(frozen=True)
class ValidatedDocument:
    original_name: str
    extension: str
    content_type: str
    content: bytes
    sha256: str
    required_document_id: int | None


def sanitize_filename(name: str) -> str:
    """Keep a readable Vietnamese name: no path, control or reserved characters, bounded length."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    name = re.sub(r"\s+", " ", name).strip(" .")
    stem, ext = os.path.splitext(name)
    return (stem[:150].strip() or "tep") + ext.lower()[:10]


def detect_kind(content: bytes) -> str | None:
    """The file type according to its bytes, or None when it is none of the accepted types."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(OLE_MAGIC):
        # The directory of an OLE compound file names its streams in UTF-16LE.
        if "WordDocument".encode("utf-16-le") in content:
            return "doc"
        if "Workbook".encode("utf-16-le") in content or "Book".encode("utf-16-le") in content:
            return "xls"
        return None
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = archive.namelist()
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return None


def documents_validate(
    *, documents: Iterable[UploadedDocument], existing_bytes: int = 0
) -> list[ValidatedDocument]:
    """Check every file before anything is written; raise on the first problem."""
    validated: list[ValidatedDocument] = []
    max_mb = settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
    for doc in documents:
        name = sanitize_filename(doc.name)
        ext = os.path.splitext(name)[1]
        if ext not in ACCEPTED_EXTENSIONS:
            raise DossierValidationError(
                _(
                    "Tệp “%(name)s” có định dạng không được chấp nhận. "
                    "Chỉ nhận PDF, JPG, PNG, DOC, DOCX, XLS, XLSX."
                )
                % {"name": name},
                field="documents",
            )
        if not doc.content:
            raise DossierValidationError(
                _("Tệp “%(name)s” rỗng.") % {"name": name}, field="documents"
            )
        if len(doc.content) > settings.DOCUMENT_MAX_BYTES:
            raise DossierValidationError(
                _("Tệp “%(name)s” vượt quá %(mb)s MB.") % {"name": name, "mb": max_mb},
                field="documents",
            )
        kind, content_type, label = ACCEPTED_EXTENSIONS[ext]
        if detect_kind(doc.content) != kind:
            raise DossierValidationError(
                _("Tệp “%(name)s” không phải là tệp %(label)s hợp lệ.")
                % {"name": name, "label": label},
                field="documents",
            )
        if kind in ("pdf", "jpeg", "png") and has_html_markup(doc.content):
            raise DossierValidationError(
                _("Tệp “%(name)s” chứa mã HTML hoặc mã lệnh nên không được chấp nhận.")
                % {"name": name},
                field="documents",
            )
        if kind == "pdf" and pdf_has_active_content(doc.content):
            raise DossierValidationError(
                _(
                    "Tệp “%(name)s” chứa JavaScript hoặc thao tác tự động nên không được "
                    "chấp nhận. Hãy in lại tệp ra PDF thường (không có mã lệnh) rồi nộp lại."
                )
                % {"name": name},
                field="documents",
            )
        validated.append(
            ValidatedDocument(
                original_name=name,
                extension=ext,
                content_type=content_type,
                content=doc.content,
                sha256=hashlib.sha256(doc.content).hexdigest(),
                required_document_id=doc.required_document_id,
            )
        )
    documents_check_total(documents=validated, existing_bytes=existing_bytes)
    return validated


def documents_check_total(*, documents: list[ValidatedDocument], existing_bytes: int) -> None:
    """Refuse files that would take the dossier over settings.DOSSIER_MAX_BYTES."""
    if existing_bytes + sum(len(doc.content) for doc in documents) > settings.DOSSIER_MAX_BYTES:
        raise DossierValidationError(
            _("Tổng dung lượng các tệp của hồ sơ vượt quá %(mb)s MB.")
            % {"mb": settings.DOSSIER_MAX_BYTES // (1024 * 1024)},
            field="documents",
        )


def uploads_check_total(files: Iterable[IO[bytes]]) -> None:
    """Refuse uploads whose declared sizes already exceed the dossier limit, before reading any."""
    if sum(getattr(file, "size", 0) or 0 for file in files) > settings.DOSSIER_MAX_BYTES:
        raise DossierValidationError(
            _("Tổng dung lượng các tệp của hồ sơ vượt quá %(mb)s MB.")
            % {"mb": settings.DOSSIER_MAX_BYTES // (1024 * 1024)},
            field="documents",
        )


def dossier_stored_bytes(*, dossier: Dossier) -> int:
    return sum(dossier.documents.values_list("size", flat=True))


@contextlib.contextmanager
def files_removed_on_error() -> Iterator[list[str]]:
    """Collect the storage names written inside; delete them if the block raises (rollback)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def documents_store(
    *,
    dossier: Dossier,
    documents: list[ValidatedDocument],
    kind: str,
    event: DossierEvent | None,
    uploaded_by: User | None,
    now: datetime,
    written: list[str],
) -> list[DossierDocument]:
    """Write validated files under MEDIA_ROOT with random names and record them (one INSERT)."""
    rows = []
    for doc in documents:
        path = f"{STORAGE_DIR}/{now:%Y/%m}/{uuid.uuid4().hex}{doc.extension}"
        stored = default_storage.save(path, ContentFile(doc.content))
        written.append(stored)
        row = DossierDocument(
            dossier=dossier,
            required_document_id=doc.required_document_id,
            event=event,
            kind=kind,
            original_name=doc.original_name,
            content_type=doc.content_type,
            size=len(doc.content),
            sha256=doc.sha256,
            uploaded_by=uploaded_by,
        )
        row.file.name = stored
        rows.append(row)
    return DossierDocument.objects.bulk_create(rows)


def documents_sweep_orphans(*, now: datetime, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete stored files no DossierDocument points to (left by an outer rollback).

    Files younger than `older_than` are kept: their transaction may still be open.
    """
    known = set(DossierDocument.objects.values_list("file", flat=True))
    removed = 0
    root = default_storage.path(STORAGE_DIR)
    if not os.path.isdir(root):
        return 0
    cutoff = (now - older_than).timestamp()
    for folder, _dirs, files in os.walk(root):
        for filename in files:
            full = os.path.join(folder, filename)
            name = os.path.relpath(full, default_storage.path("")).replace(os.sep, "/")
            if name not in known and os.path.getmtime(full) < cutoff:
                default_storage.delete(name)
                removed += 1
    return removed
