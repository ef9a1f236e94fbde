"""Accounts: one user model for citizens, businesses, desk staff, leaders and administrators."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    BUSINESS = "business", _("Doanh nghiệp, tổ chức")
    CLERK = "clerk", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    DESK_HEAD = "desk_head", _("Trưởng bộ phận một cửa")
    LEADER = "leader", _("Lãnh đạo")
    ADMIN = "admin", _("Quản trị hệ thống")


STAFF_ROLES = {Role.CLERK, Role.SPECIALIST, Role.DESK_HEAD, Role.LEADER, Role.ADMIN}


class User(AbstractUser):
    """A person who signs in. Desk staff carry their desk; leaders carry the unit they oversee."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    cccd = models.CharField(_("số CCCD"), max_length=12, unique=True, null=True, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, unique=True, null=True, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    organisation = models.CharField(_("tên tổ chức"), max_length=255, blank=True)
    address = models.CharField(
        _("địa chỉ"),
        max_length=255,
        blank=True,
        help_text=_("Số nhà, đường phố, thôn, xóm; xã/phường ở mục nơi cư trú."),
    )
    residence = models.ForeignKey(
        "onestop.AdministrativeUnit",
        verbose_name=_("nơi cư trú (xã/phường)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    desk = models.ForeignKey(
        "onestop.Desk",
        verbose_name=_("bộ phận một cửa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    agency = models.ForeignKey(
        "onestop.Agency",
        verbose_name=_("cơ quan xử lý"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    unit = models.ForeignKey(
        "onestop.AdministrativeUnit",
        verbose_name=_("đơn vị phụ trách"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="leaders",
        help_text=_("Lãnh đạo xem số liệu của đơn vị này và mọi đơn vị trực thuộc."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def full_address(self) -> str:
        """The street line followed by the commune, district and province of the residence."""
        parts = [self.address.strip()] if self.address.strip() else []
        unit = self.residence
        while unit is not None:
            parts.append(unit.name)
            unit = unit.parent
        return ", ".join(parts)

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES


class LoginFailure(models.Model):
    """One failed sign-in, written only when the cache (Redis) cannot count it.

    The lockout normally counts in the cache; while the cache is down the same counts come from
    this table, so a Redis outage neither unlocks accounts nor turns a sign-in into a 500.
    """

    key = models.CharField(max_length=100, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("lần đăng nhập sai")
        verbose_name_plural = _("lần đăng nhập sai")

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M}"


class OidcIdentity(models.Model):
    """A person's subject at an OpenID Connect provider (VNeID, the province's staff provider),
    linked to their account the first time they sign in there (accounts.oidc)."""

    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="oidc_identities"
    )
    provider = models.CharField(_("nhà cung cấp định danh"), max_length=30)
    subject = models.CharField(_("mã định danh (sub)"), max_length=255)
    linked_at = models.DateTimeField(_("liên kết lúc"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="oidc_identity_unique_sub")
        ]
        verbose_name = _("định danh liên kết")
        verbose_name_plural = _("định danh liên kết")

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
