"""Citizen pages of online payment, the gateway's return and IPN endpoints, the e-receipt."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from dossiers.models import Dossier
from dossiers.selectors import dossier_get_for_user
from dossiers.services import DossierValidationError
from onestop.client_address import client_ip
from payments import selectors, services, vnpay
from payments.gateway import gateway

logger = logging.getLogger(__name__)


@login_required
@require_http_methods(["GET", "POST"])
def pay(request: HttpRequest, code: str) -> HttpResponse:
    """The fee the dossier awaits, and the button that goes to the gateway."""
    dossier = dossier_get_for_user(user=request.user, code=code)
    if dossier is None or dossier.applicant_id != request.user.pk:
        raise Http404
    if not settings.VNPAY_PAYMENT_URL:  # no gateway configured: no online payment offered
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            _payment, url = services.payment_start(
                dossier_id=dossier.pk,
                payer=request.user,
                return_url=request.build_absolute_uri(reverse("payments:vnpay_return")),
                client_ip=client_ip(request),
                now=timezone.now(),
            )
        except DossierValidationError as exc:
            error = exc.message
        else:
            return redirect(url)
    context = {
        "dossier": dossier,
        "fee": selectors.fee_for(dossier=dossier),
        "payments": selectors.payment_list_for_dossier(dossier=dossier),
        "error": error,
    }
    return render(request, "payments/pay.html", context, status=400 if error else 200)


@never_cache
@require_GET
def vnpay_return(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the browser back. It shows the result; only the IPN changes
    anything (a return URL can be replayed or never reached)."""
    params = request.GET.dict()
    valid = gateway().verify(params)
    payment = selectors.payment_by_txn_ref(txn_ref=params.get("vnp_TxnRef", "")) if valid else None
    context = {
        "valid": valid,
        "payment": payment,
        "approved": params.get("vnp_ResponseCode") == "00",
    }
    return render(request, "payments/return.html", context, status=200 if valid else 400)


@never_cache
@require_GET
def vnpay_ipn(request: HttpRequest) -> JsonResponse:
    """VNPAY's server-to-server notice; answers {"RspCode", "Message"} as its guide says."""
    try:
        code, message = services.payment_handle_notice(
            params=request.GET.dict(), now=timezone.now()
        )
    except Exception:
        # The protocol wants an answer, not an HTML 500: "99" (nothing was recorded, the
        # service's transaction rolled back) and VNPAY sends the notice again later.
        logger.exception("Payment notice failed for %s", request.GET.get("vnp_TxnRef"))
        code, message = vnpay.IPN_UNKNOWN_ERROR
    return JsonResponse({"RspCode": code, "Message": message})


@login_required
def receipt_pdf(request: HttpRequest, number: str) -> HttpResponse:
    """The e-receipt of one payment, for whoever may see its dossier."""
    payment = selectors.payment_by_receipt(number=number)
    if payment is None:
        raise Http404
    dossier: Dossier | None = dossier_get_for_user(user=request.user, code=payment.dossier.code)
    if dossier is None:
        raise Http404
    from payments.receipt import render_receipt  # fpdf: loaded by the workers that print

    response = HttpResponse(render_receipt(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response


def dossier_panels(*, dossier: Dossier, user) -> list[dict]:
    """The dossier page's payment panel (registered in dossiers.hooks)."""
    panels = []
    if not getattr(user, "is_authenticated", False):
        return panels
    online = bool(settings.VNPAY_PAYMENT_URL)
    if online and dossier.status == "awaiting_payment" and dossier.applicant_id == user.pk:
        panels.append(
            {
                "text": _("Phí, lệ phí cần nộp: %(amount)s đồng")
                % {"amount": f"{int(dossier.fee_amount or 0):,}".replace(",", ".")},
                "url": reverse("payments:pay", args=[dossier.code]),
                "label": _("Thanh toán trực tuyến"),
            }
        )
    for payment in selectors.payment_list_for_dossier(dossier=dossier):
        if payment.receipt_number:
            panels.append(
                {
                    "text": "",
                    "url": reverse("payments:receipt", args=[payment.receipt_number]),
                    "label": _("Biên lai điện tử %(number)s") % {"number": payment.receipt_number},
                }
            )
    return panels
