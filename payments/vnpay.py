"""VNPAY's payment protocol (version 2.1.0): signed redirect, return URL, IPN and querydr.

- Pay: the browser goes to VNPAY_PAYMENT_URL with the `vnp_*` parameters; `vnp_SecureHash` is
  HMAC-SHA512 with the merchant's hash secret over the parameters sorted by name, each
  `name=value` URL-encoded (spaces as "+") and joined with "&". Amounts are VND x 100; dates
  are yyyyMMddHHmmss in Vietnam time.
- Return URL and IPN: VNPAY sends the result back with the same signature scheme (every
  `vnp_*` parameter except `vnp_SecureHash`/`vnp_SecureHashType`). The IPN (server to server)
  is the only one that changes anything; the merchant answers JSON {"RspCode", "Message"}:
  00 confirmed, 01 order not found, 02 order already confirmed, 04 invalid amount,
  97 invalid signature, 99 unknown error. VNPAY retries the IPN until it gets an answer.
- querydr: POST JSON to VNPAY_API_URL; the request signature is HMAC-SHA512 over
  RequestId|Version|Command|TmnCode|TxnRef|TransactionDate|CreateDate|IpAddr|OrderInfo, the
  response's over ResponseId|Command|ResponseCode|Message|TmnCode|TxnRef|Amount|BankCode|
  PayDate|TransactionNo|TransactionType|TransactionStatus|OrderInfo|PromotionCode|
  PromotionAmount.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import urllib.request
import uuid
from decimal import Decimal
from urllib.parse import quote_plus, urlencode, urljoin
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from payments.gateway import GatewayNotice, GatewayStatus

VERSION = "2.1.0"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
QUERY_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
QUERY_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
# IPN answers (RspCode, Message), as VNPAY's integration guide lists them.
IPN_CONFIRMED = ("00", "Confirm Success")
IPN_NOT_FOUND = ("01", "Order not found")
IPN_ALREADY_CONFIRMED = ("02", "Order already confirmed")
IPN_INVALID_AMOUNT = ("04", "Invalid amount")
IPN_INVALID_SIGNATURE = ("97", "Invalid signature")
IPN_UNKNOWN_ERROR = ("99", "Unknown error")


def vnp_date(moment: dt.datetime) -> str:
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


def parse_vnp_date(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)
    except (TypeError, ValueError):
        return None


def hash_data(params: dict[str, str]) -> str:
    """The signed string: `vnp_*` parameters (signature excluded) sorted, URL-encoded.

    Parameters sent empty are signed too (`vnp_BankTranNo=`), as VNPAY's own samples do when
    they check a return or an IPN: leaving them out refused genuine notices as "97"."""
    items = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_")
        and key not in ("vnp_SecureHash", "vnp_SecureHashType")
        and value is not None
    )
    return "&".join(f"{key}={quote_plus(value)}" for key, value in items)


def sign(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode("utf-8"), hashlib.sha512).hexdigest()


def sign_params(secret: str, params: dict[str, str]) -> dict[str, str]:
    """The parameters with their `vnp_SecureHash` added."""
    return {**params, "vnp_SecureHash": sign(secret, hash_data(params))}


def verify_params(secret: str, params: dict[str, str]) -> bool:
    given = params.get("vnp_SecureHash", "")
    return bool(given) and hmac.compare_digest(
        given.lower(), sign(secret, hash_data(params)).lower()
    )


def sign_fields(secret: str, fields: tuple[str, ...], values: dict[str, str]) -> str:
    return sign(secret, "|".join(str(values.get(name, "")) for name in fields))


def post_json(url: str, body: dict, timeout: float) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured)
        return json.loads(response.read().decode())


class VnpayGateway:
    """The real protocol; the sandbox is this same class pointed at /sandbox-vnpay/."""

    name = "vnpay"

    def __init__(
        self, *, tmn_code: str, hash_secret: str, payment_url: str, api_url: str, timeout: float
    ) -> None:
        if not (tmn_code and hash_secret and payment_url):
            raise ImproperlyConfigured(
                "VNPAY_TMN_CODE, VNPAY_HASH_SECRET and VNPAY_PAYMENT_URL are required for payments"
            )
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.payment_url = payment_url
        self.api_url = api_url
        self.timeout = timeout

    @classmethod
    def from_settings(cls) -> VnpayGateway:
        base = settings.PORTAL_BASE_URL
        return cls(
            tmn_code=settings.VNPAY_TMN_CODE,
            hash_secret=settings.VNPAY_HASH_SECRET,
            payment_url=urljoin(base, settings.VNPAY_PAYMENT_URL),
            api_url=urljoin(base, settings.VNPAY_API_URL),
            timeout=settings.VNPAY_TIMEOUT_SECONDS,
        )

    def pay_url(
        self,
        *,
        txn_ref: str,
        amount: Decimal,
        order_info: str,
        return_url: str,
        client_ip: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
    ) -> str:
        params = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(int(amount * 100)),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info,
            "vnp_OrderType": "other",
            "vnp_Locale": "vn",
            "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip,
            "vnp_CreateDate": vnp_date(created_at),
            "vnp_ExpireDate": vnp_date(expires_at),
        }
        signed = sign_params(self.hash_secret, params)
        return f"{self.payment_url}?{urlencode(signed)}"

    def verify(self, params: dict[str, str]) -> bool:
        return params.get("vnp_TmnCode") == self.tmn_code and verify_params(
            self.hash_secret, params
        )

    def notice(self, params: dict[str, str]) -> GatewayNotice:
        """The result in portal units; call `verify` first."""
        response = params.get("vnp_ResponseCode", "")
        status = params.get("vnp_TransactionStatus", "")
        try:
            amount = Decimal(params.get("vnp_Amount", "")) / 100
        except ArithmeticError:
            amount = Decimal(-1)
        return GatewayNotice(
            txn_ref=params.get("vnp_TxnRef", ""),
            amount=amount,
            success=response == "00" and status == "00",
            response_code=response,
            transaction_status=status,
            transaction_no=params.get("vnp_TransactionNo", ""),
            bank_code=params.get("vnp_BankCode", ""),
            pay_date=parse_vnp_date(params.get("vnp_PayDate", "")),
        )

    def query(self, *, txn_ref: str, order_info: str, created_at: dt.datetime) -> GatewayStatus:
        body = {
            "vnp_RequestId": uuid.uuid4().hex[:32],
            "vnp_Version": VERSION,
            "vnp_Command": "querydr",
            "vnp_TmnCode": self.tmn_code,
            "vnp_TxnRef": txn_ref,
            "vnp_OrderInfo": order_info,
            "vnp_TransactionDate": vnp_date(created_at),
            "vnp_CreateDate": vnp_date(dt.datetime.now(tz=VIETNAM)),
            "vnp_IpAddr": "127.0.0.1",
        }
        body["vnp_SecureHash"] = sign_fields(self.hash_secret, QUERY_REQUEST_FIELDS, body)
        answer = post_json(self.api_url, body, self.timeout)
        expected = sign_fields(self.hash_secret, QUERY_RESPONSE_FIELDS, answer)
        if not hmac.compare_digest(str(answer.get("vnp_SecureHash", "")), expected):
            raise ValueError(f"querydr answer for {txn_ref} has a wrong signature")
        if answer.get("vnp_ResponseCode") == "91":  # transaction not found
            return GatewayStatus(found=False, paid=False, amount=None, transaction_status="")
        if answer.get("vnp_ResponseCode") != "00":
            raise ValueError(f"querydr for {txn_ref} answered {answer.get('vnp_ResponseCode')}")
        status = str(answer.get("vnp_TransactionStatus", ""))
        return GatewayStatus(
            found=True,
            paid=status == "00",
            amount=Decimal(str(answer.get("vnp_Amount", "0"))) / 100,
            transaction_status=status,
            transaction_no=str(answer.get("vnp_TransactionNo", "")),
        )
