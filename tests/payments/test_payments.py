"""Online payment against the local sandbox gateway speaking VNPAY's protocol: notices
(IPN) repeated, late, tampered and of the wrong amount; expiry; counter payments; receipts."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from dossiers.services import dossier_confirm_payment
from payments import vnpay
from payments.models import Payment, PaymentNotice, PaymentStatus, ProcedureFee
from payments.services import fees_import, payments_expire
from procedures.models import Channel, SubmissionMethod
from tests.payments.payment_world import FEE, awaiting_payment, gateway_result, started

pytestmark = pytest.mark.django_db
IPN = "/thanh-toan/vnpay/ipn/"


def _moved_once(dossier) -> bool:
    return dossier.events.filter(action="confirm_payment").count() == 1


def test_vnpay_sign_params_matches_hmac_sha512_over_sorted_encoded_params():
    params = {"vnp_TxnRef": "1-AB", "vnp_Amount": "20000000", "vnp_OrderInfo": "Nop phi ho so"}
    assert vnpay.hash_data(params) == (
        "vnp_Amount=20000000&vnp_OrderInfo=Nop+phi+ho+so&vnp_TxnRef=1-AB"
    )
    signed = vnpay.sign_params("secret", params)
    assert len(signed["vnp_SecureHash"]) == 128
    assert vnpay.verify_params("secret", signed)
    assert not vnpay.verify_params("other", signed)


def test_payment_start_signs_redirect_with_amount_times_100_when_dossier_awaits_fee():
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    assert params["vnp_Amount"] == str(FEE * 100)
    assert params["vnp_TxnRef"] == payment.txn_ref
    assert params["vnp_Command"] == "pay" and params["vnp_Version"] == "2.1.0"
    assert vnpay.verify_params(settings.VNPAY_HASH_SECRET, params)
    assert payment.status == PaymentStatus.PENDING


def test_payment_handle_notice_moves_dossier_once_when_ipn_is_repeated(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)
    first = client.get(IPN, result).json()
    second = client.get(IPN, result).json()
    assert first == {"RspCode": "00", "Message": "Confirm Success"}
    assert second == {"RspCode": "02", "Message": "Order already confirmed"}
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.PROCESSING and dossier.paid_online is True
    assert _moved_once(dossier)
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.status == PaymentStatus.PAID and payment.receipt_number
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1


def test_payment_handle_notice_refuses_and_logs_when_signature_is_tampered(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)
    result["vnp_Amount"] = "100"  # a forger pays 1 đồng and keeps the old signature
    answer = client.get(IPN, result).json()
    assert answer["RspCode"] == "97"
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING
    assert PaymentNotice.objects.get().answer_code == "97"


def test_payment_handle_notice_refuses_when_signed_amount_differs(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)
    result["vnp_Amount"] = str((FEE - 1000) * 100)
    result = vnpay.sign_params(settings.VNPAY_HASH_SECRET, result)  # validly signed, wrong sum
    answer = client.get(IPN, result).json()
    assert answer == {"RspCode": "04", "Message": "Invalid amount"}
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.AWAITING_PAYMENT
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PENDING


def test_payment_handle_notice_answers_not_found_when_order_is_unknown(client):
    world, dossier = awaiting_payment()
    _payment, params = started(world, dossier)
    result = gateway_result(params)
    result["vnp_TxnRef"] = "999-NOPE"
    result = vnpay.sign_params(settings.VNPAY_HASH_SECRET, result)
    assert client.get(IPN, result).json()["RspCode"] == "01"


def test_payment_handle_notice_honours_late_success_when_payment_had_expired(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)
    later = payment.expires_at + datetime.timedelta(minutes=1)
    assert payments_expire(now=later) == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.EXPIRED
    assert client.get(IPN, result).json()["RspCode"] == "00"  # the money was taken: honour it
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROCESSING
    assert client.get(IPN, result).json()["RspCode"] == "02"
    assert _moved_once(dossier)


def test_payment_handle_notice_keeps_refund_due_when_late_ipn_follows_counter_payment(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)
    dossier_confirm_payment(dossier_id=dossier.pk, actor=world.specialist, now=timezone.now())
    assert client.get(IPN, result).json()["RspCode"] == "00"
    payment = Payment.objects.get(pk=payment.pk)
    assert payment.status == PaymentStatus.REFUND_DUE
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.paid_online is False and _moved_once(dossier)


def test_payment_handle_notice_marks_failed_when_citizen_declines(client):
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params, approve=False)
    assert client.get(IPN, result).json()["RspCode"] == "00"
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.FAILED
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.AWAITING_PAYMENT


def test_payments_expire_leaves_recent_payment_pending_when_not_yet_due():
    world, dossier = awaiting_payment()
    payment, _params = started(world, dossier)
    assert payments_expire(now=payment.expires_at - datetime.timedelta(seconds=1)) == 0
    assert payments_expire(now=payment.expires_at + datetime.timedelta(seconds=1)) == 1


def test_counter_receipt_handler_records_counter_payment_when_clerk_confirms(
    client, django_capture_on_commit_callbacks
):
    world, dossier = awaiting_payment()
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after commit
        dossier_confirm_payment(dossier_id=dossier.pk, actor=world.specialist, now=timezone.now())
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.method, payment.status, payment.amount) == ("counter", "paid", Decimal(FEE))
    client.force_login(world.citizen)
    response = client.get(f"/thanh-toan/bien-lai/{payment.receipt_number}/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_receipt_pdf_hidden_when_viewer_cannot_see_dossier(client):
    world, dossier = awaiting_payment()
    _payment, params = started(world, dossier)
    client.get(IPN, gateway_result(params))
    number = Payment.objects.get(status="paid").receipt_number
    client.force_login(world.other_citizen)
    assert client.get(f"/thanh-toan/bien-lai/{number}/").status_code == 404


def test_pay_page_refuses_with_400_when_dossier_no_longer_awaits_fee(client):
    world, dossier = awaiting_payment()
    dossier_confirm_payment(dossier_id=dossier.pk, actor=world.specialist, now=timezone.now())
    client.force_login(world.citizen)
    response = client.post(f"/thanh-toan/ho-so/{dossier.code}/")
    assert response.status_code == 400
    assert "không ở trạng thái chờ nộp phí" in response.content.decode()
    assert not Payment.objects.filter(method="online").exists()


def test_vnpay_return_refuses_when_signature_is_wrong(client):
    world, dossier = awaiting_payment()
    _payment, params = started(world, dossier)
    result = gateway_result(params)
    result["vnp_ResponseCode"] = "00" if result["vnp_ResponseCode"] != "00" else "24"
    assert client.get("/thanh-toan/vnpay/tra-ve/", result).status_code == 400


def test_fees_import_keeps_admin_amount_when_text_is_read_again():
    world, dossier = awaiting_payment()
    procedure = dossier.procedure
    SubmissionMethod.objects.create(procedure=procedure, channel=Channel.ONLINE, fee="Miễn phí")
    SubmissionMethod.objects.create(
        procedure=procedure, channel=Channel.DIRECT, fee="Lệ phí: Theo quy định"
    )
    counts = fees_import(procedure_ids=[procedure.pk])
    assert counts["free"] == 1 and counts["needs_admin"] == 1
    direct = ProcedureFee.objects.get(procedure=procedure, channel=Channel.DIRECT)
    assert direct.amount is None
    direct.amount, direct.source = Decimal(30000), "admin"
    direct.save()
    fees_import(procedure_ids=[procedure.pk])
    assert ProcedureFee.objects.get(pk=direct.pk).amount == Decimal(30000)


def test_stats_paid_online_counts_only_gateway_payments_when_one_online_and_one_at_counter(
    client,
):
    from stats.selectors.figures import StatsScope, stats_summary_raw

    world, online = awaiting_payment()
    _world, counter = awaiting_payment(world)
    _payment, params = started(world, online)
    client.get(IPN, gateway_result(params))
    dossier_confirm_payment(dossier_id=counter.pk, actor=world.specialist, now=timezone.now())
    day = timezone.localdate(online.received_at)
    figures = stats_summary_raw(date_from=day, date_to=day, scope=StatsScope(), now=timezone.now())[
        "total"
    ]
    assert (figures["received_with_fee"], figures["received_paid_online"]) == (2, 1)


def test_pay_page_not_offered_when_no_gateway_is_configured(client, settings):
    world, dossier = awaiting_payment()
    client.force_login(world.citizen)
    offered = client.get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()
    assert "Thanh toán trực tuyến</a>" in offered
    settings.VNPAY_PAYMENT_URL = ""
    assert client.get(f"/thanh-toan/ho-so/{dossier.code}/").status_code == 404
    page = client.get(f"/ho-so/cua-toi/{dossier.code}/").content.decode()
    assert "Thanh toán trực tuyến</a>" not in page
