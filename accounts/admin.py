"""Back office: accounts with role, desk, agency and unit."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import OidcIdentity, User
from procedures.admin_search import BoundedSearchMixin


@admin.register(User)
class UserAdmin(BoundedSearchMixin, DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "desk", "unit", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "desk__unit__level"]
    search_fields = ["username", "full_name", "email", "cccd", "phone"]
    list_select_related = ["desk", "unit"]
    autocomplete_fields = ["desk", "agency", "unit", "residence"]
    ordering = ["username"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cá nhân"),
            {"fields": ("full_name", "email", "cccd", "phone", "residence", "address")},
        ),
        (_("Tổ chức, doanh nghiệp"), {"fields": ("organisation", "tax_code")}),
        (
            _("Vai trò và phạm vi"),
            {
                "fields": ("role", "desk", "agency", "unit"),
                "description": _(
                    "Cán bộ một cửa, trưởng bộ phận: chọn bộ phận một cửa. Chuyên viên: chọn cơ "
                    "quan xử lý. Lãnh đạo: chọn đơn vị phụ trách (xem được cả đơn vị trực thuộc)."
                ),
            },
        ),
        (
            _("Quyền hạn"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "role", "password1", "password2"),
            },
        ),
    )


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    """Links made at the first VNeID / staff-provider sign-in; delete one to unlink."""

    list_display = ("user", "provider", "subject", "linked_at")
    list_filter = ("provider",)
    search_fields = ("subject", "user__username", "user__cccd")
    raw_id_fields = ("user",)
    readonly_fields = ("provider", "subject", "linked_at")

    def has_add_permission(self, request) -> bool:
        return False
