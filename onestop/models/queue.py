"""The desk floor: service groups, queue tickets, their daily numbering and counter ratings."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from onestop.models.units import Counter, Desk

# [0-9], not \d: \d also matches Arabic-Indic and other Unicode digits.
CCCD_VALIDATOR = RegexValidator(r"^[0-9]{12}$", _("Số CCCD phải gồm đúng 12 chữ số."))
# Letters and digits that read unambiguously on thermal paper (no 0/O, 1/I).
RATING_SECRET_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RATING_SECRET_LENGTH = 8


def new_rating_secret() -> str:
    """A ticket's rating code: 8 characters of 32, about 40 bits, printed on the ticket."""
    return "".join(secrets.choice(RATING_SECRET_ALPHABET) for _i in range(RATING_SECRET_LENGTH))


class SatisfactionLevel(models.TextChoices):
    """The three levels citizens rate a service with, at a counter and for a dossier alike."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


class ServiceGroup(models.Model):
    """A group of procedures a visitor picks at the kiosk; its letter prefixes the ticket code."""

    desk = models.ForeignKey(
        Desk,
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="service_groups",
    )
    prefix = models.CharField(
        _("chữ cái đầu số"),
        max_length=2,
        validators=[RegexValidator(r"^[A-Z]{1,2}$", _("Chỉ dùng 1–2 chữ cái in hoa A–Z."))],
    )
    name = models.CharField(_("tên nhóm dịch vụ"), max_length=150)
    description = models.CharField(_("mô tả ngắn"), max_length=255, blank=True)
    counters = models.ManyToManyField(
        Counter, verbose_name=_("quầy phục vụ"), blank=True, related_name="service_groups"
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["desk", "sort_order", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["desk", "prefix"], name="servicegroup_unique_prefix"),
        ]
        verbose_name = _("nhóm dịch vụ")
        verbose_name_plural = _("nhóm dịch vụ")

    def __str__(self) -> str:
        return f"{self.prefix} — {self.name}"


class TicketSequence(models.Model):
    """Last number issued for a group on a local day; its row is locked while issuing."""

    group = models.ForeignKey(ServiceGroup, on_delete=models.CASCADE, related_name="sequences")
    day = models.DateField(_("ngày"))
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "day"], name="ticketsequence_unique_day"),
        ]
        verbose_name = _("dãy số thứ tự")
        verbose_name_plural = _("dãy số thứ tự")

    def __str__(self) -> str:
        return f"{self.group.prefix} {self.day:%d/%m/%Y}: {self.last_number}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đang được gọi")
    SERVED = "served", _("Đã phục vụ")
    NO_SHOW = "no_show", _("Vắng mặt")


class QueueTicket(FSMModelMixin, models.Model):
    """A queue number (số thứ tự) issued at a desk: A015 is the 15th ticket of group A that day."""

    desk = models.ForeignKey(
        Desk,
        verbose_name=_("bộ phận một cửa"),
        on_delete=models.CASCADE,
        related_name="queue_tickets",
    )
    group = models.ForeignKey(
        ServiceGroup,
        verbose_name=_("nhóm dịch vụ"),
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    day = models.DateField(_("ngày"), help_text=_("Ngày theo giờ Việt Nam (Asia/Ho_Chi_Minh)."))
    number = models.PositiveIntegerField(_("số thứ tự"))
    code = models.CharField(_("số hiển thị"), max_length=8)
    status = FSMField(
        _("trạng thái"),
        default=TicketStatus.WAITING,
        choices=TicketStatus.choices,
        protected=True,
    )
    cccd = models.CharField(_("số CCCD"), max_length=12, blank=True, validators=[CCCD_VALIDATOR])
    issued_at = models.DateTimeField(_("lấy số lúc"))
    called_at = models.DateTimeField(_("gọi lần đầu lúc"), null=True, blank=True)
    last_called_at = models.DateTimeField(_("gọi gần nhất lúc"), null=True, blank=True)
    recall_count = models.PositiveSmallIntegerField(_("số lần gọi lại"), default=0)
    counter = models.ForeignKey(
        Counter,
        verbose_name=_("quầy"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
    )
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ gọi số"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    served_at = models.DateTimeField(_("phục vụ xong lúc"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("ghi vắng mặt lúc"), null=True, blank=True)
    # The code of the dossier received for this visit. The floor knows nothing of dossiers: the
    # app that owns them checks the code through onestop.hooks before it is stored.
    dossier_code = models.CharField(_("mã hồ sơ tiếp nhận"), max_length=40, blank=True)
    # Printed on the ticket only: the anonymous rating API asks for it, so knowing a ticket id
    # (they are sequential) is not enough to rate someone else's visit.
    rating_secret = models.CharField(
        _("mã đánh giá"), max_length=RATING_SECRET_LENGTH, default=new_rating_secret, editable=False
    )

    class Meta:
        ordering = ["day", "issued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "day", "number"], name="queueticket_unique_number"
            ),
        ]
        indexes = [models.Index(fields=["desk", "day", "status"], name="queueticket_desk_day")]
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")

    def __str__(self) -> str:
        return f"{self.code} ({self.day:%d/%m/%Y})"

    @transition(field=status, source=TicketStatus.WAITING, target=TicketStatus.CALLED)
    def call(self, *, counter: Counter, by, at) -> None:
        self.counter = counter
        self.called_by = by
        self.called_at = at
        self.last_called_at = at

    @transition(field=status, source=TicketStatus.CALLED, target=TicketStatus.CALLED)
    def recall(self, *, at) -> None:
        self.recall_count += 1
        self.last_called_at = at

    @transition(field=status, source=TicketStatus.CALLED, target=TicketStatus.SERVED)
    def serve(self, *, at) -> None:
        self.served_at = at

    @transition(field=status, source=TicketStatus.CALLED, target=TicketStatus.NO_SHOW)
    def mark_no_show(self, *, at) -> None:
        self.no_show_at = at


class CounterRating(models.Model):
    """The visitor's one-tap satisfaction with the service at a counter, once per ticket."""

    ticket = models.OneToOneField(
        QueueTicket, verbose_name=_("số thứ tự"), on_delete=models.CASCADE, related_name="rating"
    )
    counter = models.ForeignKey(
        Counter, verbose_name=_("quầy"), on_delete=models.CASCADE, related_name="ratings"
    )
    level = models.CharField(
        _("mức độ hài lòng"),
        max_length=20,
        choices=SatisfactionLevel.choices,
    )
    created_at = models.DateTimeField(_("đánh giá lúc"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đánh giá tại quầy")
        verbose_name_plural = _("đánh giá tại quầy")

    def __str__(self) -> str:
        return f"{self.ticket} — {self.get_level_display()}"
