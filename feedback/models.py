"""Feedback and petitions: what the person sent, whom it is for, its deadline and its answer."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    COMPLAINT = "complaint", _("Phản ánh")
    PETITION = "petition", _("Kiến nghị")


class FeedbackSubject(models.TextChoices):
    PROCEDURE = "procedure", _("Một thủ tục hành chính")
    DESK = "desk", _("Một bộ phận một cửa")
    DOSSIER = "dossier", _("Một hồ sơ đã nộp")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")


class FeedbackOutcome(models.TextChoices):
    ON_TIME = "on_time", _("Trả lời đúng hạn")
    LATE = "late", _("Trả lời quá hạn")


class Feedback(models.Model):
    """One feedback or petition; its agency (or, without one, its desk) answers by `due_at`."""

    code = models.CharField(_("mã phản ánh"), max_length=20, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=FeedbackKind.choices)
    subject = models.CharField(_("về"), max_length=20, choices=FeedbackSubject.choices)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.PROTECT,
        related_name="feedback",
        help_text=_("Bộ phận một cửa liên quan; trả lời khi không có cơ quan xử lý phụ trách."),
    )
    # The agency that answers (the one handling the procedure's sector at the desk's unit, or
    # the dossier's handling agency); empty: the desk answers itself.
    agency = models.ForeignKey(
        "onestop.Agency",
        verbose_name=_("cơ quan trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    routed_at = models.DateTimeField(_("chuyển cơ quan lúc"), null=True, blank=True)
    routed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chuyển"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_routed",
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_sent",
    )
    sender_name = models.CharField(_("họ tên người gửi"), max_length=150)
    sender_phone = models.CharField(_("số điện thoại"), max_length=15)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    organisation = models.CharField(_("tổ chức, doanh nghiệp"), max_length=255, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    is_public = models.BooleanField(
        _("đồng ý công khai"),
        default=False,
        help_text=_("Người gửi đồng ý công khai nội dung (không kèm thông tin cá nhân)."),
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback_answered",
    )
    outcome = models.CharField(
        _("kết quả"), max_length=20, choices=FeedbackOutcome.choices, blank=True
    )
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    # The sender was told of the answer (the outbox handler's mark: a retry sends nothing).
    answer_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["desk", "status", "due_at"], name="feedback_desk_status_due"),
            models.Index(fields=["status", "due_at"], name="feedback_status_due"),
            models.Index(fields=["agency", "status", "due_at"], name="feedback_agency_status_due"),
            models.Index(fields=["published_at"], name="feedback_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(published_at__isnull=False)
                | (models.Q(is_public=True) & models.Q(status="answered")),
                name="feedback_published_only_public_answered",
            )
        ]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class FeedbackAttachment(models.Model):
    """A file sent with the feedback, checked like dossier documents (dossiers.services)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name


class FeedbackReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn trả lời")
    OVERDUE = "overdue", _("Quá hạn trả lời")


class FeedbackReminderLog(models.Model):
    """One reminder decided: unique per feedback, kind and deadline, so a rescan adds nothing;
    `delivered_at` makes its (outbox) delivery idempotent too."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("loại nhắc"), max_length=20, choices=FeedbackReminderKind.choices)
    due_at = models.DateTimeField(_("hạn trả lời"))
    created_at = models.DateTimeField(_("tạo lúc"))
    delivered_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "kind", "due_at"], name="feedback_reminder_once"
            )
        ]
        verbose_name = _("nhắc hạn trả lời")
        verbose_name_plural = _("nhắc hạn trả lời")

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.kind}"
