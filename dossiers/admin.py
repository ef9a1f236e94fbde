"""Django admin for the dossiers app."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dossiers.calendar import calendar_day_check
from dossiers.deadlines import weekday_name
from dossiers.models import CalendarDay, Dossier, DossierEvent
from procedures.admin_search import BoundedSearchMixin

# --- Calendar of days off and make-up working days (owner: deadlines) ---------------------------


class CalendarDayAdminForm(forms.ModelForm):
    """Runs the same checks as the API (duplicate date, a day off that is already off...)."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name"]

    def clean(self) -> dict:
        cleaned = super().clean()
        day, kind, name = cleaned.get("date"), cleaned.get("kind"), cleaned.get("name")
        if day and kind and name is not None:
            try:
                cleaned["name"] = calendar_day_check(
                    day=day, kind=kind, name=name, pk=self.instance.pk
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return cleaned


@admin.register(CalendarDay)
class CalendarDayAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = CalendarDayAdminForm
    list_display = ["date", "weekday", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["-date"]

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return weekday_name(obj.date)


# --- end of calendar admin ----------------------------------------------------------------------


# --- Dossiers and their audit trail (owner: dossier engine) -------------------------------------


class DossierEventInline(admin.TabularInline):
    """The timeline, read-only: events are never added, edited or deleted by hand."""

    model = DossierEvent
    extra = 0
    can_delete = False
    fields = ["at", "action", "actor", "actor_role", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """Dossiers are changed only through the workflow; the admin shows them."""

    list_display = ["code", "procedure", "desk", "status", "channel", "due_at", "outcome"]
    list_filter = ["status", "channel", "outcome", "desk__unit__level"]
    search_fields = ["code", "applicant_name", "procedure__code"]
    list_select_related = ["procedure", "desk"]
    date_hierarchy = "received_at"
    inlines = [DossierEventInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return [field.name for field in Dossier._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DossierEvent)
class DossierEventAdmin(BoundedSearchMixin, admin.ModelAdmin):
    """The append-only audit trail: viewable, never changed or deleted."""

    list_display = ["at", "dossier", "action", "actor", "actor_role", "from_status", "to_status"]
    list_filter = ["action", "actor_role"]
    search_fields = ["dossier__code", "note"]
    list_select_related = ["dossier", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# --- end of dossier admin -----------------------------------------------------------------------
