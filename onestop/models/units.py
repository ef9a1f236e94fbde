"""Administrative units, their one-stop desks, counters and handling agencies."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    """Levels are data: a two-tier province simply has no district units."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class AdministrativeUnit(models.Model):
    """A GSO administrative unit. `path` holds the codes from the root, for subtree queries."""

    code = models.CharField(_("mã GSO"), max_length=8, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    short_name = models.CharField(_("tên ngắn"), max_length=100)
    type_label = models.CharField(_("loại đơn vị"), max_length=50)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=64, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, prefix: str = "") -> models.Q:
        """Q matching this unit and everything under it, through the `prefix` relation.

        The one rule for leader scope: the same path, or a path below it ("77/747/..."),
        never a sibling whose code merely starts with the same digits.
        """
        return models.Q(**{f"{prefix}path": self.path}) | models.Q(
            **{f"{prefix}path__startswith": f"{self.path}/"}
        )

    def contains(self, other: "AdministrativeUnit") -> bool:
        """True when `other` is this unit or lies under it (the Python twin of subtree_q)."""
        return other.path == self.path or other.path.startswith(f"{self.path}/")


class Desk(models.Model):
    """The one-stop desk (bộ phận một cửa) of a unit: one per unit."""

    unit = models.OneToOneField(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="desk"
    )
    name = models.CharField(_("tên bộ phận"), max_length=255)
    agency_code = models.CharField(
        _("mã định danh cơ quan"),
        max_length=20,
        unique=True,
        help_text=_("Mã định danh điện tử (Thông tư 10/2016/TT-BTTTT), dùng trong mã hồ sơ."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    morning_opens = models.TimeField(_("giờ mở cửa sáng"), default=datetime.time(7, 30))
    morning_closes = models.TimeField(_("giờ nghỉ trưa"), default=datetime.time(11, 30))
    afternoon_opens = models.TimeField(_("giờ mở cửa chiều"), default=datetime.time(13, 30))
    afternoon_closes = models.TimeField(_("giờ đóng cửa"), default=datetime.time(17, 0))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")

    def __str__(self) -> str:
        return self.name

    @property
    def level(self) -> str:
        return self.unit.level


class Counter(models.Model):
    """A counter (quầy) at a desk, where one clerk serves visitors."""

    desk = models.ForeignKey(
        Desk, verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="counters"
    )
    number = models.PositiveSmallIntegerField(_("số quầy"))
    name = models.CharField(_("tên quầy"), max_length=150, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["desk", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["desk", "number"], name="counter_unique_number_per_desk"
            )
        ]
        verbose_name = _("quầy")
        verbose_name_plural = _("quầy")

    def __str__(self) -> str:
        return f"{self.desk} — {_('Quầy')} {self.number}"


class Agency(models.Model):
    """A competent agency that processes dossiers handed to it (Sở, Phòng, UBND xã...)."""

    code = models.CharField(_("mã cơ quan"), max_length=30, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    sectors = models.ManyToManyField(
        "procedures.Sector",
        verbose_name=_("lĩnh vực phụ trách"),
        blank=True,
        related_name="agencies",
    )

    class Meta:
        ordering = ["unit__path", "name"]
        verbose_name = _("cơ quan xử lý")
        verbose_name_plural = _("cơ quan xử lý")

    def __str__(self) -> str:
        return self.name
