"""VNPAY's protocol as its published samples check it: the signed string is every `vnp_*`
parameter received (empty ones included, signature excluded), sorted, each value URL-encoded
with spaces as "+", joined with "&", under HMAC-SHA512; the IPN answers 00/01/02/04/97/99."""

import hashlib
import hmac
from urllib.parse import quote_plus

import pytest
from django.conf import settings

from payments import services, vnpay
from payments.models import Payment, PaymentStatus
from tests.payments.payment_world import FEE, awaiting_payment, gateway_result, started

pytestmark = pytest.mark.django_db
IPN = "/thanh-toan/vnpay/ipn/"


def _reference_sign(secret: str, params: dict[str, str]) -> str:
    """Written from VNPAY's sample code, independently of payments.vnpay."""
    data = sorted(
        (key, value)
        for key, value in params.items()
        if key.startswith("vnp_") and key not in ("vnp_SecureHash", "vnp_SecureHashType")
    )
    text = "&".join(f"{key}={quote_plus(str(value))}" for key, value in data)
    return hmac.new(secret.encode(), text.encode("utf-8"), hashlib.sha512).hexdigest()


def test_vnpay_hash_data_signs_empty_parameters_when_gateway_sends_them():
    params = {"vnp_TxnRef": "1-AB", "vnp_BankTranNo": "", "vnp_OrderInfo": "Nop phi"}

    assert vnpay.hash_data(params) == "vnp_BankTranNo=&vnp_OrderInfo=Nop+phi&vnp_TxnRef=1-AB"
    assert vnpay.sign_params("s", params)["vnp_SecureHash"] == _reference_sign("s", params)


def test_ipn_confirms_when_signed_like_vnpay_with_an_empty_parameter(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = {k: v for k, v in gateway_result(params).items() if k != "vnp_SecureHash"}
    result["vnp_BankTranNo"] = ""  # e.g. a card payment with no bank transaction number
    result["vnp_SecureHash"] = _reference_sign(settings.VNPAY_HASH_SECRET, result)

    answer = client.get(IPN, result).json()

    assert answer == {"RspCode": "00", "Message": "Confirm Success"}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_pay_url_signature_matches_vnpay_reference_and_amount_is_times_100():
    world, dossier = awaiting_payment()
    _payment, params = started(world, dossier)

    assert params["vnp_SecureHash"] == _reference_sign(settings.VNPAY_HASH_SECRET, params)
    assert params["vnp_Amount"] == str(FEE * 100)
    for name in (
        "vnp_Version",
        "vnp_Command",
        "vnp_TmnCode",
        "vnp_Amount",
        "vnp_CurrCode",
        "vnp_TxnRef",
        "vnp_OrderInfo",
        "vnp_OrderType",
        "vnp_Locale",
        "vnp_ReturnUrl",
        "vnp_IpAddr",
        "vnp_CreateDate",
        "vnp_ExpireDate",
    ):
        assert params[name], name
    assert params["vnp_OrderInfo"].isascii()


def test_ipn_answers_each_rspcode_of_the_protocol_when_notices_differ(client):
    world, dossier = awaiting_payment()
    _payment, params = started(world, dossier)
    good = gateway_result(params)
    tampered = {**good, "vnp_Amount": str(FEE * 100 + 100)}
    wrong_amount = vnpay.sign_params(settings.VNPAY_HASH_SECRET, tampered)
    unknown = vnpay.sign_params(settings.VNPAY_HASH_SECRET, {**good, "vnp_TxnRef": "0-NONE"})

    codes = [
        client.get(IPN, query).json()["RspCode"]
        for query in (tampered, unknown, wrong_amount, good, good)
    ]

    assert codes == ["97", "01", "04", "00", "02"]


def test_ipn_answers_99_json_and_records_nothing_when_handling_fails(client, monkeypatch):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "payment_handle_notice", broken)
    response = client.get(IPN, result)

    assert response.status_code == 200
    assert response.json() == {"RspCode": "99", "Message": "Unknown error"}
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
