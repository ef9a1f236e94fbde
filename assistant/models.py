"""What citizens asked that the catalog could not answer well, grouped to grow the lexicon."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnansweredQuestion(models.Model):
    """One row per distinct question (folded, personal data removed), counted each time it comes.

    Only low-confidence and unanswered questions are kept, never dossier-status messages.
    """

    class Reason(models.TextChoices):
        LOW_CONFIDENCE = "low_confidence", _("Độ tin cậy thấp")
        NO_MATCH = "no_match", _("Không tìm thấy thủ tục")

    normalized = models.CharField(_("câu hỏi (chuẩn hóa)"), max_length=300, unique=True)
    example = models.TextField(_("ví dụ (đã che thông tin cá nhân)"))
    reason = models.CharField(_("lý do"), max_length=20, choices=Reason.choices)
    best_code = models.CharField(_("thủ tục gần nhất"), max_length=32, blank=True)
    count = models.PositiveIntegerField(_("số lần hỏi"), default=1)
    first_asked_at = models.DateTimeField(_("lần đầu"), auto_now_add=True)
    last_asked_at = models.DateTimeField(_("lần gần nhất"), auto_now=True)

    class Meta:
        ordering = ["-count", "-last_asked_at"]
        verbose_name = _("câu hỏi chưa trả lời được")
        verbose_name_plural = _("câu hỏi chưa trả lời được")

    def __str__(self) -> str:
        return self.example[:80]
