"""Pages of the desk floor: queue kiosk, printed ticket, counter, display board, procedure lookup
kiosk, counter rating panel and the desk's queue figures (the dossier progress kiosk belongs to
the dossiers app, which reuses the kiosk layout and rate limit from here)."""

import secrets

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from rest_framework.exceptions import ValidationError

from onestop import selectors, services
from onestop.api.queue import parse_day
from onestop.client_address import client_ip
from onestop.models import Counter, Desk
from onestop.rate_limit import rate_within
from procedures.models import Procedure
from procedures.selectors import CatalogFilters, procedure_get, procedure_list

PAPER_SIZES = ("80", "58")
KIOSK_RESULTS = 20
KIOSK_LOOKUP_LIMIT = 10
# A kiosk at a busy centre issues a few tickets a minute; a script would issue hundreds.
KIOSK_TICKET_LIMIT = 30
RATE_WINDOW_SECONDS = 60
# On-screen keyboard: plain letters and digits; the catalog search ignores diacritics.
KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm.-"]


def desk_or_404(desk_id: int) -> Desk:
    desk = selectors.desk_get_active(desk_id=desk_id)
    if desk is None:
        raise Http404(_("Không tìm thấy bộ phận một cửa."))
    return desk


def _paper(request: HttpRequest) -> str:
    paper = request.POST.get("paper") or request.GET.get("paper", "")
    return paper if paper in PAPER_SIZES else PAPER_SIZES[0]


def kiosk_ticket(request: HttpRequest, desk_id: int) -> HttpResponse:
    """Queue-number kiosk: pick a service group, optionally type a CCCD, get a ticket."""
    desk = desk_or_404(desk_id)
    error = ""
    status = 200
    if request.method == "POST" and not within_rate(
        request, scope="kiosk-ticket", limit=KIOSK_TICKET_LIMIT
    ):
        error = _("Máy lấy số đang quá tải. Vui lòng chờ một phút rồi thử lại.")
        status = 429
    elif request.method == "POST":
        group_id = request.POST.get("group", "")
        try:
            if not group_id.isdigit():
                raise services.QueueInvalid(_("Vui lòng chọn nhóm dịch vụ."))
            ticket = services.ticket_issue(
                desk_id=desk.pk,
                group_id=int(group_id),
                cccd=request.POST.get("cccd", ""),
                now=timezone.now(),
            )
        except services.QueueError as exc:
            error, status = exc.message, 400
        else:
            url = reverse("onestop:queue-ticket", args=[desk.pk, ticket.pk])
            # The rating code travels only to the kiosk that issued the ticket, in its URL.
            return redirect(f"{url}?paper={_paper(request)}&print=1&ma={ticket.rating_secret}")
    groups = selectors.service_group_list(desk_id=desk.pk, day=timezone.localdate())
    return render(
        request,
        "onestop/queue/kiosk_ticket.html",
        {
            "desk": desk,
            "groups": groups,
            "error": error,
            "paper": _paper(request),
            "cccd": request.POST.get("cccd", ""),
        },
        status=status,
    )


def ticket_print(request: HttpRequest, desk_id: int, ticket_id: int) -> HttpResponse:
    """The printable ticket, laid out for 58 mm or 80 mm thermal paper (?paper=58|80)."""
    desk = desk_or_404(desk_id)
    ticket = selectors.ticket_get(ticket_id=ticket_id)
    if ticket is None or ticket.desk_id != desk.pk:
        raise Http404(_("Không tìm thấy số thứ tự."))
    # Ticket ids are sequential: the rating code is shown only to who already holds it.
    given = request.GET.get("ma", "")
    rating_secret = (
        ticket.rating_secret
        if given and secrets.compare_digest(given.encode(), ticket.rating_secret.encode())
        else ""
    )
    return render(
        request,
        "onestop/queue/ticket_print.html",
        {
            "desk": desk,
            "ticket": ticket,
            "rating_secret": rating_secret,
            "rating_qr": segno.make(f"{ticket.pk}:{rating_secret}", error="m").svg_data_uri(
                scale=3, border=1
            )
            if rating_secret
            else "",
            "ahead": selectors.ticket_ahead_count(ticket=ticket),
            "paper": _paper(request),
            "auto_print": request.GET.get("print") == "1",
            "kiosk_url": reverse("onestop:queue-kiosk", args=[desk.pk]),
        },
    )


