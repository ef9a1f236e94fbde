"""Dossier pages: online submission, my dossiers, public lookup, the desk, printable forms."""

import datetime
from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import pdf, selectors
from dossiers.declarations import (
    Declaration,
    declaration_covers,
    declaration_display,
    declaration_for,
    document_enforced,
)
from dossiers.desk_queue import TAB_LABELS, desk_queue_list, desk_queue_tabs, desk_tracking_book
from dossiers.forms import (
    OPTIONAL_ITEMS_ACTIONS,
    ApplicantForm,
    DeskChoiceForm,
    DocumentSlotsForm,
    LookupForm,
    PeriodForm,
    QueueSearchForm,
    SubmitForm,
    WalkInForm,
    WalkInProcedureForm,
    action_form_class,
    declaration_data,
    declaration_form_class,
    declaration_initial,
    declaration_stored_initial,
    slot_name,
)
from dossiers.models import Dossier, DossierDocument, DossierStatus
from dossiers.pdf.context import dossier_for_forms, letterhead_for
from dossiers.pdf.forms import TRACKING_BOOK_HEADINGS, tracking_book_row
from dossiers.services import (
    DossierError,
    DossierValidationError,
    dossier_perform_action,
    dossier_receive_walk_in,
    dossier_save_draft,
    dossier_submit_draft,
)
from dossiers.services.permissions import DESK_ROLES
from dossiers.workflow import APPLICANT
from onestop.models import Desk
from portal.models import Role, User
from procedures.models import OnlineLevel, Procedure, RequiredDocument

APPLICANT_ROLES = {Role.CITIZEN, Role.BUSINESS}
LOOKUP_LIMIT = 10
LOOKUP_WINDOW_SECONDS = 60
SESSION_SUBMITTED = "dossiers_submitted_keys"
FORM_RENDERERS: dict[int, tuple[str, Callable]] = {
    2: ("mau-02-yeu-cau-bo-sung", pdf.render_supplement_request),
    3: ("mau-03-tu-choi", pdf.render_refusal),
    4: ("mau-04-xin-loi", pdf.render_apology),
    5: ("mau-05-phieu-kiem-soat", pdf.render_control_slip),
}


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def _is_applicant(user: User) -> bool:
    return user.is_authenticated and user.role in APPLICANT_ROLES


def _is_desk_staff(user: User) -> bool:
    return user.is_authenticated and user.role in DESK_ROLES and bool(user.desk_id)


def _lookup_url(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("dossiers:lookup") + "?" + urlencode({"code": code}))


def _refusal(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "dossiers/forbidden.html", {"message": message}, status=403)


def _required_documents(procedure: Procedure) -> list[RequiredDocument]:
    """The procedure's documents, each marked `enforced` when an upload is demanded."""
    documents = list(
        RequiredDocument.objects.filter(procedure=procedure).order_by("position", "pk")
    )
    for document in documents:
        document.enforced = document_enforced(name=document.name, is_required=document.is_required)
    return documents


def _upload_documents(
    procedure: Procedure, declaration: Declaration | None
) -> tuple[list[RequiredDocument], list[RequiredDocument]]:
    """(documents to upload, documents the portal's filled declaration stands for)."""
    required = _required_documents(procedure)
    covered = [r for r in required if declaration_covers(declaration, r.name)]
    return [r for r in required if r not in covered], covered


def _missing_documents(
    dossier: Dossier, required: list[RequiredDocument]
) -> list[RequiredDocument]:
    """Required documents to upload that have no file attached yet."""
    filled = {d.required_document_id for d in dossier.documents.all()}
    return [r for r in required if r.enforced and r.pk not in filled]


def _eligible_desks(procedure: Procedure) -> QuerySet[Desk]:
    desks = Desk.objects.filter(is_active=True).select_related("unit")
    if procedure.level:
        desks = desks.filter(unit__level=procedure.level)
    return desks.order_by("unit__path")


# --- Online submission --------------------------------------------------------------------------


def submit_choose(request: HttpRequest) -> HttpResponse:
    """'Nộp hồ sơ': the way to the catalog, and the signed-in applicant's drafts to resume."""
    drafts = (
        Dossier.objects.filter(applicant=request.user, status=DossierStatus.DRAFT)
        .select_related("procedure")
        .order_by("-updated_at")
        if request.user.is_authenticated
        else Dossier.objects.none()
    )
    return render(request, "dossiers/submit_choose.html", {"drafts": drafts})


