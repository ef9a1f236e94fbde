"""Request language (Vietnamese unless the visitor picked another), and requests refused before
any view for characters no field may hold."""

import functools
from collections.abc import Callable
from urllib.parse import unquote

import csp.middleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
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


# Per-response policy attributes set by django-csp's view decorators (csp_update, csp_replace,
# csp_override), in either mode.
CSP_RESPONSE_POLICY_ATTRIBUTES = tuple(
    f"_csp_{kind}{mode}" for kind in ("config", "update", "replace") for mode in ("", "_ro")
)


@functools.cache
def _plain_csp_headers() -> tuple[str, str]:
    """The enforced and report-only policies of a response without nonce or per-view policy."""
    return build_policy(), build_policy(report_only=True)


@receiver(setting_changed)
def _forget_plain_csp_headers(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _plain_csp_headers.cache_clear()


class CSPMiddleware(csp.middleware.CSPMiddleware):
    """django-csp's middleware, with the policy of a plain response built once per process.

    django-csp rebuilds both headers for every response (a deep copy of its policy parts, then
    the directives joined): about a sixth of a one-row view's CPU on each API read. A response
    whose request used a nonce or whose view set its own policy goes through django-csp as is;
    every other one gets the same headers django-csp would write, under the same conditions.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in CSP_RESPONSE_POLICY_ATTRIBUTES
        ):
            return super().process_response(request, response)
        if response.status_code in (500, 404) and settings.DEBUG:
            return response
        enforced, report_only = _plain_csp_headers()
        for header, value, exempt, setting in (
            (HEADER, enforced, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (
                HEADER_REPORT_ONLY,
                report_only,
                "_csp_exempt_ro",
                "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            ),
        ):
            if not value or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = value
        # As django-csp: a nonce asked for after the header is written is an error, not a policy
        # silently missing it.
        request.csp_nonce = csp.middleware.CheckableLazyObject(self._csp_nonce_post_response)
        return response
