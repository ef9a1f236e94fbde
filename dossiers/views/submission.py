"""Online submission: choosing a procedure, the draft step form, review and submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.declarations import (
    declaration_display,
    declaration_for,
)
from dossiers.forms import (
    ApplicantForm,
    DeskChoiceForm,
    DocumentSlotsForm,
    SubmitForm,
    declaration_data,
    declaration_form_class,
    declaration_initial,
    declaration_stored_initial,
    slot_name,
)
from dossiers.models import Dossier, DossierStatus
from dossiers.services import (
    DossierError,
    DossierNotFound,
    DossierValidationError,
    dossier_draft_remove_document,
    dossier_save_draft,
    dossier_submit_draft,
)
from dossiers.views.common import (
    document_notes,
    eligible_desks,
    is_applicant,
    missing_documents,
    refusal,
    upload_documents,
)
from onestop.models import Desk
from procedures.models import OnlineLevel, Procedure

SESSION_SUBMITTED = "dossiers_submitted_keys"


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
    if not is_applicant(request.user):
        return refusal(request, _("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến."))
    if procedure.online_level == OnlineLevel.NONE:
        return refusal(
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
    required, covered = upload_documents(procedure, declaration)
    desks = eligible_desks(procedure)
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
                return refusal(request, error.message)
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
            "documents": documents,
            "covered": covered,
            "missing": [r for r in required if r.is_required and r.pk not in filled],
            "notes": document_notes(procedure),
        },
        status=status,
    )


@login_required
@require_POST
def draft_remove_document(request: HttpRequest, pk: int, document_id: int) -> HttpResponse:
    """'Xóa tệp' on the draft page: only the draft's applicant, only while it is a draft."""
    try:
        dossier_draft_remove_document(
            dossier_id=pk, actor=request.user, document_id=document_id, now=timezone.now()
        )
    except DossierNotFound as error:
        raise Http404 from error
    except DossierError as error:
        messages.error(request, error.message)
        return redirect("dossiers:my_list")
    messages.success(request, _("Đã xóa tệp khỏi bản nháp."))
    return redirect("dossiers:draft_edit", pk=pk)


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
    required, _covered = upload_documents(dossier.procedure, declaration)
    missing = missing_documents(dossier, required)
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
