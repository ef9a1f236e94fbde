"""Pages of the site shell: the home page, the 404 answer."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from rest_framework.exceptions import NotFound

from portal.selectors import portal_key_figures


def home(request: HttpRequest) -> HttpResponse:
    """Entry points for citizens, clerks and leaders."""
    return render(request, "portal/home.html", {"figures": portal_key_figures()})


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown address: JSON under /api/ (as every API error), the HTML page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)  # as DRF says
    return defaults.page_not_found(request, exception)
