"""Public progress lookup by dossier code."""

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dossiers import selectors
from dossiers.forms import (
    LookupForm,
)

LOOKUP_LIMIT = 10


LOOKUP_WINDOW_SECONDS = 60


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def lookup(request: HttpRequest) -> HttpResponse:
    """Progress by code + last 4 digits of phone or CCCD; rate-limited; no personal data."""
    result = None
    searched = "code" in request.GET and "verifier" in request.GET
    form = LookupForm(
        request.GET if searched else None, initial={"code": request.GET.get("code", "")}
    )
    status = 200
    if searched:
        key = f"dossiers:lookup:{_client_ip(request)}"
        cache.add(key, 0, timeout=LOOKUP_WINDOW_SECONDS)
        try:
            attempts = cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=LOOKUP_WINDOW_SECONDS)
            attempts = 1
        if attempts > LOOKUP_LIMIT:
            form = LookupForm(initial=request.GET)
            form.is_bound = False
            return render(
                request,
                "dossiers/lookup.html",
                {
                    "form": form,
                    "limited": True,
                },
                status=429,
            )
        if form.is_valid():
            result = selectors.dossier_public_lookup(
                code=form.cleaned_data["code"], verifier=form.cleaned_data["verifier"]
            )
            if result is None:
                status = 404
    return render(
        request,
        "dossiers/lookup.html",
        {
            "form": form,
            "result": result,
            "searched": searched and form.is_valid(),
        },
        status=status,
    )
