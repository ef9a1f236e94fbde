"""Feedback pages: send, sent (the code), lookup, the public answers, and the staff pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Role
from dossiers.forms import to_uploaded
from dossiers.services.errors import DossierValidationError
from feedback import selectors, services
from feedback.forms import AnswerForm, FeedbackForm, FiguresForm, LookupForm
from feedback.models import Feedback, FeedbackAttachment
from onestop.client_address import client_ip
from onestop.rate_limit import rate_within
from stats.views import stats_root

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
        .select_related("desk", "procedure", "dossier", "answered_by")
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
    return render(
        request,
        "feedback/staff_detail.html",
        {"feedback": feedback, "form": form, "can_answer": can_answer, "now": timezone.now()},
        status=status,
    )


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


@login_required
def staff_figures(request: HttpRequest) -> HttpResponse:
    """Leaders: feedback received and answered on time per desk of their units."""
    if request.user.role not in (Role.LEADER, Role.ADMIN) and not request.user.is_superuser:
        raise PermissionDenied(_("Chỉ lãnh đạo và quản trị hệ thống được xem số liệu thống kê."))
    root = stats_root(request.user)
    form = FiguresForm(request.GET or None)
    date_from, date_to = form.period(timezone.localdate())
    rows = selectors.feedback_figures_by_desk(
        root=root, date_from=date_from, date_to=date_to, now=timezone.now()
    )
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("received", "answered_on_time", "answered_late", "pending", "pending_overdue")
    }
    answered = totals["answered_on_time"] + totals["answered_late"]
    totals["on_time_rate"] = (
        round(100 * totals["answered_on_time"] / answered, 1) if answered else None
    )
    return render(
        request,
        "feedback/staff_figures.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "date_from": date_from,
            "date_to": date_to,
            "root": root,
        },
    )
