"""What the portal pushed to the national portal (one message per tracked dossier change, in
order per dossier), what the national side says the dossier's status is, and the local
stand-in's own records."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SyncMessage(models.Model):
    """One tracked change of one dossier, numbered 1, 2, 3... per dossier (`seq`); sent in that
    order, each with its idempotency key, until the national portal acknowledged it."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(
        "dossiers.DossierEvent", on_delete=models.PROTECT, related_name="+"
    )
    seq = models.PositiveIntegerField(_("số thứ tự"))
    idempotency_key = models.CharField(_("khóa chống trùng"), max_length=80, unique=True)
    body = models.JSONField(_("nội dung gửi"))
    created_at = models.DateTimeField(_("tạo lúc"))
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    acked_at = models.DateTimeField(_("được xác nhận lúc"), null=True, blank=True)

    class Meta:
        ordering = ["dossier_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="sync_one_message_per_seq")
        ]
        indexes = [
            models.Index(
                fields=["dossier", "seq"],
                condition=models.Q(acked_at__isnull=True),
                name="sync_unacked_idx",
            )
        ]
        verbose_name = _("bản tin đồng bộ")
        verbose_name_plural = _("bản tin đồng bộ")

    def __str__(self) -> str:
        return self.idempotency_key


class NationalView(models.Model):
    """The national portal's last known status of a dossier (from an acknowledgement or a
    status check), compared with the portal's own in the reconciliation."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    national_status = models.PositiveSmallIntegerField(_("trạng thái tại Cổng quốc gia"))
    acked_seq = models.PositiveIntegerField(_("đã xác nhận đến số"), default=0)
    seen_at = models.DateTimeField(_("cập nhật lúc"))

    class Meta:
        verbose_name = _("trạng thái tại Cổng quốc gia")
        verbose_name_plural = _("trạng thái tại Cổng quốc gia")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.national_status}"


class StandInRecord(models.Model):
    """The local stand-in of the national endpoint: what it received (deduplicated)."""

    idempotency_key = models.CharField(max_length=80, unique=True)
    dossier_code = models.CharField(max_length=40, db_index=True)
    seq = models.PositiveIntegerField()
    national_status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    received_at = models.DateTimeField()
    deliveries = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["dossier_code", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier_code", "seq"], name="standin_one_per_seq")
        ]

    def __str__(self) -> str:
        return self.idempotency_key


class StandInSwitch(models.Model):
    """The stand-in's failure switch: answer 503 to the next `fail_next` requests."""

    fail_next = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"fail next {self.fail_next}"
