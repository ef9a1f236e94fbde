"""Refuse a request body larger than a whole dossier before Django parses (or spools) it."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Room for the form fields and the multipart framing around the files themselves.
UPLOAD_REQUEST_OVERHEAD = 256 * 1024


def request_max_bytes() -> int:
    return settings.DOSSIER_MAX_BYTES + UPLOAD_REQUEST_OVERHEAD


class UploadSizeLimitMiddleware:
    """413 when CONTENT_LENGTH is over DOSSIER_MAX_BYTES (plus framing), read from the header.

    Placed after authentication and messages so the page renders like any other; it still runs
    before any view or CsrfViewMiddleware.process_view reads request.POST, so nothing is parsed,
    spooled to disk or stored.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > request_max_bytes():
            return self._too_large(request)
        return self.get_response(request)

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponse:
        message = _(
            "Tổng dung lượng các tệp gửi lên vượt quá %(mb)s MB. Hãy giảm dung lượng "
            "hoặc số tệp rồi gửi lại; chưa có gì được lưu."
        ) % {"mb": settings.DOSSIER_MAX_BYTES // (1024 * 1024)}
        # The body is left unread: tell the client not to reuse the connection.
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"detail": message, "field": "documents"}, status=413
            )
        else:
            response = render(request, "dossiers/forbidden.html", {"message": message}, status=413)
        response["Connection"] = "close"
        return response
