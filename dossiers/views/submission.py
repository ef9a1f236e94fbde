"""Online submission: choosing a procedure, the draft step form, review and submit."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers.declarations import (
    RELATION_COPIED,
    RELATION_PERSON,
    declaration_display,
    declaration_fill_relation,
    declaration_for,
)
from dossiers.forms import (
    ApplicantForm,
    DeskChoiceForm,
    DocumentSlotsForm,
    SubmitForm,
    check_files,
    declaration_data,
    declaration_form_class,
    declaration_initial,
    declaration_stored_initial,
    slot_name,
    to_uploaded,
)
from dossiers.models import Dossier, DossierStatus
from dossiers.services import (
    DossierError,
    DossierNotFound,
    DossierValidationError,
    dossier_draft_attach,
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
    shown_documents,
    upload_documents,
)
from onestop.selectors import desk_default_for
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
    """Step 1: applicant, declaration and files. Saving keeps a server-side draft.

    Files picked with scripts on are already in the draft (`draft_attach`); without scripts they
    come with this POST and are stored even when another field has an error, so nothing picked
    is ever lost. The desk may be left for later: only the review step needs it.
    """
    declaration = declaration_for(procedure.code)
    required, covered = upload_documents(procedure, declaration)
    desks = eligible_desks(procedure)
    documents = list(draft.documents.all()) if draft else []
    if draft:
        applicant_initial = {
            f"applicant_{k}": getattr(draft, f"applicant_{k}")
            for k in ("name", "cccd", "phone", "email", "address", "organisation")
        }
        if not draft.form_data:  # a draft created by an early file pick: fill from the profile
            applicant_initial = ApplicantForm.initial_for(request.user)
        declaration_values = (
            declaration_stored_initial(declaration, draft.form_data)
            if declaration and draft.form_data
            else declaration_initial(declaration, applicant_initial)
            if declaration
            else {}
        )
    else:
        applicant_initial = ApplicantForm.initial_for(request.user)
        declaration_values = (
            declaration_initial(declaration, applicant_initial) if declaration else {}
        )
    default_desk = desk_default_for(
        desks=desks, residence=request.user.residence, level=procedure.level or None
    )
    bound = request.method == "POST"
    reviewing = bound and request.POST.get("step") == "review"
    data = request.POST if bound else None
    applicant_form = ApplicantForm(data, initial=applicant_initial)
    desk_form = DeskChoiceForm(
        data,
        queryset=desks,
        initial={"desk": draft.desk_id if draft and draft.desk_id else default_desk},
    )
    declaration_form = (
        declaration_form_class(declaration)(data, initial=declaration_values, prefix="tk")
        if declaration
        else None
    )
    slots = DocumentSlotsForm(data, request.FILES if bound else None, required_documents=required)
    if bound and not reviewing:
        # A draft may be incomplete: only malformed values and bad files stop it.
        for form in (applicant_form, declaration_form):
            for field in form.fields.values() if form is not None else ():
                field.required = False
    if bound:
        forms_ok = [applicant_form.is_valid(), desk_form.is_valid(), slots.is_valid()]
        if declaration_form is not None:
            forms_ok.append(declaration_form.is_valid())
        desk = desk_form.cleaned_data.get("desk") if desk_form.is_valid() else None
        if reviewing and desk_form.is_valid() and desk is None:
            desk_form.add_error("desk", _("Chọn nơi tiếp nhận hồ sơ (bộ phận một cửa)."))
            forms_ok.append(False)
        applicant_fields = {
            key.removeprefix("applicant_"): value
            for key, value in (applicant_form.cleaned_data or {}).items()
        }
        for key in ("name", "cccd", "phone", "email", "address", "organisation"):
            applicant_fields.setdefault(key, request.POST.get(f"applicant_{key}", ""))
        form_data = dict(draft.form_data) if draft else {}
        if declaration_form is not None:
            cleaned = declaration_form.cleaned_data or {}
            for name, value in cleaned.items():  # emptied fields leave the draft
                if value in (None, ""):
                    form_data.pop(name, None)
            form_data.update(declaration_data(cleaned))
            form_data = declaration_fill_relation(form_data)
        try:
            draft = dossier_save_draft(
                applicant=request.user,
                procedure=procedure,
                desk=desk,
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
        if draft is not None:
            documents = list(draft.documents.all())
        if all(forms_ok) and draft is not None:
            if reviewing:
                missing = missing_documents(draft, required)
                if missing:
                    for r in missing:
                        slots.add_error(slot_name(r), _("Chưa có tệp cho giấy tờ bắt buộc này."))
                else:
                    return redirect("dossiers:draft_review", pk=draft.pk)
            else:
                messages.success(
                    request,
                    _(
                        "Đã lưu bản nháp. Bạn có thể tiếp tục bất cứ lúc nào từ mục "
                        "“Hồ sơ của tôi”."
                    ),
                )
                return redirect("dossiers:draft_edit", pk=draft.pk)
    slot_rows = [
        {
            "field": slots[slot_name(r)],
            "required": r,
            "files": [d for d in documents if d.required_document_id == r.pk],
        }
        for r in required
    ]
    other_files = [d for d in documents if d.required_document_id is None]
    filled = {d.required_document_id for d in documents}
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
            "relation_fill": relation_fill_spec(declaration) if declaration else None,
            "error_summary": error_summary(
                [applicant_form, desk_form, declaration_form, slots],
                sections={
                    f.name: str(section.title)
                    for section in declaration.sections
                    for f in section.fields
                }
                if declaration
                else {},
            )
            if bound
            else [],
            "slots": slots,
            "slot_rows": slot_rows,
            "other_slot": slots["doc_other"],
            "other_files": other_files,
            "documents": documents,
            "covered": covered,
            "missing": [r for r in required if r.is_required and r.pk not in filled],
            "notes": document_notes(procedure),
            "shown": shown_documents(procedure),
        },
        status=status,
    )


def error_summary(forms: list, *, sections: dict[str, str]) -> list[dict[str, str]]:
    """Every field in error, in page order, as {label, message, id} for the summary's links;
    a declaration field is named with its section ("Mẹ: Họ, chữ đệm và tên")."""
    rows = []
    for form in forms:
        if form is None:
            continue
        for message in form.non_field_errors():
            rows.append({"label": "", "message": message, "id": ""})
        for bound_field in form:
            for message in bound_field.errors:
                section = sections.get(bound_field.name, "")
                label = str(bound_field.label)
                rows.append(
                    {
                        "label": f"{section} — {label}" if section else label,
                        "message": message,
                        "id": bound_field.id_for_label or bound_field.auto_id,
                    }
                )
    return rows


def relation_fill_spec(declaration) -> str:
    """JSON for the page script: which block the relation select fills, from which fields."""
    names = {f.name for f in declaration.fields}
    if "requester_relation" not in names:
        return ""
    spec = {
        relation: {
            f"tk-{person}_{suffix}": f"tk-requester_{suffix}"
            for suffix in RELATION_COPIED
            if f"{person}_{suffix}" in names
        }
        for relation, person in RELATION_PERSON.items()
    }
    return json.dumps(spec)


@login_required
@require_POST
def draft_attach(request: HttpRequest, code: str) -> HttpResponse:
    """A file picked on the draft page, stored in the draft at once (the page's script posts it).

    Answers JSON: the rendered file row and its remove form, or a 400 with the message in the
    user's language. The draft is created when the applicant picks a file first.
    """
    procedure = get_object_or_404(Procedure, code=code, is_published=True)
    declaration = declaration_for(procedure.code)
    required, _covered = upload_documents(procedure, declaration)
    slot = request.POST.get("slot", "")
    required_document = next((r for r in required if slot_name(r) == slot), None)
    if required_document is None and slot != "doc_other":
        return JsonResponse({"error": _("Ô tải lên không thuộc thủ tục này.")}, status=400)
    files = request.FILES.getlist("file")
    if len(files) != 1:
        return JsonResponse({"error": _("Vui lòng chọn tệp.")}, status=400)
    try:
        check_files(files)
        draft, ids = dossier_draft_attach(
            applicant=request.user,
            procedure=procedure,
            documents=to_uploaded(
                files,
                required_document_id=required_document.pk if required_document else None,
            ),
            applicant_fields={
                k.removeprefix("applicant_"): v
                for k, v in ApplicantForm.initial_for(request.user).items()
            },
            now=timezone.now(),
        )
    except forms.ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    except DossierError as error:
        return JsonResponse({"error": error.message}, status=400)
    document = draft.documents.get(pk=ids[0])
    return JsonResponse(
        {
            "draft": draft.pk,
            "draft_url": reverse("dossiers:draft_edit", args=[draft.pk]),
            "html": render_to_string(
                "dossiers/includes/file_item.html",
                {"document": document, "removable": True},
                request=request,
            ),
            "remove_form": render_to_string(
                "dossiers/includes/file_remove_forms.html",
                {"draft": draft, "documents": [document]},
                request=request,
            ),
        },
        status=201,
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
                % {"names": "; ".join(r.label for r in missing)},
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
