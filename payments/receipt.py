"""The e-receipt (biên lai điện tử) of one payment, online or at the counter, as PDF."""

from django.utils import timezone

from dossiers.pdf.base import Signature, long_moment
from dossiers.pdf.context import letterhead_for
from dossiers.pdf.official_form import OfficialForm
from payments.models import Payment, PaymentMethod


def amount_text(amount) -> str:
    """200000 -> '200.000 đồng' (Vietnamese thousands separator)."""
    return f"{int(amount):,} đồng".replace(",", ".")


def render_receipt(payment: Payment) -> bytes:
    dossier = payment.dossier
    pdf = OfficialForm(title=f"Biên lai {payment.receipt_number}")
    pdf.header_block(
        letterhead=letterhead_for(dossier.desk),
        number=f"Số: {payment.receipt_number}",
        when=payment.paid_at or timezone.now(),
    )
    pdf.write_line("BIÊN LAI THU PHÍ, LỆ PHÍ", style="B", size=14, align="C")
    pdf.write_line("(Biên lai điện tử)", style="I", align="C")
    pdf.ln(4)
    method = (
        f"Trực tuyến qua cổng thanh toán {payment.gateway.upper()}"
        if payment.method == PaymentMethod.ONLINE
        else "Nộp trực tiếp tại bộ phận một cửa"
    )
    rows = [
        ("Người nộp", dossier.applicant_name),
        ("Hồ sơ", dossier.code or ""),
        ("Thủ tục", dossier.procedure.name),
        ("Số tiền", amount_text(payment.amount)),
        ("Hình thức", method),
        ("Mã giao dịch", payment.txn_ref),
        ("Mã giao dịch tại cổng thanh toán", payment.gateway_transaction_no or "—"),
        ("Thời điểm thanh toán", long_moment(payment.paid_at)),
        ("Trạng thái", str(payment.get_status_display())),
    ]
    for label, value in rows:
        pdf.write_line(f"{label}: {value}")
    pdf.ln(8)
    signer = Signature(title="ĐƠN VỊ THU", hint="(Biên lai điện tử, không cần chữ ký)")
    pdf.write_line(signer.title, style="B", align="R")
    pdf.write_line(signer.hint, style="I", size=10, align="R")
    return bytes(pdf.output())
