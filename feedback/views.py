"""Feedback pages: send, sent (the code), lookup, the public answers, and the staff pages."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role, User
from dossiers.forms import to_uploaded
from dossiers.services.errors import DossierValidationError
from feedback import selectors, services
from feedback.forms import AnswerForm, FeedbackForm, FiguresForm, LookupForm, RouteForm
from feedback.models import Feedback, FeedbackAttachment
from onestop.cells import safe_row
from onestop.client_address import client_ip
from onestop.models import AdministrativeUnit
from onestop.rate_limit import rate_within
from stats.views import csv_cell, stats_root

SENT_SESSION_KEY = "feedback_sent_code"
LOOKUP_LIMIT = 10
LOOKUP_WINDOW_SECONDS = 60
SUBMIT_LIMIT = 10
SUBMIT_WINDOW_SECONDS = 3600


def _initial(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "sender_name": user.full_name,
        "sender_phone": user.phone or "",
        "sender_email": user.email,
        "organisation": user.organisation,
    }


@require_http_methods(["GET", "POST"])
def feedback_send(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None, request.FILES or None, initial=_initial(request))
    status = 200
    if request.method == "POST":
        if not rate_within(
            f"feedback:submit:{client_ip(request)}",
            limit=SUBMIT_LIMIT,
            window=SUBMIT_WINDOW_SECONDS,
        ):
            form.add_error(None, _("Ông/bà đã gửi quá nhiều phản ánh. Vui lòng thử lại sau."))
            return render(request, "feedback/send.html", {"form": form}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                feedback = services.feedback_submit(
                    kind=data["kind"],
                    subject=data["subject"],
                    desk_id=data["desk"].pk if data["desk"] else None,
                    procedure_code=data["procedure_code"],
                    dossier_code=data["dossier_code"],
                    dossier_verifier=data["dossier_verifier"],
                    sender=request.user if request.user.is_authenticated else None,
                    sender_name=data["sender_name"],
                    sender_phone=data["sender_phone"],
                    sender_email=data["sender_email"],
                    organisation=data["organisation"],
                    title=data["title"],
                    content=data["content"],
                    is_public=data["is_public"],
                    files=to_uploaded(data["files"]),
                    now=timezone.now(),
                )
            except services.FeedbackError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            except DossierValidationError as error:
                form.add_error("files", error.message)
            else:
                request.session[SENT_SESSION_KEY] = feedback.code
                return redirect("feedback:sent")
        status = 400
    return render(request, "feedback/send.html", {"form": form}, status=status)


def feedback_sent(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SENT_SESSION_KEY)
    if not code:
        return redirect("feedback:send")
    feedback = Feedback.objects.select_related("desk").get(code=code)
    return render(request, "feedback/sent.html", {"feedback": feedback})


def feedback_lookup(request: HttpRequest) -> HttpResponse:
    """A feedback's progress and answer by code + last 4 digits of the sender's phone."""
    searched = "code" in request.GET and "verifier" in request.GET
    form = LookupForm(request.GET if searched else None)
    context = {"form": form}
    status = 200
    if searched:
        if not rate_within(
            f"feedback:lookup:{client_ip(request)}",
            limit=LOOKUP_LIMIT,
            window=LOOKUP_WINDOW_SECONDS,
        ):
            return render(request, "feedback/lookup.html", {**context, "limited": True}, 429)
        if form.is_valid():
            found, blocked = selectors.feedback_lookup_limited(
                code=form.cleaned_data["code"], verifier=form.cleaned_data["verifier"]
            )
            if blocked:
                context["code_blocked"] = selectors.LOOKUP_CODE_BLOCKED
                return render(request, "feedback/lookup.html", context, status=429)
            context.update(result=found, searched=True)
            status = 200 if found else 404
        else:
            status = 400
    return render(request, "feedback/lookup.html", context, status=status)


def feedback_public(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.feedback_public_list(), 20).get_page(request.GET.get("page"))
    return render(request, "feedback/public_list.html", {"page": page})


@login_required
def feedback_mine(request: HttpRequest) -> HttpResponse:
    """What the signed-in person sent while signed in, with the answers."""
    page = Paginator(selectors.feedback_sender_list(user=request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "feedback/my_list.html", {"page": page, "now": timezone.now()})


def _staff_or_403(request: HttpRequest) -> None:
    if selectors.feedback_staff_scope_q(user=request.user) is None:
        raise PermissionDenied(_("Trang này dành cho cán bộ và lãnh đạo."))


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _staff_or_403(request)
    status = request.GET.get("status", "")
    items = selectors.feedback_staff_list(user=request.user, status=status)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/staff_list.html",
        {"page": page, "status": status, "now": timezone.now()},
    )


def _staff_feedback(request: HttpRequest, pk: int) -> Feedback:
    _staff_or_403(request)
    scope = selectors.feedback_staff_scope_q(user=request.user)
    return get_object_or_404(
        Feedback.objects.filter(scope)
        .select_related("desk", "agency", "procedure", "dossier", "answered_by")
        .prefetch_related(Prefetch("attachments", FeedbackAttachment.objects.order_by("pk"))),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _staff_feedback(request, pk)
    can_answer = services.feedback_can_answer(user=request.user, feedback=feedback)
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied(_("Chỉ cán bộ của bộ phận được giao mới trả lời phản ánh này."))
        if form.is_valid():
            try:
                services.feedback_answer(
                    feedback_id=feedback.pk,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                    publish=form.cleaned_data["publish"],
                    now=timezone.now(),
                )
            except services.FeedbackError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("Đã gửi trả lời."))
                return redirect("feedback_staff:detail", pk=feedback.pk)
        status = 400
    can_route = services.feedback_can_route(user=request.user, feedback=feedback)
    return render(
        request,
        "feedback/staff_detail.html",
        {
            "feedback": feedback,
            "form": form,
            "can_answer": can_answer,
            "route_form": RouteForm(initial={"agency": feedback.agency_id}) if can_route else None,
            "now": timezone.now(),
        },
        status=status,
    )


@login_required
@require_POST
def staff_route(request: HttpRequest, pk: int) -> HttpResponse:
    """The desk's clerks give the feedback to another agency (or back to the desk)."""
    feedback = _staff_feedback(request, pk)
    if not services.feedback_can_route(user=request.user, feedback=feedback):
        raise PermissionDenied(
            _("Chỉ cán bộ một cửa của bộ phận tiếp nhận mới chuyển phản ánh chưa trả lời.")
        )
    form = RouteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Không tìm thấy cơ quan xử lý."))
        return redirect("feedback_staff:detail", pk=feedback.pk)
    agency = form.cleaned_data["agency"]
    services.feedback_route(
        feedback_id=feedback.pk,
        actor=request.user,
        agency_id=agency.pk if agency else None,
        now=timezone.now(),
    )
    messages.success(
        request,
        _("Đã chuyển cho %(agency)s.") % {"agency": agency.name}
        if agency
        else _("Bộ phận một cửa tự trả lời phản ánh này."),
    )
    return redirect("feedback_staff:detail", pk=feedback.pk)


