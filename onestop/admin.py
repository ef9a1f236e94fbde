"""Back office: administrative units (codes read-only), desks with their counters, agencies;
the desk floor's service groups, and its tickets and counter ratings read-only."""

from django.contrib import admin
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onestop.models import (
    AdministrativeUnit,
    Agency,
    Counter,
    CounterRating,
    Desk,
    QueueTicket,
    ServiceGroup,
)
from procedures.admin_search import BoundedSearchMixin


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(BoundedSearchMixin, admin.ModelAdmin):
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
class DeskAdmin(BoundedSearchMixin, admin.ModelAdmin):
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
class AgencyAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code", "unit"]
    list_filter = ["unit__level"]
    search_fields = ["name", "code", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    filter_horizontal = ["sectors"]


# Desk floor: service groups, tickets, counter ratings.


@admin.register(ServiceGroup)
class ServiceGroupAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["prefix", "name", "desk", "sort_order", "is_active"]
    list_filter = ["desk__unit__level", "is_active"]
    search_fields = ["name", "prefix", "desk__name"]
    list_select_related = ["desk"]
    autocomplete_fields = ["desk"]
    filter_horizontal = ["counters"]
    fields = ["desk", "prefix", "name", "description", "sort_order", "is_active", "counters"]

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        request._queue_group_desk_id = obj.desk_id if obj else None
        return super().get_form(request, obj, change=change, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField, request: HttpRequest, **kwargs
    ) -> ModelMultipleChoiceField | None:
        # Only the counters of the group's own desk (all desks' counters are hundreds).
        if db_field.name == "counters":
            desk_id = getattr(request, "_queue_group_desk_id", None)
            kwargs["queryset"] = (
                Counter.objects.filter(desk_id=desk_id) if desk_id else Counter.objects.none()
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(QueueTicket)
class QueueTicketAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Tickets are written by the floor services only; the back office reads them."""

    list_display = ["code", "desk", "day", "status", "issued_at", "called_at", "counter"]
    list_filter = ["status", "day", "desk__unit__level"]
    search_fields = ["code", "cccd", "desk__name", "dossier_code"]
    list_select_related = ["desk", "counter", "group"]
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(CounterRating)
class CounterRatingAdmin(admin.ModelAdmin):
    list_display = ["ticket", "counter", "level", "created_at"]
    list_filter = ["level", "counter__desk__unit__level"]
    list_select_related = ["ticket", "counter", "counter__desk"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