@login_required
def submit_start(request: HttpRequest, code: str) -> HttpResponse:
    """The step form for a procedure; an unfinished draft of the same procedure is resumed."""
    procedure = get_object_or_404(Procedure, code=code, is_published=True)
    if not _is_applicant(request.user):
        return _refusal(request, _("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến."))
    if procedure.online_level == OnlineLevel.NONE:
        return _refusal(
            request,
            _(
                "Thủ tục này chưa được cung cấp trực tuyến; "
                "vui lòng nộp trực tiếp tại bộ phận một cửa."
            ),
        )
    draft = (
        Dossier.objects.filter(
            applicant=request.user, procedure=procedure, status=DossierStatus.DRAFT
        )
        .order_by("-updated_at")
        .first()
    )
    if draft is not None and request.method == "GET":
        return redirect("dossiers:draft_edit", pk=draft.pk)
    return _draft_page(request, procedure=procedure, draft=draft)


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(
        Dossier.objects.select_related("procedure", "desk"),
        pk=pk,
        applicant=request.user,
        status=DossierStatus.DRAFT,
    )
    return _draft_page(request, procedure=draft.procedure, draft=draft)


def _draft_page(
    request: HttpRequest, *, procedure: Procedure, draft: Dossier | None
) -> HttpResponse:
    """Step 1: applicant, declaration and files. Saving keeps a server-side draft."""
    declaration = declaration_for(procedure.code)
    required, covered = _upload_documents(procedure, declaration)
    desks = _eligible_desks(procedure)
    documents = list(draft.documents.all()) if draft else []
    filled = {d.required_document_id for d in documents}
    if draft:
        applicant_initial = {
            f"applicant_{k}": getattr(draft, f"applicant_{k}")
            for k in ("name", "cccd", "phone", "email", "address", "organisation")
        }
        declaration_values = (
            declaration_stored_initial(declaration, draft.form_data) if declaration else {}
        )
    else:
        applicant_initial = ApplicantForm.initial_for(request.user)
        declaration_values = (
            declaration_initial(declaration, applicant_initial) if declaration else {}
        )
    bound = request.method == "POST"
    data = request.POST if bound else None
    applicant_form = ApplicantForm(data, initial=applicant_initial)
    desk_form = DeskChoiceForm(
        data, queryset=desks, initial={"desk": draft.desk_id if draft else _default_desk(desks)}
    )
    declaration_form = (
        declaration_form_class(declaration)(data, initial=declaration_values, prefix="tk")
        if declaration
        else None
    )
    slots = DocumentSlotsForm(data, request.FILES if bound else None, required_documents=required)
    if bound and request.POST.get("step") != "review":
        # A draft may be incomplete: only malformed values, the desk and bad files stop it.
        for form in (applicant_form, declaration_form):
            for field in form.fields.values() if form is not None else ():
                field.required = False
    if bound:
        forms_ok = [applicant_form.is_valid(), desk_form.is_valid(), slots.is_valid()]
        if declaration_form is not None:
            forms_ok.append(declaration_form.is_valid())
        if desk_form.is_valid():
            applicant_fields = {
                key.removeprefix("applicant_"): value
                for key, value in (applicant_form.cleaned_data or {}).items()
            }
            for key in ("name", "cccd", "phone", "email", "address", "organisation"):
                applicant_fields.setdefault(key, request.POST.get(f"applicant_{key}", ""))
            form_data = dict(draft.form_data) if draft else {}
            if declaration_form is not None:
                form_data.update(declaration_data(declaration_form.cleaned_data or {}))
            try:
                draft = dossier_save_draft(
                    applicant=request.user,
                    procedure=procedure,
                    desk=desk_form.cleaned_data["desk"],
                    applicant_fields=applicant_fields,
                    form_data=form_data,
                    now=timezone.now(),
                    documents=slots.uploaded() if slots.is_valid() else [],
                    dossier_id=draft.pk if draft else None,
                )
            except DossierValidationError as error:
                slots.add_error(None, error.message)
                forms_ok.append(False)
            except DossierError as error:
                return _refusal(request, error.message)
        if all(forms_ok) and draft is not None:
            if request.POST.get("step") == "review":
                return redirect("dossiers:draft_review", pk=draft.pk)
            messages.success(
                request,
                _("Đã lưu bản nháp. Bạn có thể tiếp tục bất cứ lúc nào từ mục “Hồ sơ của tôi”."),
            )
            return redirect("dossiers:draft_edit", pk=draft.pk)
        if draft is not None:
            documents = list(draft.documents.all())
            filled = {d.required_document_id for d in documents}
    slot_rows = [
        {
            "field": slots[slot_name(r)],
            "required": r,
            "files": [d for d in documents if d.required_document_id == r.pk],
        }
        for r in required
    ]
    other_files = [d for d in documents if d.required_document_id is None]
    status = 400 if bound else 200
    return render(
        request,
        "dossiers/submit_form.html",
        {
            "procedure": procedure,
            "draft": draft,
            "applicant_form": applicant_form,
            "desk_form": desk_form,
            "declaration": declaration,
            "declaration_form": declaration_form,
            "declaration_sections": [
                (section.title, [declaration_form[f.name] for f in section.fields])
                for section in declaration.sections
            ]
            if declaration_form is not None
            else [],
            "slots": slots,
            "slot_rows": slot_rows,
            "other_slot": slots["doc_other"],
            "other_files": other_files,
            "covered": covered,
            "missing": [r for r in required if r.enforced and r.pk not in filled],
        },
        status=status,
    )


