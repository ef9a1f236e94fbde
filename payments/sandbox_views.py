"""Pages and API of the local sandbox gateway (see payments.sandbox)."""

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from payments import sandbox


@require_http_methods(["GET", "POST"])
def pay_page(request: HttpRequest) -> HttpResponse:
    """VNPAY's payment page, played locally: approve or decline."""
    params = {k: v for k, v in (request.POST or request.GET).items() if k.startswith("vnp_")}
    try:
        sandbox.sandbox_check_request(params)
    except sandbox.SandboxRefused as refused:
        return render(request, "payments/sandbox_pay.html", {"refused": refused}, status=400)
    if request.method == "POST":
        try:
            url = sandbox.sandbox_decide(
                params=params,
                approve=request.POST.get("decision") == "approve",
                send_ipn=request.POST.get("lose_ipn") != "on",
                now=timezone.now(),
            )
        except sandbox.SandboxRefused as refused:
            return render(request, "payments/sandbox_pay.html", {"refused": refused}, status=400)
        return redirect(url)
    amount = int(params["vnp_Amount"]) // 100
    context = {
        "params": sorted(params.items()),
        "amount": f"{amount:,}".replace(",", "."),
        "order_info": params["vnp_OrderInfo"],
    }
    return render(request, "payments/sandbox_pay.html", context)


@csrf_exempt
@require_POST
def query_api(request: HttpRequest) -> JsonResponse:
    """querydr (the merchant's server asks about a transaction)."""
    try:
        body = json.loads(request.body.decode() or "{}")
    except (ValueError, UnicodeDecodeError):
        return JsonResponse(
            {"vnp_ResponseCode": "03", "vnp_Message": "Invalid request"}, status=400
        )
    return JsonResponse(sandbox.sandbox_query(body))
