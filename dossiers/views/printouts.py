"""Printable documents: the filled declaration and the forms Mẫu 01..05."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import override

from accounts.models import STAFF_ROLES, User
from dossiers import pdf
from dossiers.declarations import (
    declaration_for,
)
from dossiers.models import Dossier
from dossiers.pdf.context import dossier_for_forms, letterhead_for
from dossiers.services.permissions import APPLICANT, actor_scopes
from dossiers.views.common import (
    available_forms,
    dossier_lookup_url,
    dossier_visible_by_pk_or_404,
    dossier_visible_or_404,
    pdf_response,
)


def official_language(view: Callable) -> Callable:
    """Render official documents (the declaration, the Circular 01/2018 forms) in Vietnamese,
    whatever language the visitor reads the portal in."""

    @wraps(view)
    def in_official_language(*args, **kwargs):
        with override(settings.LANGUAGE_CODE):
            return view(*args, **kwargs)

    return in_official_language


# Renderer names, looked up when a form is printed (dossiers.pdf loads fpdf on first use).
FORM_RENDERERS: dict[int, tuple[str, str]] = {
    2: ("mau-02-yeu-cau-bo-sung", "render_supplement_request"),
    3: ("mau-03-tu-choi", "render_refusal"),
    4: ("mau-04-xin-loi", "render_apology"),
    5: ("mau-05-phieu-kiem-soat", "render_control_slip"),
}
# Internal forms: the control slip (Mẫu 05) travels between the desk and the agencies only.
STAFF_ONLY_FORMS = {5}


def _staff_in_scope(user: User, dossier: Dossier) -> bool:
    """A staff member who sees the dossier as staff, not (only) as its applicant."""
    if not (user.is_superuser or user.role in STAFF_ROLES):
        return False
    if dossier.applicant_id != user.pk:
        return True
    return bool(actor_scopes(user=user, dossier=dossier) - {APPLICANT})


@login_required
@official_language
def declaration_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration the portal filled from the structured fields (no print-sign-scan)."""
    dossier = dossier_visible_by_pk_or_404(request.user, pk)
    declaration = declaration_for(dossier.procedure.code)
    if declaration is None:
        raise Http404
    content = pdf.render_declaration(
        declaration=declaration,
        data=dossier.form_data,
        applicant_name=dossier.applicant_name,
        place=letterhead_for(dossier.desk).place,
        when=dossier.submitted_at or timezone.now(),
    )
    return pdf_response(content, f"to-khai-{dossier.code or dossier.pk}")


@login_required
@official_language
def form_pdf(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Mẫu 01..05 of one dossier as PDF, filled from the dossier and its events."""
    dossier = dossier_visible_or_404(request.user, code)
    if number in STAFF_ONLY_FORMS and not _staff_in_scope(request.user, dossier):
        raise Http404  # the portal hides what a user may not see (404, not 403)
    bundle = dossier_for_forms(dossier.pk)
    if number not in {n for n, _label in available_forms(dossier, bundle.events)}:
        raise Http404
    if number == 1:
        return pdf_response(
            pdf.render_receipt(bundle, lookup_url=dossier_lookup_url(request, dossier.code)),
            f"mau-01-giay-tiep-nhan-{dossier.code}",
        )
    name, renderer = FORM_RENDERERS[number]
    return pdf_response(getattr(pdf, renderer)(bundle), f"{name}-{dossier.code}")
