"""Fees as data, payments with their gateway notices, the daily reconciliation, and the sandbox
gateway's own ledger (what a real VNPAY keeps on its side)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.models import Channel


class FeeSource(models.TextChoices):
    PARSED = "parsed", _("Đọc từ văn bản thủ tục")
    FREE = "free", _("Miễn phí")
    NEEDS_ADMIN = "needs_admin", _("Chờ quản trị viên nhập")
    ADMIN = "admin", _("Quản trị viên nhập")


class ProcedureFee(models.Model):
    """The fee of one procedure on one channel, in VND: read from the catalog text where it
    says one amount, otherwise set by an administrator (`amount` stays empty until then)."""

    procedure = models.ForeignKey(
        "procedures.Procedure", on_delete=models.CASCADE, related_name="fees"
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    amount = models.DecimalField(
        _("số tiền (đồng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    source = models.CharField(_("nguồn"), max_length=12, choices=FeeSource.choices)
    source_text = models.TextField(_("văn bản phí, lệ phí"), blank=True)
    candidates = models.JSONField(_("các mức trong văn bản"), default=list, blank=True)
    exemptions = models.TextField(_("đối tượng miễn, giảm"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["procedure", "channel"], name="fee_one_per_channel")
        ]
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.channel}: {self.amount}"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Chờ thanh toán")
    PAID = "paid", _("Đã thanh toán")
    FAILED = "failed", _("Không thành công")
    EXPIRED = "expired", _("Hết hạn")
    REFUND_DUE = "refund_due", _("Đã thu, cần hoàn tiền")


class PaymentMethod(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    COUNTER = "counter", _("Tại quầy")


class Payment(models.Model):
    """One attempt to pay the fee a dossier was asked for (`request_event`: the
    request_payment DossierEvent). At most one PAID payment per request: a repeated or late
    notice can never pay twice (constraint below, plus a row lock in the services)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    request_event = models.ForeignKey(
        "dossiers.DossierEvent", on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("hình thức"), max_length=10, choices=PaymentMethod.choices)
    gateway = models.CharField(_("cổng thanh toán"), max_length=20, blank=True)
    txn_ref = models.CharField(_("mã giao dịch"), max_length=40, unique=True)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=14, decimal_places=0)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=PaymentStatus.choices, default="pending"
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    gateway_transaction_no = models.CharField(_("mã giao dịch tại cổng"), max_length=40, blank=True)
    bank_code = models.CharField(_("ngân hàng"), max_length=20, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=4, blank=True)
    receipt_number = models.CharField(
        _("số biên lai"), max_length=30, unique=True, null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request_event"],
                condition=models.Q(status="paid"),
                name="payment_paid_once_per_request",
            )
        ]
        verbose_name = _("thanh toán")
        verbose_name_plural = _("thanh toán")

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.get_status_display()})"


class PaymentNotice(models.Model):
    """Every notice a gateway sent (IPN), accepted or refused, with the answer given: the log of
    tampered signatures, wrong amounts and repeats."""

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="notices"
    )
    txn_ref = models.CharField(max_length=40, blank=True)
    received_at = models.DateTimeField()
    params = models.JSONField(default=dict)
    answer_code = models.CharField(max_length=4)
    answer = models.CharField(max_length=100)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("thông báo từ cổng thanh toán")
        verbose_name_plural = _("thông báo từ cổng thanh toán")

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.answer_code}"


class ReconciliationItem(models.Model):
    """A payment the gateway and the portal disagree about, found by one daily run."""

    run_date = models.DateField(_("ngày đối soát"))
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="+")
    portal_status = models.CharField(_("trạng thái tại cổng DVC"), max_length=12)
    gateway_status = models.CharField(_("trạng thái tại cổng thanh toán"), max_length=40)
    gateway_amount = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        ordering = ["-run_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run_date", "payment"], name="reconcile_once_per_day")
        ]
        verbose_name = _("chênh lệch đối soát")
        verbose_name_plural = _("chênh lệch đối soát")

    def __str__(self) -> str:
        return f"{self.run_date} {self.payment_id}: {self.note}"


class SandboxTransaction(models.Model):
    """The local sandbox gateway's ledger: what it approved or declined (as VNPAY would)."""

    tmn_code = models.CharField(max_length=20)
    txn_ref = models.CharField(max_length=40, unique=True)
    amount = models.BigIntegerField()  # in VNPAY's unit: VND x 100
    order_info = models.CharField(max_length=255)
    create_date = models.CharField(max_length=14)
    transaction_no = models.CharField(max_length=20, unique=True)
    response_code = models.CharField(max_length=2)
    transaction_status = models.CharField(max_length=2)
    bank_code = models.CharField(max_length=20)
    pay_date = models.CharField(max_length=14)
    return_url = models.URLField(max_length=500)
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.response_code}"