def _default_desk(desks: QuerySet[Desk]) -> int | None:
    only = list(desks.values_list("pk", flat=True)[:2])
    return only[0] if len(only) == 1 else None


@login_required
def draft_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: everything as the desk will see it; step 3: submit once.

    A repeated POST (double click, resent form) makes no second submission: the key of the
    rendered page is remembered in the session, the draft row is locked by the service, and a
    draft that is no longer a draft sends the applicant to its receipt.
    """
    used = request.session.get(SESSION_SUBMITTED, {})
    if request.method == "POST" and request.POST.get("idempotency_key") in used:
        code = (
            Dossier.objects.filter(pk=used[request.POST["idempotency_key"]], applicant=request.user)
            .values_list("code", flat=True)
            .first()
        )
        if code:
            return redirect("dossiers:receipt", code=code)
    dossier = (
        Dossier.objects.filter(pk=pk, applicant=request.user)
        .select_related("procedure", "desk__unit")
        .first()
    )
    if dossier is None:
        raise Http404
    if dossier.status != DossierStatus.DRAFT:
        return redirect("dossiers:receipt", code=dossier.code)
    declaration = declaration_for(dossier.procedure.code)
    required, _covered = _upload_documents(dossier.procedure, declaration)
    missing = _missing_documents(dossier, required)
    documents = list(dossier.documents.select_related("required_document"))
    form = SubmitForm(request.POST or None, initial={"idempotency_key": SubmitForm.new_key()})
    if request.method == "POST" and form.is_valid():
        if not documents:
            form.add_error(None, _("Hồ sơ chưa có tệp nào: hãy tải lên các giấy tờ của hồ sơ."))
        elif missing:
            form.add_error(
                None,
                _("Còn thiếu giấy tờ bắt buộc: %(names)s.")
                % {"names": "; ".join(r.name for r in missing)},
            )
        else:
            try:
                dossier = dossier_submit_draft(
                    dossier_id=dossier.pk, actor=request.user, now=timezone.now()
                )
            except DossierError as error:
                current = Dossier.objects.filter(pk=dossier.pk).values_list("code", "status")[0]
                if current[1] != DossierStatus.DRAFT:
                    return redirect("dossiers:receipt", code=current[0])
                form.add_error(None, error.message)
            else:
                used[form.cleaned_data["idempotency_key"]] = dossier.pk
                request.session[SESSION_SUBMITTED] = used
                return redirect("dossiers:receipt", code=dossier.code)
    return render(
        request,
        "dossiers/submit_review.html",
        {
            "dossier": dossier,
            "form": form,
            "missing": missing,
            "documents": documents,
            "declaration": declaration,
            "declaration_rows": declaration_display(declaration, dossier.form_data)
            if declaration
            else [],
        },
        status=400 if form.errors else 200,
    )


@login_required
def declaration_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The declaration the portal filled from the structured fields (no print-sign-scan)."""
    dossier = _visible_by_pk(request.user, pk)
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
    return _pdf_response(content, f"to-khai-{dossier.code or dossier.pk}")


