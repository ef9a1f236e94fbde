"""Writes of the payments app: fees from the catalog, starting a payment, the gateway's notice
(exactly once), counter payments, expiry and the daily reconciliation."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Dossier, DossierEvent, DossierStatus
from dossiers.services import DossierValidationError, dossier_record_online_payment
from payments import vnpay
from payments.fees import FIXED, FREE, fee_parse
from payments.gateway import gateway
from payments.models import (
    FeeSource,
    Payment,
    PaymentMethod,
    PaymentNotice,
    PaymentStatus,
    ProcedureFee,
    ReconciliationItem,
)
from procedures.models import SubmissionMethod

logger = logging.getLogger(__name__)


def fees_import(*, procedure_ids: list[int] | None = None) -> dict[str, int]:
    """Read every submission method's fee text into ProcedureFee rows. Rows an administrator
    set are never overwritten. Returns counts per source."""
    methods = SubmissionMethod.objects.all()
    if procedure_ids is not None:
        methods = methods.filter(procedure_id__in=procedure_ids)
    counts = {source: 0 for source in FeeSource.values}
    admin_set = set(
        ProcedureFee.objects.filter(source=FeeSource.ADMIN).values_list("procedure_id", "channel")
    )
    for method in methods.only("procedure_id", "channel", "fee").iterator():
        if (method.procedure_id, method.channel) in admin_set:
            counts[FeeSource.ADMIN] += 1
            continue
        parsed = fee_parse(method.fee)
        source = {FIXED: FeeSource.PARSED, FREE: FeeSource.FREE}.get(
            parsed.kind, FeeSource.NEEDS_ADMIN
        )
        ProcedureFee.objects.update_or_create(
            procedure_id=method.procedure_id,
            channel=method.channel,
            defaults={
                "amount": parsed.amount,
                "source": source,
                "source_text": method.fee,
                "candidates": [str(value) for value in parsed.candidates],
                "exemptions": parsed.exemptions,
            },
        )
        counts[source] += 1
    return counts


def _request_event(dossier: Dossier) -> DossierEvent:
    event = (
        DossierEvent.objects.filter(dossier=dossier, action="request_payment")
        .order_by("-at", "-id")
        .first()
    )
    if event is None:
        raise DossierValidationError(_("Hồ sơ chưa có yêu cầu nộp phí, lệ phí."))
    return event


def _receipt_number(payment: Payment, now: dt.datetime) -> str:
    return f"BL{timezone.localtime(now):%Y}-{payment.pk:08d}"


@transaction.atomic
def payment_start(
    *, dossier_id: int, payer: User, return_url: str, client_ip: str, now: dt.datetime
) -> tuple[Payment, str]:
    """A pending online payment of the fee the dossier awaits, and the gateway URL to go to."""
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
    if dossier.applicant_id != payer.pk:
        raise DossierValidationError(_("Chỉ người nộp hồ sơ được thanh toán trực tuyến."))
    if dossier.status != DossierStatus.AWAITING_PAYMENT or not dossier.fee_amount:
        raise DossierValidationError(_("Hồ sơ không ở trạng thái chờ nộp phí, lệ phí."))
    request_event = _request_event(dossier)
    payment = Payment.objects.create(
        dossier=dossier,
        request_event=request_event,
        method=PaymentMethod.ONLINE,
        gateway=gateway().name,
        txn_ref=f"{dossier.pk}-{secrets.token_hex(6).upper()}",
        amount=dossier.fee_amount,
        payer=payer,
        created_at=now,
        expires_at=now + dt.timedelta(minutes=settings.PAYMENT_EXPIRE_MINUTES),
    )
    url = gateway().pay_url(
        txn_ref=payment.txn_ref,
        amount=payment.amount,
        order_info=order_info(payment, dossier),
        return_url=return_url,
        client_ip=client_ip,
        created_at=now,
        expires_at=payment.expires_at,
    )
    return payment, url


def order_info(payment: Payment, dossier: Dossier) -> str:
    """What the gateway shows and stores: ASCII only, as VNPAY asks."""
    return f"Nop phi le phi ho so {dossier.code} giao dich {payment.txn_ref}"


def _notice_log(
    *, params: dict, payment: Payment | None, answer: tuple[str, str], now: dt.datetime
) -> tuple[str, str]:
    PaymentNotice.objects.create(
        payment=payment,
        txn_ref=str(params.get("vnp_TxnRef", ""))[:40],
        received_at=now,
        params=params,
        answer_code=answer[0],
        answer=answer[1],
    )
    if answer[0] not in ("00", "02"):
        logger.warning(
            "Payment notice refused (%s %s) for %s", answer[0], answer[1], params.get("vnp_TxnRef")
        )
    return answer


@transaction.atomic
def payment_handle_notice(*, params: dict[str, str], now: dt.datetime) -> tuple[str, str]:
    """The gateway's server-to-server notice (IPN): check the signature, the order and the
    amount, then record the result once. A repeat or a late notice of a decided payment
    answers "already confirmed" and changes nothing; a success for a dossier that no longer
    awaits this fee (paid at the counter meanwhile) is kept as money to refund."""
    gw = gateway()
    if not gw.verify(params):
        return _notice_log(params=params, payment=None, answer=vnpay.IPN_INVALID_SIGNATURE, now=now)
    notice = gw.notice(params)
    payment = Payment.objects.select_for_update().filter(txn_ref=notice.txn_ref).first()
    if payment is None:
        return _notice_log(params=params, payment=None, answer=vnpay.IPN_NOT_FOUND, now=now)
    if notice.amount != payment.amount:
        return _notice_log(params=params, payment=payment, answer=vnpay.IPN_INVALID_AMOUNT, now=now)
    if payment.status not in (PaymentStatus.PENDING, PaymentStatus.EXPIRED):
        return _notice_log(
            params=params, payment=payment, answer=vnpay.IPN_ALREADY_CONFIRMED, now=now
        )
    payment.response_code = notice.response_code
    payment.gateway_transaction_no = notice.transaction_no
    payment.bank_code = notice.bank_code
    if not notice.success:
        payment.status = PaymentStatus.FAILED
        payment.save()
        return _notice_log(params=params, payment=payment, answer=vnpay.IPN_CONFIRMED, now=now)
    payment.paid_at = notice.pay_date or now
    payment.status = PaymentStatus.PAID
    already_paid = (
        Payment.objects.filter(request_event_id=payment.request_event_id, status="paid")
        .exclude(pk=payment.pk)
        .exists()
    )
    moved = None
    if not already_paid:
        moved = dossier_record_online_payment(
            dossier_id=payment.dossier_id,
            amount=payment.amount,
            reference=payment.txn_ref,
            now=now,
        )
    if moved is None:
        payment.status = PaymentStatus.REFUND_DUE
        logger.warning("Payment %s succeeded after the fee was settled: refund due", payment)
    payment.receipt_number = _receipt_number(payment, now)
    payment.save()
    return _notice_log(params=params, payment=payment, answer=vnpay.IPN_CONFIRMED, now=now)


def payment_counter_wants(payload: dict) -> bool:
    """Publish-time filter of "dossier.changed" (see outbox.registry): only a payment confirmed
    at the counter (not one paid online) can make a receipt (payloads without the action:
    unknown, so yes)."""
    if "action" not in payload:
        return True
    return payload["action"] == "confirm_payment" and not payload.get("paid_online")


def payment_record_counter_handler(payload: dict) -> str | None:
    """Outbox handler ("dossier.changed"): a counter payment a clerk confirmed gets its
    Payment row and e-receipt. Idempotent: the txn_ref names the event."""
    event = DossierEvent.objects.select_related("dossier").get(pk=payload["event_id"])
    if event.action != "confirm_payment" or event.data.get("paid_online"):
        return None
    request_event = (
        DossierEvent.objects.filter(
            dossier_id=event.dossier_id, action="request_payment", id__lt=event.pk
        )
        .order_by("-id")
        .first()
    )
    if request_event is None:
        return None
    amount = Decimal(request_event.data.get("fee_amount") or event.dossier.fee_amount or 0)
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                dossier_id=event.dossier_id,
                request_event=request_event,
                method=PaymentMethod.COUNTER,
                txn_ref=f"Q{event.pk}",
                amount=amount,
                status=PaymentStatus.PAID,
                payer=None,
                created_at=event.at,
                paid_at=event.at,
            )
            payment.receipt_number = _receipt_number(payment, event.at)
            payment.save(update_fields=["receipt_number"])
    except IntegrityError:
        return "exists"
    return payment.txn_ref


def payments_expire(*, now: dt.datetime) -> int:
    """Pending payments past their expiry: abandoned. A late success notice is still honoured
    (payment_handle_notice accepts EXPIRED)."""
    return Payment.objects.filter(
        status=PaymentStatus.PENDING, method=PaymentMethod.ONLINE, expires_at__lt=now
    ).update(status=PaymentStatus.EXPIRED)


def payments_reconcile(*, run_date: dt.date, now: dt.datetime) -> list[ReconciliationItem]:
    """Ask the gateway about every online payment started on `run_date` (local) and record
    those it and the portal disagree about."""
    start = timezone.make_aware(dt.datetime.combine(run_date, dt.time.min))
    payments = Payment.objects.filter(
        method=PaymentMethod.ONLINE, created_at__gte=start, created_at__lt=start + dt.timedelta(1)
    ).select_related("dossier")
    gw = gateway()
    found: list[ReconciliationItem] = []
    for payment in payments:
        status = gw.query(
            txn_ref=payment.txn_ref,
            order_info=order_info(payment, payment.dossier),
            created_at=payment.created_at,
        )
        portal_paid = payment.status in (PaymentStatus.PAID, PaymentStatus.REFUND_DUE)
        note = ""
        if status.paid and not portal_paid:
            note = "gateway paid, portal not"
        elif portal_paid and not status.paid:
            note = "portal paid, gateway not"
        elif status.paid and status.amount != payment.amount:
            note = "amounts differ"
        if not note:
            continue
        item, _created = ReconciliationItem.objects.update_or_create(
            run_date=run_date,
            payment=payment,
            defaults={
                "portal_status": payment.status,
                "gateway_status": status.transaction_status if status.found else "not found",
                "gateway_amount": status.amount,
                "note": note,
            },
        )
        found.append(item)
    return found
