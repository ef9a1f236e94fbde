"""Reads of the payments app."""

from django.db.models import QuerySet

from dossiers.models import Dossier
from payments.models import Payment, ProcedureFee, ReconciliationItem


def fee_for(*, dossier: Dossier) -> ProcedureFee | None:
    """The catalog fee of the dossier's procedure on its channel (for exemptions and reference;
    the amount to pay is the one the agency asked for)."""
    return ProcedureFee.objects.filter(
        procedure_id=dossier.procedure_id, channel=dossier.channel
    ).first()


def payment_list_for_dossier(*, dossier: Dossier) -> list[Payment]:
    return list(Payment.objects.filter(dossier=dossier).order_by("created_at", "id"))


def payment_by_txn_ref(*, txn_ref: str) -> Payment | None:
    return Payment.objects.select_related("dossier").filter(txn_ref=txn_ref).first()


def payment_by_receipt(*, number: str) -> Payment | None:
    return (
        Payment.objects.select_related("dossier__procedure", "dossier__desk__unit")
        .filter(receipt_number=number)
        .first()
    )


def reconciliation_list(*, run_date=None) -> QuerySet[ReconciliationItem]:
    items = ReconciliationItem.objects.select_related("payment__dossier")
    return items.filter(run_date=run_date) if run_date else items
