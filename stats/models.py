"""Statistics rollups (desk × procedure × day, desk × day), reminder log and staff notifications.

The rollups are derived data: `onestop.services.stats.rollup_rebuild` recomputes any cell from
the raw dossiers, and `onestop.selectors.stats` reads them. Which day a count lands on:
received_*, pending_* -> local day of `received_at`; resolved_* -> local day of `finished_at`;
returned -> local day of `returned_at`; supplement_requests -> local day of the event;
rating_* -> local day the rating was given.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Every counter column of the rollups, in display order. Selectors sum exactly these.
STAT_FIELDS: tuple[str, ...] = (
    "received",
    "received_direct",
    "received_online",
    "received_postal",
    "received_with_fee",
    "received_paid_online",
    "received_digitised",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_online",
    "pending_not_due",
    "pending_overdue",
    "returned",
    "supplement_requests",
    "rating_very_satisfied",
    "rating_satisfied",
    "rating_unsatisfied",
)


class StatCounts(models.Model):
    """The counters shared by both rollup tables."""

    received = models.PositiveIntegerField(_("tiếp nhận"), default=0)
    received_direct = models.PositiveIntegerField(_("tiếp nhận trực tiếp"), default=0)
    received_online = models.PositiveIntegerField(_("tiếp nhận trực tuyến"), default=0)
    received_postal = models.PositiveIntegerField(_("tiếp nhận qua bưu chính"), default=0)
    received_with_fee = models.PositiveIntegerField(_("hồ sơ có phí, lệ phí"), default=0)
    received_paid_online = models.PositiveIntegerField(_("thanh toán trực tuyến"), default=0)
    received_digitised = models.PositiveIntegerField(_("số hóa khi tiếp nhận"), default=0)
    resolved_early = models.PositiveIntegerField(_("giải quyết trước hạn"), default=0)
    resolved_on_time = models.PositiveIntegerField(_("giải quyết đúng hạn"), default=0)
    resolved_late = models.PositiveIntegerField(_("giải quyết trễ hạn"), default=0)
    resolved_online = models.PositiveIntegerField(_("giải quyết hồ sơ trực tuyến"), default=0)
    pending_not_due = models.PositiveIntegerField(_("đang giải quyết trong hạn"), default=0)
    pending_overdue = models.PositiveIntegerField(_("đang giải quyết quá hạn"), default=0)
    returned = models.PositiveIntegerField(_("đã trả kết quả"), default=0)
    supplement_requests = models.PositiveIntegerField(_("yêu cầu bổ sung"), default=0)
    rating_very_satisfied = models.PositiveIntegerField(_("rất hài lòng"), default=0)
    rating_satisfied = models.PositiveIntegerField(_("hài lòng"), default=0)
    rating_unsatisfied = models.PositiveIntegerField(_("không hài lòng"), default=0)
    refreshed_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        abstract = True


class DailyDeskProcedureStat(StatCounts):
    """One desk, one procedure, one local day. Rows with every counter at zero are not kept."""

    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("ngày"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "procedure", "day"], name="stat_desk_procedure_day_unique"
            )
        ]
        indexes = [models.Index(fields=["day", "desk"], name="stat_dpd_day_desk_idx")]
        verbose_name = _("thống kê theo bộ phận, thủ tục, ngày")
        verbose_name_plural = _("thống kê theo bộ phận, thủ tục, ngày")

    def __str__(self) -> str:
        return f"{self.desk_id}/{self.procedure_id}/{self.day:%d/%m/%Y}"


class DailyDeskStat(StatCounts):
    """One desk, one local day: the sum of its DailyDeskProcedureStat rows (what summaries read)."""

    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("ngày"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["desk", "day"], name="stat_desk_day_unique")]
        indexes = [models.Index(fields=["day", "desk"], name="stat_dd_day_desk_idx")]
        verbose_name = _("thống kê theo bộ phận, ngày")
        verbose_name_plural = _("thống kê theo bộ phận, ngày")

    def __str__(self) -> str:
        return f"{self.desk_id}/{self.day:%d/%m/%Y}"


class MonthlyDeskStat(StatCounts):
    """One desk, one calendar month (`month` = its first day): the sum of its DailyDeskStat rows.
    Summaries read whole months here and only the partial months at the edges from the days."""

    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("tháng"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["desk", "month"], name="stat_desk_month_unique")
        ]
        indexes = [models.Index(fields=["month", "desk"], name="stat_dm_month_desk_idx")]
        verbose_name = _("thống kê theo bộ phận, tháng")
        verbose_name_plural = _("thống kê theo bộ phận, tháng")

    def __str__(self) -> str:
        return f"{self.desk_id}/{self.month:%m/%Y}"


class MonthlyDeskProcedureStat(StatCounts):
    """One desk, one procedure, one calendar month (`month` = its first day): the sum of its
    DailyDeskProcedureStat rows. Per-procedure figures (most received, most late, online use)
    read whole months here, so their cost follows desks × procedures × months, not dossiers."""

    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("tháng"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "procedure", "month"], name="stat_desk_procedure_month_unique"
            )
        ]
        indexes = [
            models.Index(fields=["month", "desk"], name="stat_dpm_month_desk_idx"),
            # Online-service use reads only the cells with online dossiers (about one in five):
            # an index-only scan of this partial index instead of the table's rows.
            models.Index(
                fields=["month", "desk", "procedure"],
                condition=models.Q(received_online__gt=0),
                name="stat_dpm_online_idx",
            ),
        ]
        verbose_name = _("thống kê theo bộ phận, thủ tục, tháng")
        verbose_name_plural = _("thống kê theo bộ phận, thủ tục, tháng")

    def __str__(self) -> str:
        return f"{self.desk_id}/{self.procedure_id}/{self.month:%m/%Y}"


class MonthlyUnitProcedureStat(StatCounts):
    """One administrative unit's whole subtree, one procedure, one calendar month: the sum of
    MonthlyDeskProcedureStat over the desks under `unit` (its own and its descendants'). The
    per-procedure lists of a unit's scope read one row per procedure and month here: at most
    procedures × months rows, whatever the number of dossiers or desks."""

    unit = models.ForeignKey(
        "onestop.AdministrativeUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    month = models.DateField(_("tháng"))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "procedure", "month"], name="stat_unit_procedure_month_unique"
            )
        ]
        indexes = [models.Index(fields=["unit", "month"], name="stat_upm_unit_month_idx")]
        verbose_name = _("thống kê theo đơn vị, thủ tục, tháng")
        verbose_name_plural = _("thống kê theo đơn vị, thủ tục, tháng")

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id}/{self.month:%m/%Y}"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Sắp đến hạn (còn một ngày làm việc)")
    DUE_TODAY = "due_today", _("Đến hạn hôm nay")
    OVERDUE = "overdue", _("Quá hạn")
    CITIZEN_OVERDUE = "citizen_overdue", _("Báo công dân: hồ sơ quá hạn")
    ESCALATION = "escalation", _("Báo động: hồ sơ có nguy cơ trễ hạn")


class ReminderLog(models.Model):
    """One reminder sent: unique per dossier, kind and appointment, so a retry cannot send twice."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="reminder_logs"
    )
    kind = models.CharField(_("loại nhắc"), max_length=20, choices=ReminderKind.choices)
    due_at = models.DateTimeField(_("hẹn trả kết quả"))
    sent_at = models.DateTimeField(_("gửi lúc"))
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "due_at"], name="reminder_once_per_dossier_kind_due"
            )
        ]
        ordering = ["-sent_at"]
        verbose_name = _("nhắc hạn đã gửi")
        verbose_name_plural = _("nhắc hạn đã gửi")

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind} {self.due_at:%d/%m/%Y %H:%M}"


class Notification(models.Model):
    """An in-app notification for a staff member (the list at /mot-cua/thong-bao/)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=ReminderKind.choices)
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return self.title
