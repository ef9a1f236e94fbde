"""The applicant's pages: my dossiers, one dossier, its actions, the receipt."""

import segno
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from dossiers import selectors
from dossiers.declarations import (
    declaration_for,
)
from dossiers.models import Dossier
from dossiers.views.actions import action_form_perform, action_forms, detail_context
from dossiers.views.common import available_forms, dossier_lookup_url, dossier_visible_or_404
from dossiers.workflow import APPLICANT


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """After submitting: the dossier code, each file received with its size, the receipt PDF."""
    dossier = dossier_visible_or_404(request.user, code)
    documents = list(dossier.documents.select_related("required_document"))
    lookup_url = dossier_lookup_url(request, dossier.code)
    return render(
        request,
        "dossiers/receipt.html",
        {
            "dossier": dossier,
            "documents": documents,
            "declaration": declaration_for(dossier.procedure.code),
            "lookup_url": lookup_url,
            "qr": segno.make(lookup_url, error="m").svg_data_uri(scale=4, border=2),
        },
    )


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    dossiers = (
        Dossier.objects.filter(applicant=request.user)
        .select_related("procedure", "desk")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(dossiers, 20).get_page(request.GET.get("page"))
    return render(request, "dossiers/my_list.html", {"page_obj": page, "now": timezone.now()})


def _my_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = (
        Dossier.objects.filter(applicant=request.user, code=code)
        .select_related("procedure", "desk__unit", "rating")
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@login_required
def my_detail(
    request: HttpRequest, code: str, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    """The applicant's dossier: timeline, files, and the actions open to them now."""
    dossier = _my_dossier(request, code)
    allowed = [
        s
        for s in selectors.dossier_allowed_actions(dossier=dossier, user=request.user)
        if APPLICANT in s.scopes and s.name != "submit"
    ]
    context = detail_context(request, dossier)
    context["actions"] = action_forms(dossier, allowed, bound or {})
    context["forms_available"] = [
        (number, label)
        for number, label in available_forms(dossier, context["events"])
        if number != 5
    ]
    return render(request, "dossiers/my_detail.html", context, status=status)


@login_required
@require_POST
def my_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _my_dossier(request, code)
    return action_form_perform(
        request,
        dossier,
        action,
        back=lambda: redirect("dossiers:my_detail", code=dossier.code),
        again=lambda bound: my_detail(request, code, bound=bound, status=400),
    )
