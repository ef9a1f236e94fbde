"""The dossier (hồ sơ), its documents, its audit events and its rating."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from onestop.models import SatisfactionLevel
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


def dossier_status_label(status: str) -> str:
    """What `dossier.get_status_display()` gives (the value itself when unknown), without
    rebuilding the field's choices on every call as Django does."""
    label = _STATUS_LABELS.get(status)
    return status if label is None else str(label)


_STATUS_LABELS = dict(DossierStatus.choices)


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


class SupplementStage(models.TextChoices):
    """Where a supplement request (Mẫu 02) was made: Decree 61 allows one per stage."""

    RECEPTION = "reception", _("Khi tiếp nhận")
    PROCESSING = "processing", _("Trong quá trình giải quyết")


# States in which the dossier is still with the administration (the clock may be running).
PENDING_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
    DossierStatus.WITHDRAWAL_REQUESTED,
)
# Where the applicant may ask to withdraw; the desk then accepts (`withdraw`).
WITHDRAWABLE_STATUSES = (
    DossierStatus.NEW,
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
)
# Where the clock runs (or is paused) and an apology (Mẫu 04) or a stop can still happen.
OPEN_STATUSES = (
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
)


class Dossier(FSMModelMixin, models.Model):
    """A dossier for one procedure, received at one desk. `due_at` is the appointment."""

    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Empty only on a draft: the applicant may save before choosing where to submit.
    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        null=True,
        blank=True,
    )
    current_desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("đang ở bộ phận"),
        on_delete=models.PROTECT,
        related_name="dossiers_held",
        null=True,
        blank=True,
    )
    handling_agency = models.ForeignKey(
        "onestop.Agency",
        verbose_name=_("cơ quan xử lý"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        null=True,
        blank=True,
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        on_delete=models.PROTECT,
        related_name="dossiers",
        null=True,
        blank=True,
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=150)
    applicant_cccd = models.CharField(_("số CCCD"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    applicant_organisation = models.CharField(
        _("tổ chức, doanh nghiệp"), max_length=255, blank=True
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)
    status = FSMField(
        _("trạng thái"),
        default=DossierStatus.DRAFT,
        choices=DossierStatus.choices,
        protected=True,
        db_index=True,
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    rescheduled_due_at = models.DateTimeField(
        _("hẹn lại (phiếu xin lỗi)"),
        null=True,
        blank=True,
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
    deadline_explanation = models.TextField(_("cách tính hạn"), blank=True)
    supplement_stage = models.CharField(
        _("giai đoạn yêu cầu bổ sung"), max_length=12, choices=SupplementStage.choices, blank=True
    )
    supplement_requested_at_reception = models.BooleanField(default=False, editable=False)
    supplement_requested_in_processing = models.BooleanField(default=False, editable=False)
    supplement_items = models.JSONField(_("giấy tờ cần bổ sung"), default=list, blank=True)
    status_before_withdrawal = models.CharField(max_length=30, blank=True, editable=False)
    refusal_reason = models.TextField(_("lý do không tiếp nhận"), blank=True)
    stop_reason = models.TextField(_("lý do dừng xử lý"), blank=True)
    withdrawal_reason = models.TextField(_("lý do rút hồ sơ"), blank=True)
    apology_reason = models.TextField(_("lý do xin lỗi, hẹn lại"), blank=True)
    apology_agency = models.ForeignKey(
        "onestop.Agency",
        verbose_name=_("cơ quan gây chậm trễ"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    apologized_at = models.DateTimeField(_("xin lỗi lúc"), null=True, blank=True)
    paid_at = models.DateTimeField(_("thanh toán lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "idempotency_key"], name="dossier_unique_idempotency_key"
            ),
            models.CheckConstraint(
                condition=models.Q(desk__isnull=False) | models.Q(status="draft"),
                name="dossier_desk_unless_draft",
            ),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def national_status_number(self) -> int | None:
        return NATIONAL_STATUS_NUMBERS.get(self.status)

    @property
    def appointment_at(self):
        """The date shown to the applicant: the apology's new date when there is one."""
        return self.rescheduled_due_at or self.due_at

    def is_overdue(self, now) -> bool:
        return bool(self.status in PENDING_STATUSES and self.due_at and self.due_at < now)

    # Transitions: pure (source, target, conditions, fields on self). The services in
    # dossiers.services lock the row, check permissions, write events and schedule side effects;
    # dossiers.workflow maps action names to these methods.

    def _supplement_allowed(self) -> bool:
        if self.status == DossierStatus.NEW:
            return not self.supplement_requested_at_reception
        return not self.supplement_requested_in_processing

    def _before_due(self) -> bool:
        return self.due_at is not None and self.finished_at is None

    @transition(field=status, source=DossierStatus.DRAFT, target=DossierStatus.NEW)
    def submit(self, *, code: str, now) -> None:
        self.code = code
        self.submitted_at = now

    @transition(field=status, source=DossierStatus.NEW, target=DossierStatus.RECEIVED)
    def receive(self, *, now, due_at, explanation: str) -> None:
        self.received_at = now
        self.due_at = due_at
        self.deadline_explanation = explanation
        self.supplement_stage = ""
        self.supplement_items = []

    @transition(field=status, source=DossierStatus.NEW, target=DossierStatus.NOT_ACCEPTED)
    def refuse_reception(self, *, reason: str, now) -> None:
        self.refusal_reason = reason
        self.finished_at = now

    @transition(
        field=status,
        source=[DossierStatus.NEW, DossierStatus.PROCESSING],
        target=DossierStatus.SUPPLEMENT_REQUESTED,
        conditions=[_supplement_allowed],
    )
    def request_supplement(self, *, items: list[dict], now) -> None:
        self.supplement_items = items
        if self.status == DossierStatus.NEW:
            self.supplement_stage = SupplementStage.RECEPTION
            self.supplement_requested_at_reception = True
        else:
            self.supplement_stage = SupplementStage.PROCESSING
            self.supplement_requested_in_processing = True
            self.paused_at = now

    @transition(
        field=status,
        source=DossierStatus.SUPPLEMENT_REQUESTED,
        target=RETURN_VALUE(DossierStatus.NEW, DossierStatus.PROCESSING),
    )
    def submit_supplement(self, *, due_at=None) -> str:
        """Back to the desk's check (reception stage) or to processing with the new due date."""
        stage = self.supplement_stage
        self.supplement_stage = ""
        self.supplement_items = []
        if stage == SupplementStage.RECEPTION:
            return DossierStatus.NEW
        self.paused_at = None
        if due_at is not None:
            self.due_at = due_at
        return DossierStatus.PROCESSING

    @transition(field=status, source=DossierStatus.RECEIVED, target=DossierStatus.PROCESSING)
    def start_processing(self, *, agency, desk) -> None:
        self.handling_agency = agency
        self.current_desk = desk

    @transition(field=status, source=DossierStatus.PROCESSING, target=DossierStatus.PROCESSING)
    def hand_off(self, *, agency, desk) -> None:
        self.handling_agency = agency
        self.current_desk = desk

    @transition(
        field=status, source=DossierStatus.PROCESSING, target=DossierStatus.AWAITING_PAYMENT
    )
    def request_payment(self, *, amount) -> None:
        self.fee_amount = amount

    @transition(
        field=status, source=DossierStatus.AWAITING_PAYMENT, target=DossierStatus.PROCESSING
    )
    def confirm_payment(self, *, online: bool, now) -> None:
        self.paid_online = online
        self.paid_at = now

    @transition(
        field=status,
        source=list(WITHDRAWABLE_STATUSES),
        target=DossierStatus.WITHDRAWAL_REQUESTED,
    )
    def request_withdrawal(self, *, reason: str) -> None:
        self.status_before_withdrawal = self.status
        self.withdrawal_reason = reason

    @transition(
        field=status, source=DossierStatus.WITHDRAWAL_REQUESTED, target=DossierStatus.WITHDRAWN
    )
    def withdraw(self, *, now) -> None:
        self.finished_at = now

    @transition(field=status, source=list(OPEN_STATUSES), target=DossierStatus.STOPPED)
    def stop(self, *, reason: str, now) -> None:
        self.stop_reason = reason
        self.finished_at = now
        self.paused_at = None

    @transition(field=status, source=list(OPEN_STATUSES), target=None, conditions=[_before_due])
    def apologize(self, *, reason: str, new_due_at, agency, now) -> None:
        self.apology_reason = reason
        self.rescheduled_due_at = new_due_at
        self.apology_agency = agency
        self.apologized_at = now

    @transition(field=status, source=DossierStatus.PROCESSING, target=DossierStatus.RESOLVED)
    def resolve(self, *, result: str, note: str, now, outcome: str) -> None:
        self.result = result
        self.result_note = note
        self.finished_at = now
        self.outcome = outcome
        self.current_desk = self.desk

    @transition(field=status, source=DossierStatus.RESOLVED, target=DossierStatus.RETURNED)
    def return_result(self, *, now) -> None:
        self.returned_at = now


class DossierEvent(models.Model):
    """Append-only audit trail: the citizen's timeline and the control slip (Mẫu 05)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(_("thao tác"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
    # The audit chain (dossiers/services/chain.py): the event's place in the whole log, the hash
    # of the event before it and its own hash over its content and that previous hash.
    chain_position = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    prev_hash = models.CharField(_("mã băm sự kiện trước"), max_length=64, blank=True)
    hash = models.CharField(_("mã băm"), max_length=64, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("nhật ký xử lý hồ sơ")
        verbose_name_plural = _("nhật ký xử lý hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier} {self.action} {self.at:%d/%m/%Y %H:%M}"


class AuditChainHead(models.Model):
    """The single row holding the end of the audit chain; writers lock it to append in turn."""

    position = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.position} {self.last_hash[:12]}"


class DossierLeg(models.Model):
    """One hand-off on the control slip (Mẫu 05): who sent it where, its share of time, outcome."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    from_desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bên giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    from_agency = models.ForeignKey(
        "onestop.Agency",
        verbose_name=_("cơ quan giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bên nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legs_received",
    )
    to_agency = models.ForeignKey(
        "onestop.Agency",
        verbose_name=_("cơ quan nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legs_received",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    started_at = models.DateTimeField(_("nhận lúc"))
    due_at = models.DateTimeField(_("hạn của bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("chuyển tiếp lúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=10, choices=DossierOutcome.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["dossier", "position"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "position"], name="dossier_leg_position")
        ]
        verbose_name = _("bước luân chuyển hồ sơ")
        verbose_name_plural = _("phiếu kiểm soát quá trình giải quyết")

    def __str__(self) -> str:
        return f"{self.dossier} #{self.position}"


class DailySequence(models.Model):
    """The last dossier number of one agency on one local day (Circular 01/2018, article 19)."""

    agency_code = models.CharField(max_length=20)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="daily_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day:%d/%m/%Y}: {self.last_number}"


class DossierDocument(models.Model):
    """A file of a dossier: submitted, supplemented or a result; served after permission checks."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Thành phần hồ sơ")
        SUPPLEMENT = "supplement", _("Bổ sung")
        RESULT = "result", _("Kết quả")
        FORM = "form", _("Tờ khai do cổng tạo")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "procedures.RequiredDocument",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
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
