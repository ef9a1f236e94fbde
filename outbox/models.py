"""The transactional outbox: side effects of a committed change, one row per handler."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    DEAD = "dead", _("Hỏng (hết lượt thử)")


class OutboxMessage(models.Model):
    """One side effect (a citizen notice, a rollup refresh, a push to another system) written in
    the same transaction as the change that causes it, delivered after commit by a task or the
    sweep, and marked sent once its handler returned. `key` makes publishing idempotent."""

    handler = models.CharField(_("bộ xử lý"), max_length=100)
    key = models.CharField(_("khóa chống trùng"), max_length=200, unique=True)
    payload = models.JSONField(_("dữ liệu"), default=dict)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    created_at = models.DateTimeField(_("tạo lúc"))
    available_at = models.DateTimeField(_("gửi từ lúc"))
    # A delivery claims the row until this moment; a crashed worker's claim simply expires.
    claimed_until = models.DateTimeField(_("đang gửi đến"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["available_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due_idx",
            )
        ]
        verbose_name = _("tác vụ sau giao dịch")
        verbose_name_plural = _("tác vụ sau giao dịch")

    def __str__(self) -> str:
        return f"{self.handler} #{self.pk} ({self.get_status_display()})"
