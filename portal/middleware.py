"""Request language (Vietnamese unless the visitor picked another), and requests refused before
any view for characters no field may hold."""

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation


class SiteLanguageMiddleware:
    """Activates the language chosen through `set_language` (its cookie), else LANGUAGE_CODE.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is ignored: a public
    service portal speaks the official language first, and English is an explicit choice.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class NulCharacterMiddleware:
    """Refuses a request whose address, query or headers carry a NUL character (400).

    No field of the portal holds one, and PostgreSQL refuses it in any text value, so letting it
    through turns a typo or a probe into a server error deep in a query.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            message = translation.gettext("Yêu cầu chứa ký tự không hợp lệ.")
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": message}, status=400, json_dumps_params={"ensure_ascii": False}
                )
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path_info or "\x00" in unquote(request.META.get("QUERY_STRING", "")):
            return True
        return any(
            "\x00" in value
            for key, value in request.META.items()
            if key.startswith("HTTP_") and isinstance(value, str)
        )
