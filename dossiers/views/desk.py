"""The one-stop desk: queue, dossier at the desk, walk-in intake, tracking book."""

import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dossiers import pdf, selectors
from dossiers.desk_queue import (
    ORDERS,
    desk_queue_list,
    desk_queue_tabs,
    desk_tracking_book,
    tab_labels,
)
from dossiers.forms import (
    ApplicantForm,
    DocumentSlotsForm,
    PeriodForm,
    QueueSearchForm,
    WalkInForm,
    WalkInProcedureForm,
    slot_name,
)
from dossiers.hooks import lateness_provider
from dossiers.models import Dossier
from dossiers.pdf.context import TRACKING_BOOK_HEADINGS, tracking_book_row
from dossiers.services import (
    DossierError,
    DossierValidationError,
    dossier_receive_walk_in,
)
from dossiers.views.actions import (
    action_form_perform,
    action_forms,
    detail_context,
    document_choices,
)
from dossiers.views.common import (
    available_forms,
    is_desk_staff,
    pdf_response,
    refusal,
    required_documents_for,
)
from procedures.models import Procedure


def _desk_only(view: Callable) -> Callable:
    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_desk_staff(request.user):
            return refusal(request, _("Trang này dành cho cán bộ bộ phận một cửa."))
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
    if tab not in tab_labels():
        tab = "online"
    order = request.GET.get("sap_xep") if request.GET.get("sap_xep") in ORDERS else "due"
    dossiers = desk_queue_list(user=request.user, tab=tab, now=now, search=q, order=order)
    page = Paginator(dossiers, 25).get_page(request.GET.get("page"))
    provider = lateness_provider()
    lateness = provider.explain([d.pk for d in page.object_list]) if provider else {}
    for dossier in page.object_list:
        dossier.lateness = lateness.get(dossier.pk)
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
            "order": order,
            "show_risk": provider is not None,
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
    context = detail_context(request, dossier)
    context["actions"] = action_forms(dossier, allowed, bound or {})
    context["legs"] = list(
        dossier.legs.select_related("from_desk", "from_agency", "to_desk", "to_agency")
    )
    context["document_choices"] = document_choices(dossier)
    context["forms_available"] = available_forms(dossier, context["events"])
    provider = lateness_provider()
    context["lateness"] = provider.explain([dossier.pk]).get(dossier.pk) if provider else None
    return render(request, "dossiers/desk_detail.html", context, status=status)


@_desk_only
@require_POST
def desk_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = _desk_dossier(request, code)
    return action_form_perform(
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
    required = required_documents_for(procedure)
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
            return refusal(request, error.message)
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
        return pdf_response(
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
            "headings": [_(heading) for heading in TRACKING_BOOK_HEADINGS],
            "rows": [tracking_book_row(i, d) for i, d in enumerate(dossiers, start=1)],
            "query": request.GET.urlencode(),
        },
    )