def board(request: HttpRequest, desk_id: int) -> HttpResponse:
    """Full-screen display board; board.js polls the board API every second."""
    desk = desk_or_404(desk_id)
    state = selectors.board_state(desk=desk, now=timezone.now())
    return render(request, "onestop/queue/board.html", {"desk": desk, "state": state})


def _operable_counter(request: HttpRequest, counter_id: int) -> Counter:
    counter = selectors.counter_get(counter_id=counter_id)
    if counter is None:
        raise Http404(_("Không tìm thấy quầy."))
    if not selectors.counter_operable_by(user=request.user, counter=counter):
        raise PermissionDenied(_("Chỉ cán bộ của bộ phận một cửa này được thao tác tại quầy."))
    return counter


@login_required
def counter_page(request: HttpRequest, counter_id: int) -> HttpResponse:
    """The clerk's counter: call next, recall, served, no-show, link the dossier."""
    counter = _operable_counter(request, counter_id)
    state = selectors.counter_state(counter=counter, now=timezone.now())
    return render(request, "onestop/queue/counter.html", {"counter": counter, **state})


COUNTER_ACTIONS = {
    "call-next": lambda counter, user, now: services.ticket_call_next(
        counter_id=counter.pk, actor=user, now=now
    ),
    "recall": lambda counter, user, now: services.ticket_recall(counter_id=counter.pk, now=now),
    "serve": lambda counter, user, now: services.ticket_serve(counter_id=counter.pk, now=now),
    "no-show": lambda counter, user, now: services.ticket_no_show(counter_id=counter.pk, now=now),
}
COUNTER_MESSAGES = {
    "call-next": gettext_lazy("Đã gọi số %(code)s."),
    "recall": gettext_lazy("Đã gọi lại số %(code)s."),
    "serve": gettext_lazy(
        "Số %(code)s đã phục vụ xong. Mời công dân bấm đánh giá trên bảng đánh giá của quầy."
    ),
    "no-show": gettext_lazy("Đã ghi số %(code)s vắng mặt."),
}


@login_required
@require_POST
def counter_action(request: HttpRequest, counter_id: int, action: str) -> HttpResponse:
    counter = _operable_counter(request, counter_id)
    if action not in COUNTER_ACTIONS:
        raise Http404
    try:
        ticket = COUNTER_ACTIONS[action](counter, request.user, timezone.now())
    except services.QueueError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(request, str(COUNTER_MESSAGES[action]) % {"code": ticket.code})
    return redirect("onestop:queue-counter", counter_id=counter.pk)


@login_required
@require_POST
def counter_link_dossier(request: HttpRequest, counter_id: int) -> HttpResponse:
    counter = _operable_counter(request, counter_id)
    ticket_id = request.POST.get("ticket", "")
    ticket = selectors.ticket_get(ticket_id=int(ticket_id)) if ticket_id.isdigit() else None
    if ticket is None or ticket.counter_id != counter.pk:
        messages.warning(request, _("Số thứ tự không thuộc quầy này."))
        return redirect("onestop:queue-counter", counter_id=counter.pk)
    try:
        ticket = services.ticket_link_dossier(
            ticket_id=ticket.pk, dossier_code=request.POST.get("dossier_code", "")
        )
    except services.QueueError as exc:
        messages.warning(request, exc.message)
    else:
        messages.success(
            request,
            _("Đã gắn hồ sơ %(dossier)s cho số %(code)s.")
            % {"dossier": ticket.dossier_code, "code": ticket.code},
        )
    return redirect("onestop:queue-counter", counter_id=counter.pk)


def rating_panel(request: HttpRequest, counter_id: int) -> HttpResponse:
    """The touch panel facing the visitor at a counter: one tap after being served."""
    counter = selectors.counter_get(counter_id=counter_id)
    if counter is None or not counter.desk.is_active:
        raise Http404(_("Không tìm thấy quầy."))
    now = timezone.now()
    thanked = False
    error = ""
    if request.method == "POST":
        pending = selectors.counter_rating_pending(counter=counter, now=now)
        if pending is None or str(pending.pk) != request.POST.get("ticket"):
            error = _("Số thứ tự này không còn chờ đánh giá tại quầy.")
        else:
            try:
                # The panel is the counter's own device: it rates the ticket pending there,
                # so it vouches with that ticket's code instead of the visitor typing it.
                services.counter_rate(
                    ticket_id=pending.pk,
                    secret=pending.rating_secret,
                    level=request.POST.get("level", ""),
                    now=now,
                )
            except services.QueueError as exc:
                error = exc.message
            else:
                thanked = True
    return render(
        request,
        "onestop/queue/rating_panel.html",
        {
            "counter": counter,
            "ticket": None
            if thanked
            else selectors.counter_rating_pending(counter=counter, now=now),
            "thanked": thanked,
            "error": error,
        },
    )