def _visible_by_pk(user: User, pk: int) -> Dossier:
    dossier = (
        selectors.dossier_list_for_user(user=user)
        .select_related("desk__unit")
        .filter(pk=pk)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


def _visible(user: User, code: str) -> Dossier:
    dossier = selectors.dossier_get_for_user(user=user, code=code)
    if dossier is None:
        raise Http404
    return dossier


@login_required
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """After submitting: the dossier code, each file received with its size, the receipt PDF."""
    dossier = _visible(request.user, code)
    documents = list(dossier.documents.select_related("required_document"))
    lookup_url = _lookup_url(request, dossier.code)
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
def form_pdf(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Mẫu 01..05 of one dossier as PDF, filled from the dossier and its events."""
    dossier = _visible(request.user, code)
    bundle = dossier_for_forms(dossier.pk)
    if number not in {n for n, _label in _available_forms(dossier, bundle.events)}:
        raise Http404
    if number == 1:
        return _pdf_response(
            pdf.render_receipt(bundle, lookup_url=_lookup_url(request, dossier.code)),
            f"mau-01-giay-tiep-nhan-{dossier.code}",
        )
    name, renderer = FORM_RENDERERS[number]
    return _pdf_response(renderer(bundle), f"{name}-{dossier.code}")


# --- My dossiers --------------------------------------------------------------------------------


@login_required
def my_list(request: HttpRequest) -> HttpResponse:
    dossiers = (
        Dossier.objects.filter(applicant=request.user)
        .select_related("procedure", "desk")
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(dossiers, 20).get_page(request.GET.get("page"))
    return render(request, "dossiers/my_list.html", {"page_obj": page, "now": timezone.now()})


def _detail_context(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    documents = list(
        dossier.documents.select_related("required_document").order_by("uploaded_at", "pk")
    )
    declaration = declaration_for(dossier.procedure.code)
    return {
        "dossier": dossier,
        "documents": documents,
        "events": list(selectors.dossier_timeline(dossier=dossier)),
        "declaration": declaration,
        "declaration_rows": declaration_display(declaration, dossier.form_data)
        if declaration
        else [],
        "lookup_url": _lookup_url(request, dossier.code) if dossier.code else "",
        "now": timezone.now(),
    }


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
    context = _detail_context(request, dossier)
    context["actions"] = _action_forms(dossier, allowed, bound or {})
    context["forms_available"] = [
        (number, label)
        for number, label in _available_forms(dossier, context["events"])
        if number != 5
    ]
    return render(request, "dossiers/my_detail.html", context, status=status)


@login_required
@require_POST
def my_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _my_dossier(request, code)
    return _perform(
        request,
        dossier,
        action,
        back=lambda: redirect("dossiers:my_detail", code=dossier.code),
        again=lambda bound: my_detail(request, code, bound=bound, status=400),
    )


# --- Actions (shared by the citizen's and the clerk's pages) ------------------------------------


def _document_choices(dossier: Dossier) -> list[str]:
    return list(
        RequiredDocument.objects.filter(procedure_id=dossier.procedure_id)
        .order_by("position")
        .values_list("name", flat=True)
    )


def _action_forms(dossier: Dossier, allowed: list, bound: dict) -> list[dict[str, Any]]:
    choices = (
        _document_choices(dossier)
        if any(f.kind == "items" for s in allowed for f in s.fields)
        else []
    )
    forms_ = []
    for spec in allowed:
        form = bound.get(spec.name) or action_form_class(spec, document_choices=choices)(
            prefix=spec.name
        )
        forms_.append({"spec": spec, "form": form, "has_items": "item_document_0" in form.fields})
    return forms_


def _payload(spec, cleaned: dict) -> dict[str, Any]:
    """The engine's input from a valid action form (ids for objects, items as dicts)."""
    payload: dict[str, Any] = {}
    if spec.name in OPTIONAL_ITEMS_ACTIONS and cleaned.get("items"):
        # The refusal service takes one text: the general reason, then one line per document.
        lines = [f"- {item['document']}: {item['reason']}" for item in cleaned["items"]]
        cleaned = {**cleaned, "reason": "\n".join([cleaned.get("reason", ""), *lines]).strip()}
    for item in spec.fields:
        if item.kind == "items":
            payload["items"] = cleaned.get("items", [])
        elif item.kind == "id":
            value = cleaned.get(item.name)
            payload[item.name] = value.pk if value is not None else None
        else:
            value = cleaned.get(item.name)
            if value not in (None, "", []):
                payload[item.name] = value
    return payload


def _perform(
    request: HttpRequest,
    dossier: Dossier,
    action: str,
    *,
    back: Callable[[], HttpResponse],
    again: Callable[[dict], HttpResponse],
) -> HttpResponse:
    """Validate the action's form, run it through the engine, and say what happened."""
    allowed = {
        s.name: s for s in selectors.dossier_allowed_actions(dossier=dossier, user=request.user)
    }
    spec = allowed.get(action)
    if spec is None:
        messages.error(
            request, _("Thao tác này không còn thực hiện được với hồ sơ ở trạng thái hiện tại.")
        )
        return back()
    form = action_form_class(spec, document_choices=_document_choices(dossier))(
        request.POST, request.FILES, prefix=spec.name
    )
    if form.is_valid():
        try:
            dossier_perform_action(
                dossier_id=dossier.pk,
                actor=request.user,
                action=action,
                payload=_payload(spec, form.cleaned_data),
                now=timezone.now(),
            )
        except DossierValidationError as error:
            target = error.field if error.field in form.fields else None
            if error.field == "items":
                target = "item_document_0"
            form.add_error(target, error.message)
        except DossierError as error:
            messages.error(request, error.message)
            return back()
        else:
            messages.success(request, _("Đã thực hiện: %(action)s.") % {"action": spec.label})
            return back()
    return again({action: form})


# --- Public lookup ------------------------------------------------------------------------------


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


# --- Clerk desk ---------------------------------------------------------------------------------


def _desk_only(view: Callable) -> Callable:
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _is_desk_staff(request.user):
            return _refusal(request, _("Trang này dành cho cán bộ bộ phận một cửa."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@_desk_only
def desk_queue(request: HttpRequest) -> HttpResponse:
    """The desk's work queue: tabs with counts, search by code, name or CCCD."""
    now = timezone.now()
    search = QueueSearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    tab = request.GET.get("tab") or "online"
    if tab not in TAB_LABELS:
        tab = "online"
    dossiers = desk_queue_list(user=request.user, tab=tab, now=now, search=q)
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "dossiers/desk_queue.html",
        {
            "tabs": desk_queue_tabs(user=request.user, now=now),
            "tab": tab,
            "search": search,
            "q": q,
            "page_obj": page,
            "now": now,
            "desk": request.user.desk,
        },
    )


def _desk_dossier(request: HttpRequest, code: str) -> Dossier:
    dossier = (
        selectors.dossier_list_for_user(user=request.user)
        .select_related("procedure", "desk__unit", "current_desk", "handling_agency", "applicant")
        .prefetch_related(Prefetch("legs"))
        .filter(code=code)
        .first()
    )
    if dossier is None:
        raise Http404
    return dossier


@_desk_only
def desk_detail(
    request: HttpRequest, code: str, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    """A dossier at the desk: files inline, timeline, and only the actions allowed now."""
    dossier = _desk_dossier(request, code)
    allowed = selectors.dossier_allowed_actions(dossier=dossier, user=request.user)
    context = _detail_context(request, dossier)
    context["actions"] = _action_forms(dossier, allowed, bound or {})
    context["legs"] = list(
        dossier.legs.select_related("from_desk", "from_agency", "to_desk", "to_agency")
    )
    context["document_choices"] = _document_choices(dossier)
    context["forms_available"] = _available_forms(dossier, context["events"])
    return render(request, "dossiers/desk_detail.html", context, status=status)


def _available_forms(dossier: Dossier, events: list) -> list[tuple[int, str]]:
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


@_desk_only
@require_POST
def desk_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _desk_dossier(request, code)
    return _perform(
        request,
        dossier,
        action,
        back=lambda: redirect("dossiers:desk_detail", code=dossier.code),
        again=lambda bound: desk_detail(request, code, bound=bound, status=400),
    )


@_desk_only
def walk_in_choose(request: HttpRequest) -> HttpResponse:
    """Walk-in intake, step 1: the procedure (those the clerk's desk receives)."""
    desk = request.user.desk
    queryset = (
        Procedure.objects.filter(is_published=True, is_active=True)
        .exclude(processing_time_unit="")
        .order_by("name")
    )
    if desk.unit.level:
        queryset = queryset.filter(level=desk.unit.level)
    form = WalkInProcedureForm(request.GET or None, queryset=queryset)
    if request.GET and form.is_valid():
        return redirect("dossiers:walk_in", code=form.cleaned_data["procedure"].code)
    return render(request, "dossiers/walk_in_choose.html", {"form": form})


@_desk_only
def walk_in(request: HttpRequest, code: str) -> HttpResponse:
    """Walk-in intake, step 2: the applicant and the scanned documents; received at once."""
    procedure = get_object_or_404(Procedure, code=code, is_published=True)
    required = _required_documents(procedure)
    bound = request.method == "POST"
    applicant_form = ApplicantForm(request.POST if bound else None)
    channel_form = WalkInForm(request.POST if bound else None)
    slots = DocumentSlotsForm(
        request.POST if bound else None,
        request.FILES if bound else None,
        required_documents=required,
    )
    if bound and all([applicant_form.is_valid(), channel_form.is_valid(), slots.is_valid()]):
        try:
            dossier = dossier_receive_walk_in(
                clerk=request.user,
                procedure=procedure,
                applicant_fields={
                    k.removeprefix("applicant_"): v for k, v in applicant_form.cleaned_data.items()
                },
                documents=slots.uploaded(),
                channel=channel_form.cleaned_data["channel"],
                now=timezone.now(),
            )
        except DossierValidationError as error:
            slots.add_error(None, error.message)
        except DossierError as error:
            return _refusal(request, error.message)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. In giấy tiếp nhận (Mẫu 01) để giao cho người nộp.")
                % {"code": dossier.code},
            )
            return redirect("dossiers:desk_detail", code=dossier.code)
    return render(
        request,
        "dossiers/walk_in.html",
        {
            "procedure": procedure,
            "applicant_form": applicant_form,
            "channel_form": channel_form,
            "slots": slots,
            "slot_rows": [
                {"field": slots[slot_name(r)], "required": r, "files": []} for r in required
            ],
            "other_slot": slots["doc_other"],
        },
        status=400 if bound else 200,
    )


@_desk_only
def tracking_book(request: HttpRequest) -> HttpResponse:
    """Mẫu 06 for the clerk's desk and a period: printable page, PDF or XLSX."""
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    start, end = today.replace(day=1), today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    desk = request.user.desk
    tz = timezone.get_current_timezone()
    dossiers = list(
        desk_tracking_book(
            desk_id=desk.pk,
            start=datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
            end=datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            ),
        )
    )
    export = request.GET.get("dinh_dang")
    filename = f"so-theo-doi-ho-so-{start:%Y%m%d}-{end:%Y%m%d}"
    if export == "pdf" and form.is_valid():
        return _pdf_response(
            pdf.render_tracking_book(desk=desk, start=start, end=end, dossiers=dossiers), filename
        )
    if export == "xlsx" and form.is_valid():
        response = HttpResponse(
            pdf.render_tracking_book_xlsx(desk=desk, start=start, end=end, dossiers=dossiers),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    return render(
        request,
        "dossiers/tracking_book.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "desk": desk,
            "headings": TRACKING_BOOK_HEADINGS,
            "rows": [tracking_book_row(i, d) for i, d in enumerate(dossiers, start=1)],
            "query": request.GET.urlencode(),
        },
    )


@login_required
def document_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A dossier file, inline, for whoever may see the dossier (previews and the desk)."""
    document = get_object_or_404(DossierDocument.objects.select_related("dossier"), pk=pk)
    dossier = document.dossier
    visible = (
        dossier.applicant_id == request.user.pk
        or selectors.dossier_list_for_user(user=request.user).filter(pk=dossier.pk).exists()
    )
    if not visible:
        raise Http404
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        filename=document.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Dossier files (owner: dossier engine) ------------------------------------------------------


def dossier_document(request: HttpRequest, code: str, document_id: int) -> HttpResponse:
    """A dossier's file, as an attachment, only for users who may see the dossier (else 404)."""
    dossier = selectors.dossier_get_for_user(user=request.user, code=code)
    if dossier is None:
        raise Http404
    document = get_object_or_404(DossierDocument, pk=document_id, dossier=dossier)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"},
    )
