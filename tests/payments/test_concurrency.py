"""Real parallel transactions on PostgreSQL: the same IPN arriving many times at once pays once
and moves the dossier once (row lock on the payment, one paid payment per fee request)."""

import pytest
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from payments.models import Payment, PaymentStatus
from payments.services import payment_handle_notice
from tests.dossiers.test_concurrency import run_in_parallel
from tests.payments.payment_world import awaiting_payment, gateway_result, started

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_payment_handle_notice_pays_once_when_same_ipn_arrives_eight_times_at_once():
    world, dossier = awaiting_payment()
    payment, params = started(world, dossier)
    result = gateway_result(params)
    answers = run_in_parallel(
        [lambda: payment_handle_notice(params=result, now=timezone.now()) for _ in range(8)]
    )
    codes = sorted(answer[0] for answer in answers)
    assert codes == ["00"] + ["02"] * 7, answers
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.events.filter(action="confirm_payment").count() == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_payment_handle_notice_pays_once_when_two_payments_of_one_fee_succeed_at_once():
    world, dossier = awaiting_payment()
    first, params_one = started(world, dossier)
    second, params_two = started(world, dossier)
    one, two = gateway_result(params_one), gateway_result(params_two)
    run_in_parallel(
        [
            lambda: payment_handle_notice(params=one, now=timezone.now()),
            lambda: payment_handle_notice(params=two, now=timezone.now()),
        ]
    )
    statuses = sorted(Payment.objects.filter(dossier=dossier).values_list("status", flat=True))
    assert statuses == ["paid", "refund_due"]
    assert Dossier.objects.get(pk=dossier.pk).events.filter(action="confirm_payment").count() == 1
