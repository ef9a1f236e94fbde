"""Back office: administrative units (codes read-only), desks with their counters, agencies."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from onestop.models import AdministrativeUnit, Agency, Counter, Desk


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    """GSO codes and the tree come from the loader (manage.py load_units), not from hand edits."""

    list_display = ["code", "name", "type_label", "level", "parent"]
    list_filter = ["level", "type_label"]
    search_fields = ["code", "name", "short_name"]
    list_select_related = ["parent"]
    readonly_fields = ["code", "level", "parent", "path"]
    fields = ["code", "name", "short_name", "type_label", "level", "parent", "path"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0
    fields = ["number", "name", "is_active"]


@admin.register(Desk)
class DeskAdmin(admin.ModelAdmin):
    list_display = ["name", "agency_code", "unit", "phone", "is_active"]
    list_filter = ["unit__level", "is_active"]
    search_fields = ["name", "agency_code", "unit__name", "unit__code"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    inlines = [CounterInline]
    fieldsets = (
        (None, {"fields": ("unit", "name", "agency_code", "is_active")}),
        (None, {"fields": ("address", "phone", "email")}),
        (
            _("Giờ làm việc"),
            {
                "fields": (
                    ("morning_opens", "morning_closes"),
                    ("afternoon_opens", "afternoon_closes"),
                )
            },
        ),
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    list_filter = ["unit__level"]
    search_fields = ["name", "code", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["sectors"]


# Desk floor: service groups, tickets, counter ratings.
from onestop import admin_queue  # noqa: E402,F401
