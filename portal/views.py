"""Pages of the site shell: the home page, the error answers (JSON under /api/, styled pages)."""

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from portal.context_processors import site_names
from portal.selectors import portal_key_figures

logger = logging.getLogger(__name__)


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def home(request: HttpRequest) -> HttpResponse:
    """Entry points for citizens, clerks and leaders."""
    return render(request, "portal/home.html", {"figures": portal_key_figures()})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown address: JSON under /api/ (as every API error), the HTML page elsewhere."""
    if _is_api(request):
        return JsonResponse({"detail": _("Không tìm thấy.")}, status=404)
    return defaults.page_not_found(request, exception)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A refused page: the styled 403.html (with the refusal's reason), JSON under /api/."""
    if _is_api(request):
        detail = str(exception) or _("Bạn không có quyền thực hiện thao tác này.")
        return JsonResponse({"detail": detail}, status=403)
    return defaults.permission_denied(request, exception)


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": _("Yêu cầu không hợp lệ.")}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 answer: rendered without context processors, so it needs no database."""
    if _is_api(request):
        return JsonResponse({"detail": _("Lỗi hệ thống. Vui lòng thử lại sau.")}, status=500)
    try:
        html = loader.get_template("500.html").render(site_names())
    except Exception:  # the error page must answer even when templates are what broke
        logger.exception("500.html could not be rendered")
        return HttpResponseServerError(
            "<!DOCTYPE html><title>500</title><h1>Lỗi hệ thống / Server error</h1>",
        )
    return HttpResponseServerError(html)
