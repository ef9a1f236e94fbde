"""Request language: Vietnamese unless the visitor picked another language."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def api_language(header: str) -> str:
    """The first supported language of an Accept-Language header, by weight ("" if none)."""
    supported = dict(settings.LANGUAGES)
    for code, _weight in parse_accept_lang_header(header):
        base = code.split("-")[0].lower()
        if base in supported:
            return base
    return ""


class SiteLanguageMiddleware:
    """Activates the language chosen through `set_language` (its cookie), else LANGUAGE_CODE.

    Unlike Django's LocaleMiddleware, a browser's Accept-Language is ignored on pages: a public
    service portal speaks the official language first, and English is an explicit choice. An
    API client has no language switch, so under /api/ an explicit Accept-Language naming a
    supported language (e.g. `en`) is that choice; without one the API answers in Vietnamese.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if request.path.startswith("/api/") and "HTTP_ACCEPT_LANGUAGE" in request.META:
            chosen = api_language(request.META["HTTP_ACCEPT_LANGUAGE"]) or chosen
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
