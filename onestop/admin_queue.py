"""Back office of the desk floor: service groups per desk and their counters; tickets read-only."""

from django.contrib import admin
from django.db.models import ManyToManyField
from django.forms import ModelMultipleChoiceField
from django.http import HttpRequest

from onestop.models import Counter, CounterRating, QueueTicket, ServiceGroup


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
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
class QueueTicketAdmin(admin.ModelAdmin):
    """Tickets are written by the floor services only; the back office reads them."""

    list_display = ["code", "desk", "day", "status", "issued_at", "called_at", "counter"]
    list_filter = ["status", "day", "desk__unit__level"]
    search_fields = ["code", "cccd", "desk__name", "dossier__code"]
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
