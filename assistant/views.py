"""The full-page assistant: works without JavaScript (a form), the script makes it a chat."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from assistant.services import MAX_MESSAGE, assistant_ask
from onestop.client_address import client_ip
from onestop.views.queue import KEYBOARD_ROWS, desk_or_404

SUGGESTIONS = [
    _("Làm giấy khai sinh cho con mới sinh"),
    _("Đăng ký kết hôn cần giấy tờ gì?"),
    _("Cắt khẩu chuyển đi nơi khác"),
    _("Xin giấy xác nhận độc thân"),
    _("Mở cửa hàng tạp hóa thì đăng ký thế nào?"),
    _("Đăng ký tạm trú khi ở trọ"),
    _("Làm sổ đỏ lần đầu"),
    _("Tra cứu tình trạng hồ sơ của tôi"),
]


@require_http_methods(["GET", "POST"])
def assistant_page(request: HttpRequest) -> HttpResponse:
    answer = None
    message = ""
    if request.method == "POST":
        message = request.POST.get("message", "").strip()[:MAX_MESSAGE]
        if message:
            answer = assistant_ask(
                message=message,
                conversation_id=request.POST.get("conversation") or None,
                client=client_ip(request) or "unknown",
            )
    return render(
        request,
        "assistant/page.html",
        {"answer": answer, "message": message, "suggestions": SUGGESTIONS},
        status=429 if answer is not None and answer.throttled else 200,
    )


KIOSK_SUGGESTIONS = SUGGESTIONS[:6]


@require_http_methods(["GET"])
def kiosk_assistant(request: HttpRequest, desk_id: int) -> HttpResponse:
    """The assistant on the desk's procedure-lookup kiosk: large type, on-screen keyboard,
    answers linking to the kiosk's own procedure pages (a kiosk has no online submission)."""
    desk = desk_or_404(desk_id)
    message = request.GET.get("q", "").strip()[:MAX_MESSAGE]
    answer = None
    if message:
        answer = assistant_ask(
            message=message,
            conversation_id=request.GET.get("c") or None,
            client=client_ip(request) or "unknown",
        )
    return render(
        request,
        "assistant/kiosk.html",
        {
            "desk": desk,
            "answer": answer,
            "message": message,
            "suggestions": KIOSK_SUGGESTIONS,
            "keyboard_rows": KEYBOARD_ROWS,
        },
        status=429 if answer is not None and answer.throttled else 200,
    )
