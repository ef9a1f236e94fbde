"""The whole protocol over real HTTP: the citizen's browser (Django's test client, sent to the
live server's host) is redirected to the sandbox gateway, approves, comes back; the sandbox
sends the IPN server to server through the outbox to the live server, repeated and late; the
daily reconciliation asks the sandbox (querydr) over HTTP and finds a planted mismatch."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from outbox.delivery import outbox_deliver
from outbox.models import OutboxMessage, OutboxStatus
from payments.models import Payment, PaymentNotice, PaymentStatus
from payments.sandbox import sandbox_decide
from payments.services import payments_reconcile
from tests.payments.payment_world import FEE, awaiting_payment, query, started

pytestmark = pytest.mark.django_db(transaction=True)
NOW = timezone.now


@pytest.fixture
def live(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    settings.SANDBOX_VNPAY_LATE_IPN_SECONDS = 120
    return live_server


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def test_full_payment_moves_dossier_once_when_citizen_pays_in_sandbox(live):
    world, dossier = awaiting_payment(now=NOW() - datetime.timedelta(hours=4))
    browser = Client(HTTP_HOST=urlsplit(live.url).netloc)
    browser.force_login(world.citizen)
    page = browser.get(f"/thanh-toan/ho-so/{dossier.code}/")
    assert page.status_code == 200 and "200.000" in page.content.decode()
    redirect = browser.post(f"/thanh-toan/ho-so/{dossier.code}/")
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(f"{live.url}/sandbox-vnpay/paymentv2/vpcpay.html?")
    gateway_page = browser.get(_path(redirect["Location"]))
    assert gateway_page.status_code == 200
    params = query(redirect["Location"])
    back = browser.post(gateway_page.request["PATH_INFO"], {**params, "decision": "approve"})
    # The approval committed; its on-commit IPN (and the immediate repeat) reached the live
    # server over HTTP before the sandbox redirected the browser back.
    assert back.status_code == 302 and "/thanh-toan/vnpay/tra-ve/?" in back["Location"]
    result = browser.get(_path(back["Location"]))
    assert "Thanh toán thành công" in result.content.decode()
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.PROCESSING and dossier.paid_online is True
    assert dossier.events.filter(action="confirm_payment").count() == 1
    payment = Payment.objects.get(dossier=dossier)
    assert payment.status == PaymentStatus.PAID and payment.amount == FEE
    answers = list(PaymentNotice.objects.order_by("id").values_list("answer_code", flat=True))
    assert answers == ["00", "02"]  # the first IPN and its repeat
    # The late IPN is an outbox row due in two minutes: the sweep sends it then.
    late = OutboxMessage.objects.get(key=f"sandbox-ipn:{payment.txn_ref}:late:payments.sandbox_ipn")
    assert late.status == OutboxStatus.PENDING
    assert outbox_deliver(message_id=late.pk, now=NOW() + datetime.timedelta(minutes=3)) == "sent"
    assert PaymentNotice.objects.order_by("-id").first().answer_code == "02"
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="confirm_payment").count() == 1
    receipt = browser.get(f"/thanh-toan/bien-lai/{payment.receipt_number}/")
    assert receipt.status_code == 200 and receipt.content.startswith(b"%PDF")


def test_payments_reconcile_finds_planted_mismatch_when_ipn_was_lost(live):
    now = NOW()
    world, lost = awaiting_payment(now=now - datetime.timedelta(hours=4))
    lost_payment, params = started(world, lost, now=now, host=live.url)
    sandbox_decide(params=params, approve=True, send_ipn=False, now=now)  # the IPN never came
    _world, fine = awaiting_payment(world, now=now - datetime.timedelta(hours=4))
    fine_payment, params = started(world, fine, now=now, host=live.url)
    sandbox_decide(params=params, approve=True, send_ipn=True, now=now)
    assert Payment.objects.get(pk=fine_payment.pk).status == PaymentStatus.PAID
    items = payments_reconcile(run_date=timezone.localdate(now), now=now)
    assert [(item.payment_id, item.note) for item in items] == [
        (lost_payment.pk, "gateway paid, portal not")
    ]
    assert items[0].gateway_status == "00" and items[0].portal_status == "pending"
