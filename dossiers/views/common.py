"""Helpers shared by the dossier pages."""

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.models import Role, User
from dossiers import selectors
from dossiers.declarations import Declaration, declaration_covers
from dossiers.models import Dossier, DossierStatus
from dossiers.services.permissions import DESK_ROLES
from onestop.models import Desk
from procedures.models import Procedure, RequiredDocument

APPLICANT_ROLES = {Role.CITIZEN, Role.BUSINESS}


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def is_applicant(user: User) -> bool:
    return user.is_authenticated and user.role in APPLICANT_ROLES


def is_desk_staff(user: User) -> bool:
    return user.is_authenticated and user.role in DESK_ROLES and bool(user.desk_id)


def dossier_lookup_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("dossiers:lookup") + "?" + urlencode({"code": code}))


def refusal(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dossiers/forbidden.html", {"message": message}, status=403)


def required_documents_for(procedure: Procedure) -> list[RequiredDocument]:
    """The procedure's documents to hand in (notes left out); `is_required` ones are enforced."""
    return list(
        RequiredDocument.objects.filter(procedure=procedure, is_note=False).order_by(
            "position", "pk"
        )
    )


def document_notes(procedure: Procedure) -> list[RequiredDocument]:
    """The catalog's notes on preparing the dossier ("Lưu ý", "0 bản chính" lines)."""
    return list(
        RequiredDocument.objects.filter(procedure=procedure, is_note=True).order_by(
            "position", "pk"
        )
    )


def upload_documents(
    procedure: Procedure, declaration: Declaration | None
) -> tuple[list[RequiredDocument], list[RequiredDocument]]:
    """(documents to upload online, documents the portal's filled declaration stands for).

    Papers the catalog says are shown in person ("xuất trình … khi làm thủ tục trực tiếp") are
    neither: see `shown_documents`.
    """
    required = [r for r in required_documents_for(procedure) if not r.is_shown]
    covered = [r for r in required if declaration_covers(declaration, r.name)]
    return [r for r in required if r not in covered], covered


def shown_documents(procedure: Procedure) -> list[RequiredDocument]:
    """Papers shown in person, not uploaded online (identity papers and the like)."""
    return [r for r in required_documents_for(procedure) if r.is_shown]


def missing_documents(dossier: Dossier, required: list[RequiredDocument]) -> list[RequiredDocument]:
    """Required documents to upload that have no file attached yet."""
    filled = {d.required_document_id for d in dossier.documents.all()}
    return [r for r in required if r.is_required and r.pk not in filled]


def eligible_desks(procedure: Procedure) -> QuerySet[Desk]:
    desks = Desk.objects.filter(is_active=True).select_related("unit__parent__parent")
    if procedure.level:
        desks = desks.filter(unit__level=procedure.level)
    return desks.order_by("unit__path")


def dossier_visible_by_pk_or_404(user: User, pk: int) -> Dossier:
    dossier = (
        selectors.dossier_list_for_user(user=user)
        .select_related("desk__unit")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def dossier_visible_or_404(user: User, code: str) -> Dossier:
    dossier = selectors.dossier_get_for_user(user=user, code=code)
    if dossier is None:
        raise Http404
    return dossier


def available_forms(dossier: Dossier, events: list) -> list[tuple[int, str]]:
    actions = {e.action for e in events}
    available = []
    if dossier.status != DossierStatus.NOT_ACCEPTED:
        available.append((1, _("Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả")))
    if "request_supplement" in actions:
        available.append((2, _("Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ")))
    if dossier.status == DossierStatus.NOT_ACCEPTED:
        available.append((3, _("Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ")))
    if "apologize" in actions:
        available.append((4, _("Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả")))
    if dossier.received_at:
        available.append((5, _("Mẫu 05 — Phiếu kiểm soát quá trình giải quyết hồ sơ")))
    return available
