"""The operations centre: the lateness model, each open dossier's risk, escalations."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LatenessModel(models.Model):
    """One training of the lateness model: empirical shares per (procedure, desk, ...) key."""

    trained_at = models.DateTimeField(_("huấn luyện lúc"))
    history_until = models.DateTimeField(_("dữ liệu đến"))
    samples = models.PositiveIntegerField(_("số hồ sơ học"), default=0)
    table = models.JSONField(default=dict)

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("mô hình dự báo trễ hạn")
        verbose_name_plural = _("mô hình dự báo trễ hạn")

    def __str__(self) -> str:
        return f"{self.trained_at:%d/%m/%Y %H:%M} ({self.samples})"


class DossierRisk(models.Model):
    """The latest lateness prediction for one dossier in progress."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="lateness_risk"
    )
    desk = models.ForeignKey("onestop.Desk", on_delete=models.CASCADE, related_name="+")
    risk = models.FloatField(_("nguy cơ trễ hạn"), db_index=True)
    estimated_finish = models.DateTimeField(_("dự kiến xong"), null=True, blank=True)
    reasons = models.JSONField(default=list)
    scored_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        ordering = ["-risk"]
        verbose_name = _("nguy cơ trễ hạn")
        verbose_name_plural = _("nguy cơ trễ hạn")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.risk:.2f}"


class DeskEscalationSetting(models.Model):
    """A desk's own risk threshold for escalation (else settings.IOC_ESCALATION_THRESHOLD)."""

    desk = models.OneToOneField(
        "onestop.Desk", on_delete=models.CASCADE, related_name="escalation_setting"
    )
    threshold = models.FloatField(_("ngưỡng nguy cơ báo động"), default=0.6)

    class Meta:
        verbose_name = _("ngưỡng báo động của bộ phận")
        verbose_name_plural = _("ngưỡng báo động của bộ phận")

    def __str__(self) -> str:
        return f"{self.desk}: {self.threshold:.2f}"


class EscalationLevel(models.TextChoices):
    DESK_HEAD = "desk_head", _("Trưởng bộ phận một cửa")
    UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")


class Escalation(models.Model):
    """One escalation of one dossier at one level: at most once (the unique constraint)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.CharField(_("cấp"), max_length=20, choices=EscalationLevel.choices)
    risk = models.FloatField(_("nguy cơ"))
    raised_at = models.DateTimeField(_("báo lúc"))
    notified_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "level"], name="escalation_once_per_level")
        ]
        verbose_name = _("báo động trễ hạn")
        verbose_name_plural = _("báo động trễ hạn")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.level}"
