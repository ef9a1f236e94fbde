"""Pages of the site shell: the home page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.selectors import portal_key_figures


def home(request: HttpRequest) -> HttpResponse:
    """Entry points for citizens, clerks and leaders."""
    return render(request, "portal/home.html", {"figures": portal_key_figures()})
