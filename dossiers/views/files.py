"""Dossier files, served only to users who may see the dossier."""

import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User
from dossiers import selectors
from dossiers.models import Dossier, DossierDocument
from dossiers.services.document_safety import verified_image
from dossiers.services.documents import sanitize_filename

# Only images may open in the browser, and only when verified (dossiers.services.document_safety);
# everything else, PDFs included, downloads: the portal's origin never renders a citizen's file.
INLINE_TYPES = {"image/jpeg", "image/png"}
DOCUMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox",
    "Cache-Control": "private, no-store",
}
DRAFT_KEY = re.compile(r"ban-nhap-(\d+)")


def dossier_file_key(dossier: Dossier) -> str:
    """The dossier part of a file URL: its code, or 'ban-nhap-<id>' for a draft (no code yet)."""
    return dossier.code or f"ban-nhap-{dossier.pk}"


def document_url(document: DossierDocument, *, download: bool = False) -> str:
    url = reverse(
        "dossiers:dossier_document",
        kwargs={"code": dossier_file_key(document.dossier), "document_id": document.pk},
    )
    return f"{url}?tai=1" if download else url


def visible_dossier_for_user(user: User, key: str) -> Dossier | None:
    visible = selectors.dossier_list_for_user(user=user)
    draft = DRAFT_KEY.fullmatch(key)
    if draft:
        return visible.filter(pk=int(draft.group(1)), code__isnull=True).first()
    return visible.filter(code=key).first()


def dossier_document(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    """A dossier's file for users who may see the dossier (else 404, also when signed out).

    Verified images open in the browser (previews); `?tai=1` or any other file downloads.
    """
    dossier = visible_dossier_for_user(request.user, code)
    if dossier is None:
        raise Http404
    document = get_object_or_404(DossierDocument, pk=document_id, dossier=dossier)
    return document_response(document, download=request.GET.get("tai") == "1")


def document_response(document: DossierDocument, *, download: bool = False) -> FileResponse:
    """The stored file, as an attachment unless it is a verified image; sandboxed either way."""
    file = document.file.open("rb")
    if not download and document.content_type in INLINE_TYPES:
        download = not verified_image(file.read(settings.DOCUMENT_MAX_BYTES + 1))
        file.seek(0)
    else:
        download = True
    return FileResponse(
        file,
        as_attachment=download,
        filename=sanitize_filename(document.original_name),
        content_type=document.content_type,
        headers=DOCUMENT_HEADERS,
    )