@login_required
@require_POST
def staff_publish(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = _staff_feedback(request, pk)
    try:
        services.feedback_set_published(
            feedback_id=feedback.pk,
            actor=request.user,
            publish=request.POST.get("publish") == "1",
            now=timezone.now(),
        )
    except services.FeedbackError as error:
        messages.error(request, error.message)
    return redirect("feedback_staff:detail", pk=feedback.pk)


@login_required
def staff_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    feedback = _staff_feedback(request, pk)
    attachment = get_object_or_404(feedback.attachments, pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


FIGURE_COLUMNS = (
    "received",
    "answered_on_time",
    "answered_late",
    "pending",
    "pending_overdue",
)


def _figures_context(request: HttpRequest) -> dict:
    """Leaders (their unit and below, as on the statistics dashboard) and administrators."""
    if request.user.role not in (Role.LEADER, Role.ADMIN) and not request.user.is_superuser:
        raise PermissionDenied(_("Chỉ lãnh đạo và quản trị hệ thống được xem số liệu thống kê."))
    root = stats_root(request.user)
    form = FiguresForm(request.GET or None)
    date_from, date_to = form.period(timezone.localdate())
    rows = selectors.feedback_figures_by_agency(
        root=root, date_from=date_from, date_to=date_to, now=timezone.now()
    )
    totals = {name: sum(getattr(row, name) for row in rows) for name in FIGURE_COLUMNS}
    answered = totals["answered_on_time"] + totals["answered_late"]
    totals["on_time_rate"] = (
        round(100 * totals["answered_on_time"] / answered, 1) if answered else None
    )
    return {
        "form": form,
        "rows": rows,
        "totals": totals,
        "date_from": date_from,
        "date_to": date_to,
        "root": root,
        "query": request.GET.urlencode(),
    }


@login_required
def staff_figures(request: HttpRequest) -> HttpResponse:
    """Leaders: feedback received and answered on time per answering agency of their units."""
    return render(request, "feedback/staff_figures.html", _figures_context(request))


def _figures_table(context: dict) -> list[list]:
    header = [
        _("Cơ quan trả lời"),
        _("Đơn vị"),
        _("Tiếp nhận"),
        _("Trả lời đúng hạn"),
        _("Trả lời quá hạn"),
        _("Đang xử lý"),
        _("Trong đó quá hạn"),
        _("Tỉ lệ đúng hạn (%)"),
    ]
    table = [header]
    for row in context["rows"]:
        table.append(
            [row.name, row.unit_name]
            + [getattr(row, name) for name in FIGURE_COLUMNS]
            + [row.on_time_rate]
        )
    totals = context["totals"]
    table.append(
        [_("Tổng cộng"), ""] + [totals[name] for name in FIGURE_COLUMNS] + [totals["on_time_rate"]]
    )
    return [safe_row(values) for values in table]


@login_required
def staff_figures_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The same figures as XLSX or CSV (cells that could run as formulas kept as text)."""
    if fmt not in ("xlsx", "csv"):
        raise Http404
    context = _figures_context(request)
    table = _figures_table(context)
    name = f"phan-anh_{context['date_from']:%Y-%m-%d}_{context['date_to']:%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV with diacritics only with a BOM.
        # The same separator and decimal comma as the statistics export (Vietnamese Excel).
        csv.writer(buffer, delimiter=";").writerows(
            [csv_cell(value) for value in values] for values in table
        )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook  # ~30 MB: loaded by the workers that export, not all

        book = Workbook()
        sheet = book.active
        sheet.title = _("Phản ánh theo cơ quan")[:31]
        for values in table:
            sheet.append(values)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def dashboard_links(
    *, user: User, root: AdministrativeUnit | None, date_from: dt.date, date_to: dt.date
) -> list[dict]:
    """The leaders' dashboard (stats.hooks): answered on time over answered, per agency on the
    linked page, for the dashboard's period and scope."""
    on_time, answered = selectors.feedback_answer_totals(
        root=root, date_from=date_from, date_to=date_to
    )
    rate = f"{100 * on_time / answered:.1f}%".replace(".", ",") if answered else "—"
    query = urlencode({"date_from": f"{date_from:%d/%m/%Y}", "date_to": f"{date_to:%d/%m/%Y}"})
    return [
        {
            "title": _("Trả lời phản ánh, kiến nghị đúng hạn (theo cơ quan)"),
            "formula": _(
                "Số phản ánh, kiến nghị tiếp nhận trong kỳ được trả lời đúng hạn / Tổng số đã "
                "trả lời"
            ),
            "value": f"{on_time}/{answered} = {rate}",
            "url": f"{reverse('feedback_staff:figures')}?{query}",
        }
    ]
