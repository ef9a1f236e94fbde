"""The dossier progress kiosk on the desk floor: scan the receipt QR or type the code."""

from urllib.parse import parse_qs, urlparse

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dossiers.lookup_limit import LOOKUP_CODE_BLOCKED, dossier_lookup_limited
from onestop.views.queue import KEYBOARD_ROWS, KIOSK_LOOKUP_LIMIT, desk_or_404, within_rate


def dossier_code_from_scan(raw: str) -> str:
    """The dossier code from what was typed or scanned: the receipt QR holds the lookup URL."""
    raw = raw.strip()
    if "code=" in raw:
        codes = parse_qs(urlparse(raw).query).get("code")
        if codes:
            return codes[0].strip()
    return raw


def kiosk_dossier(request: HttpRequest, desk_id: int) -> HttpResponse:
    """Dossier progress kiosk: scan the receipt QR or type the code, then 4 digits to verify."""
    desk = desk_or_404(desk_id)
    code = dossier_code_from_scan(request.GET.get("code", ""))
    verifier = request.GET.get("verifier", "").strip()
    result = None
    error = ""
    status = 200
    if code and verifier:
        if not (verifier.isdigit() and verifier.isascii() and len(verifier) == 4):
            error = _("Nhập đúng 4 chữ số cuối của số điện thoại hoặc CCCD.")
        # Four digits are easy to guess: few tries a minute.
        elif not within_rate(request, scope="kiosk-lookup", limit=KIOSK_LOOKUP_LIMIT):
            error = _("Bạn tra cứu quá nhiều lần. Vui lòng thử lại sau một phút.")
            status = 429
        else:
            result, blocked = dossier_lookup_limited(code=code, verifier=verifier)
            if blocked:
                error, status = str(LOOKUP_CODE_BLOCKED), 429
            elif result is None:
                error = _("Không tìm thấy hồ sơ khớp với mã và 4 chữ số đã nhập.")
    return render(
        request,
        "dossiers/kiosk_dossier.html",
        {
            "desk": desk,
            "code": code,
            "result": result,
            "error": error,
            "keyboard_rows": KEYBOARD_ROWS,
        },
        status=status,
    )