def kiosk_procedures(request: HttpRequest, desk_id: int) -> HttpResponse:
    """Procedure lookup kiosk: the catalog search in a touch layout with an on-screen keyboard.

    Results are the desk's own level unless ?all=1; the catalog search ignores diacritics.
    """
    desk = desk_or_404(desk_id)
    query = request.GET.get("q", "").strip()[:100]
    all_levels = request.GET.get("all") == "1"
    filters = CatalogFilters(q=query, level="" if all_levels else desk.unit.level)
    results = list(procedure_list(filters=filters)[:KIOSK_RESULTS]) if query else []
    return render(
        request,
        "onestop/queue/kiosk_procedures.html",
        {
            "desk": desk,
            "query": query,
            "all_levels": all_levels,
            "results": results,
            "keyboard_rows": KEYBOARD_ROWS,
        },
    )


def kiosk_procedure_detail(request: HttpRequest, desk_id: int, code: str) -> HttpResponse:
    desk = desk_or_404(desk_id)
    try:
        procedure = procedure_get(code=code, include_unpublished=False)
    except Procedure.DoesNotExist as exc:
        raise Http404(_("Không tìm thấy thủ tục.")) from exc
    return render(
        request,
        "onestop/queue/kiosk_procedure_detail.html",
        {"desk": desk, "procedure": procedure, "query": request.GET.get("q", "")},
    )


def within_rate(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """At most `limit` requests a minute per client address for this scope."""
    return rate_within(
        f"onestop:{scope}:{client_ip(request)}", limit=limit, window=RATE_WINDOW_SECONDS
    )


@login_required
def my_floor(request: HttpRequest) -> HttpResponse:
    """Shortcut for desk staff: their own desk's floor page."""
    if not request.user.desk_id:
        raise Http404(_("Tài khoản của bạn không thuộc bộ phận một cửa nào."))
    return redirect("onestop:queue-floor", desk_id=request.user.desk_id)


@login_required
def floor_index(request: HttpRequest, desk_id: int) -> HttpResponse:
    """Every device page of a desk, to set up kiosks, boards and counters (and the API ids)."""
    desk = desk_or_404(desk_id)
    if not selectors.desk_floor_visible_to(user=request.user, desk=desk):
        raise PermissionDenied(_("Bạn không có quyền xem thiết bị của bộ phận này."))
    return render(
        request,
        "onestop/queue/floor_index.html",
        {
            "desk": desk,
            "groups": selectors.service_group_list(desk_id=desk.pk, day=timezone.localdate()),
            "counters": selectors.counter_list(desk_id=desk.pk),
            "can_operate": selectors.desk_operable_by(user=request.user, desk_id=desk.pk),
            "can_see_figures": selectors.desk_figures_visible_to(user=request.user, desk=desk),
        },
    )


@login_required
def desk_figures(request: HttpRequest, desk_id: int) -> HttpResponse:
    """A desk's queue figures for a day, for its head and the leaders above it."""
    desk = desk_or_404(desk_id)
    if not selectors.desk_figures_visible_to(user=request.user, desk=desk):
        raise PermissionDenied(_("Bạn không có quyền xem số liệu của bộ phận này."))
    try:
        day = parse_day(request.GET.get("date"), today=timezone.localdate())
    except ValidationError:
        messages.warning(request, _("Ngày không hợp lệ: dùng dd/mm/yyyy."))
        day = timezone.localdate()
    figures = selectors.queue_figures(desk_ids=[desk.pk], start=day, end=day)
    return render(
        request,
        "onestop/queue/figures.html",
        {
            "desk": desk,
            "day": day,
            "totals": figures["totals"],
            **selectors.queue_figures_breakdown(desk_id=desk.pk, day=day),
        },
    )
