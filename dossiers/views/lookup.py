"""Public progress lookup by dossier code."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dossiers.forms import (
    LookupForm,
)
from dossiers.lookup_limit import (
    LOOKUP_CODE_BLOCKED,
    dossier_lookup_limited,
    lookup_address_allowed,
)
from onestop.client_address import client_ip


def lookup(request: HttpRequest) -> HttpResponse:
    """Progress by code + last 4 digits of phone or CCCD; rate-limited; no personal data."""
    result = None
    searched = "code" in request.GET and "verifier" in request.GET
    form = LookupForm(
        request.GET if searched else None, initial={"code": request.GET.get("code", "")}
    )
    status = 200
    if searched:
        if not lookup_address_allowed(client=client_ip(request)):
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
            result, blocked = dossier_lookup_limited(
                code=form.cleaned_data["code"], verifier=form.cleaned_data["verifier"]
            )
            if blocked:
                return render(
                    request,
                    "dossiers/lookup.html",
                    {"form": form, "code_blocked": LOOKUP_CODE_BLOCKED},
                    status=429,
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
