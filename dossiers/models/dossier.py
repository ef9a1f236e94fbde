"""The dossier (hồ sơ), its documents, its audit events and its rating."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin

from procedures.models import Channel


class DossierStatus(models.TextChoices):
    """The national portal's status list (numbers in NATIONAL_STATUS_NUMBERS), plus local states."""

    DRAFT = "draft", _("Bản nháp")
    NEW = "new", _("Mới đăng ký")
    RECEIVED = "received", _("Được tiếp nhận")
    NOT_ACCEPTED = "not_accepted", _("Không được tiếp nhận")
    PROCESSING = "processing", _("Đang xử lý")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung giấy tờ")
    AWAITING_PAYMENT = "awaiting_payment", _("Yêu cầu thực hiện nghĩa vụ tài chính")
    WITHDRAWAL_REQUESTED = "withdrawal_requested", _("Công dân yêu cầu rút hồ sơ")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")
    STOPPED = "stopped", _("Dừng xử lý")
    RESOLVED = "resolved", _("Đã xử lý xong")
    RETURNED = "returned", _("Đã trả kết quả")


NATIONAL_STATUS_NUMBERS = {
    DossierStatus.NEW: 1,
    DossierStatus.RECEIVED: 2,
    DossierStatus.NOT_ACCEPTED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.SUPPLEMENT_REQUESTED: 5,
    DossierStatus.AWAITING_PAYMENT: 6,
    DossierStatus.WITHDRAWAL_REQUESTED: 7,
    DossierStatus.WITHDRAWN: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.RESOLVED: 9,
    DossierStatus.RETURNED: 10,
}


class DossierOutcome(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Trễ hạn")


class DossierResult(models.TextChoices):
    APPROVED = "approved", _("Giải quyết (có kết quả)")
    REFUSED = "refused", _("Từ chối giải quyết (nêu lý do)")


class Dossier(FSMModelMixin, models.Model):
    """A dossier for one procedure, received at one desk. `due_at` is the appointment."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT,
        related_name="dossiers",
    )
    desk = models.ForeignKey(
        "onestop.Desk", verbose_name=_("nơi tiếp nhận"), on_delete=models.PROTECT,
        related_name="dossiers",
    )
    current_desk = models.ForeignKey(
        "onestop.Desk", verbose_name=_("đang ở bộ phận"), on_delete=models.PROTECT,
        related_name="dossiers_held", null=True, blank=True,
    )
    handling_agency = models.ForeignKey(
        "onestop.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT,
        related_name="dossiers", null=True, blank=True,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tài khoản người nộp"), on_delete=models.PROTECT,
        related_name="dossiers", null=True, blank=True,
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150)
    applicant_cccd = models.CharField(_("số CCCD"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    applicant_organisation = models.CharField(_("tổ chức, doanh nghiệp"), max_length=255, blank=True)
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    status = FSMField(
        _("trạng thái"), default=DossierStatus.DRAFT, choices=DossierStatus.choices,
        protected=True, db_index=True,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    rescheduled_due_at = models.DateTimeField(
        _("hẹn lại (phiếu xin lỗi)"), null=True, blank=True,
        help_text=_("Ngày hẹn mới trên phiếu xin lỗi; hồ sơ vẫn tính trễ hạn theo ngày hẹn gốc."),
    )
    paused_at = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("giải quyết xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=10, choices=DossierOutcome.choices, blank=True
    )
    result = models.CharField(
        _("kết quả giải quyết"), max_length=10, choices=DossierResult.choices, blank=True
    )
    result_note = models.TextField(_("ghi chú kết quả"), blank=True)
    fee_amount = models.DecimalField(
        _("phí, lệ phí"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), default=False)
    digitised_at_reception = models.BooleanField(_("số hóa khi tiếp nhận"), default=False)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"], name="dossier_unique_idempotency_key"
            )
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def national_status_number(self) -> int | None:
        return NATIONAL_STATUS_NUMBERS.get(self.status)


class DossierEvent(models.Model):
    """Append-only audit trail: the citizen's timeline and the control slip (Mẫu 05)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="+",
    )
    actor_role = models.CharField(_("vai trò"), max_length=20, blank=True)
    desk = models.ForeignKey(
        "onestop.Desk", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "onestop.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=30, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=30, blank=True)
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    note = models.TextField(_("ghi chú"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("nhật ký xử lý hồ sơ")
        verbose_name_plural = _("nhật ký xử lý hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} {self.at:%d/%m/%Y %H:%M}"


class DossierDocument(models.Model):
    """A file of a dossier: submitted, supplemented or a result. Served only after permission checks."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Bổ sung")
        RESULT = "result", _("Kết quả")
        FORM = "form", _("Tờ khai do cổng tạo")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "procedures.RequiredDocument", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    event = models.ForeignKey(
        DossierEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUBMITTED)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")

    def __str__(self) -> str:
        return self.original_name


class SatisfactionLevel(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


class SatisfactionRating(models.Model):
    """The applicant's rating of a returned dossier, once."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    level = models.CharField(_("mức độ hài lòng"), max_length=20, choices=SatisfactionLevel.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_level_display()}"
