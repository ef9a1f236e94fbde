"""Reads of the payments app."""

from django.utils.translation import gettext as _

from dossiers.hooks import ActionDefaults
from dossiers.models import Dossier
from payments.models import FeeSource, Payment, ProcedureFee


def fee_for(*, dossier: Dossier) -> ProcedureFee | None:
    """The catalog fee of the dossier's procedure on its channel (for exemptions and reference;
    the amount to pay is the one the agency asked for)."""
    return ProcedureFee.objects.filter(
        procedure_id=dossier.procedure_id, channel=dossier.channel
    ).first()


def _vnd(amount) -> str:
    return f"{int(amount):,}".replace(",", ".") + " đồng"


def fee_request_defaults(*, dossier: Dossier, action: str) -> ActionDefaults | None:
    """For "request payment" (dossiers.hooks): the catalog fee of the dossier's procedure on its
    channel as the amount when the catalog has one, with its exemptions; the clerk may change
    it. Free or not yet known: no amount, and a note saying so."""
    if action != "request_payment":
        return None
    fee = fee_for(dossier=dossier)
    if fee is None:
        return None
    initial: dict = {}
    notes: list[str] = []
    if fee.amount is not None and fee.amount > 0:
        initial["fee_amount"] = fee.amount
        notes.append(
            _("Mức phí, lệ phí theo danh mục thủ tục (kênh %(channel)s): %(amount)s.")
            % {"channel": fee.get_channel_display(), "amount": _vnd(fee.amount)}
        )
    elif fee.source == FeeSource.FREE or fee.amount == 0:
        notes.append(_("Danh mục thủ tục ghi thủ tục này miễn phí, lệ phí trên kênh này."))
    else:
        notes.append(
            _("Danh mục thủ tục chưa có một mức phí xác định: %(text)s")
            % {"text": fee.source_text or "—"}
        )
    if fee.exemptions:
        notes.append(_("Đối tượng miễn, giảm: %(text)s") % {"text": fee.exemptions})
    return ActionDefaults(initial=initial, notes=notes)


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
