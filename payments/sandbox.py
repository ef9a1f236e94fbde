"""The local sandbox gateway: VNPAY's protocol, played by the portal itself for development and
tests (mounted at /sandbox-vnpay/ when SANDBOX_VNPAY_ENABLED; on by default with DEBUG).

It checks the merchant's signed redirect, lets the tester approve or decline on its own page,
records the transaction in its ledger (SandboxTransaction), sends the browser back to the
return URL with a signed result, and sends the IPN server to server THROUGH THE OUTBOX: once at
once, once more as a repeat (SANDBOX_VNPAY_REPEAT_IPN), and once late
(SANDBOX_VNPAY_LATE_IPN_SECONDS, delivered by the outbox sweep) — what a real gateway may do.
It answers querydr for the reconciliation. The IPN address is the portal's own IPN path on the
return URL's host, or SANDBOX_VNPAY_IPN_URL.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import urllib.request
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from outbox.services import outbox_publish
from payments import vnpay
from payments.models import SandboxTransaction

IPN_EVENT = "payments.sandbox_ipn"


class SandboxRefused(Exception):
    """The redirect is not one the sandbox accepts (VNPAY's code and message)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def sandbox_check_request(params: dict[str, str]) -> dict[str, str]:
    """The payment request as VNPAY checks it: merchant, signature, fields, amount."""
    if params.get("vnp_TmnCode") != settings.VNPAY_TMN_CODE:
        raise SandboxRefused("02", "Merchant không hợp lệ")
    if not vnpay.verify_params(settings.VNPAY_HASH_SECRET, params):
        raise SandboxRefused("70", "Sai chữ ký")
    for name in ("vnp_TxnRef", "vnp_Amount", "vnp_ReturnUrl", "vnp_OrderInfo", "vnp_CreateDate"):
        if not params.get(name):
            raise SandboxRefused("03", f"Thiếu {name}")
    if not params["vnp_Amount"].isdigit() or int(params["vnp_Amount"]) <= 0:
        raise SandboxRefused("03", "Số tiền không hợp lệ")
    return params


def _ipn_url(return_url: str) -> str:
    return settings.SANDBOX_VNPAY_IPN_URL or urljoin(return_url, reverse("payments:vnpay_ipn"))


@transaction.atomic
def sandbox_decide(
    *, params: dict[str, str], approve: bool, send_ipn: bool, now: dt.datetime
) -> str:
    """Approve or decline one checked request; returns the signed return URL for the browser.
    The IPNs are outbox rows (at once, a repeat, a late one) unless `send_ipn` is false (a lost
    notice: what the daily reconciliation must find)."""
    params = sandbox_check_request(params)
    if SandboxTransaction.objects.filter(txn_ref=params["vnp_TxnRef"]).exists():
        raise SandboxRefused("94", "Giao dịch đã được xử lý")
    code = "00" if approve else "24"  # 24: the customer cancelled
    txn = SandboxTransaction.objects.create(
        tmn_code=params["vnp_TmnCode"],
        txn_ref=params["vnp_TxnRef"],
        amount=int(params["vnp_Amount"]),
        order_info=params["vnp_OrderInfo"],
        create_date=params["vnp_CreateDate"],
        transaction_no=f"{secrets.randbelow(10**8):08d}",
        response_code=code,
        transaction_status="00" if approve else "02",
        bank_code="NCB",
        pay_date=vnpay.vnp_date(now),
        return_url=params["vnp_ReturnUrl"],
        decided_at=now,
    )
    result = sandbox_result_params(txn)
    if send_ipn:
        payload = {"url": _ipn_url(txn.return_url), "params": result}
        copies = [("now", now)]
        if settings.SANDBOX_VNPAY_REPEAT_IPN:
            copies.append(("repeat", now))
        if settings.SANDBOX_VNPAY_LATE_IPN_SECONDS:
            copies.append(
                ("late", now + dt.timedelta(seconds=settings.SANDBOX_VNPAY_LATE_IPN_SECONDS))
            )
        for name, at in copies:
            outbox_publish(
                event=IPN_EVENT, payload=payload, key=f"sandbox-ipn:{txn.txn_ref}:{name}", now=at
            )
    return f"{txn.return_url}?{urlencode(result)}"


def sandbox_result_params(txn: SandboxTransaction) -> dict[str, str]:
    """The signed result VNPAY sends to the return URL and the IPN."""
    return vnpay.sign_params(
        settings.VNPAY_HASH_SECRET,
        {
            "vnp_Amount": str(txn.amount),
            "vnp_BankCode": txn.bank_code,
            "vnp_BankTranNo": f"VNP{txn.transaction_no}",
            "vnp_CardType": "ATM",
            "vnp_OrderInfo": txn.order_info,
            "vnp_PayDate": txn.pay_date,
            "vnp_ResponseCode": txn.response_code,
            "vnp_TmnCode": txn.tmn_code,
            "vnp_TransactionNo": txn.transaction_no,
            "vnp_TransactionStatus": txn.transaction_status,
            "vnp_TxnRef": txn.txn_ref,
        },
    )


def sandbox_send_ipn_handler(payload: dict) -> str:
    """Outbox handler: the sandbox calls the merchant's IPN URL (HTTP GET) like VNPAY does, and
    tries again later (the outbox's backoff) unless the merchant answered."""
    url = f"{payload['url']}?{urlencode(payload['params'])}"
    with urllib.request.urlopen(url, timeout=settings.VNPAY_TIMEOUT_SECONDS) as response:  # noqa: S310
        answer = json.loads(response.read().decode())
    if answer.get("RspCode") == "99":
        raise RuntimeError(f"merchant answered {answer}: VNPAY retries")
    return str(answer.get("RspCode"))


def sandbox_query(body: dict) -> dict:
    """querydr: the transaction's status, signed as VNPAY signs it."""
    secret = settings.VNPAY_HASH_SECRET
    answer = {
        "vnp_ResponseId": secrets.token_hex(16),
        "vnp_Command": "querydr",
        "vnp_TmnCode": body.get("vnp_TmnCode", ""),
        "vnp_TxnRef": body.get("vnp_TxnRef", ""),
        "vnp_OrderInfo": body.get("vnp_OrderInfo", ""),
        "vnp_Amount": "",
        "vnp_BankCode": "",
        "vnp_PayDate": "",
        "vnp_TransactionNo": "",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": "",
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    }
    expected = vnpay.sign_fields(secret, vnpay.QUERY_REQUEST_FIELDS, body)
    txn = SandboxTransaction.objects.filter(txn_ref=body.get("vnp_TxnRef", "")).first()
    if body.get("vnp_SecureHash") != expected or body.get("vnp_TmnCode") != settings.VNPAY_TMN_CODE:
        answer.update(vnp_ResponseCode="97", vnp_Message="Invalid Checksum")
    elif txn is None:
        answer.update(vnp_ResponseCode="91", vnp_Message="Transaction not found")
    else:
        answer.update(
            vnp_ResponseCode="00",
            vnp_Message="QueryDR Success",
            vnp_Amount=str(txn.amount),
            vnp_BankCode=txn.bank_code,
            vnp_PayDate=txn.pay_date,
            vnp_TransactionNo=txn.transaction_no,
            vnp_TransactionStatus=txn.transaction_status,
        )
    answer["vnp_SecureHash"] = vnpay.sign_fields(secret, vnpay.QUERY_RESPONSE_FIELDS, answer)
    return answer
