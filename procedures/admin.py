"""Admin: the catalog; the processing time stays editable where the importer could not read it."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from procedures.admin_search import BoundedSearchMixin
from procedures.forms import ProcedureAdminForm
from procedures.models import Procedure, RequiredDocument, Sector, SubmissionMethod
from procedures.services import procedure_save


class SubmissionMethodInline(admin.TabularInline):
    model = SubmissionMethod
    extra = 0
    fields = [
        "channel",
        "processing_time_text",
        "processing_time_amount",
        "processing_time_unit",
        "fee",
    ]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "position",
        "group",
        "name",
        "quantity",
        "original_or_copy",
        "template_url",
        "is_required",
        "is_note",
        "is_shown",
        "short_name",
    ]


class AwaitingTimeFilter(admin.SimpleListFilter):
    title = _("thời hạn giải quyết")
    parameter_name = "time"

    def lookups(self, request, model_admin):
        return [("missing", _("Chưa xác định (chờ nhập)")), ("set", _("Đã xác định"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(processing_time_unit="")
        if self.value() == "set":
            return queryset.exclude(processing_time_unit="")
        return queryset


@admin.register(Procedure)
class ProcedureAdmin(BoundedSearchMixin, admin.ModelAdmin):
    form = ProcedureAdminForm
    list_display = [
        "code",
        "name",
        "sector",
        "level",
        "online_level",
        "processing_time_text",
        "processing_time_unit",
        "is_published",
        "is_active",
    ]
    list_filter = [
        "is_published",
        "is_active",
        "level",
        "online_level",
        AwaitingTimeFilter,
        "sector",
    ]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["sector"]
    list_per_page = 50
    autocomplete_fields = ["sector"]
    inlines = [SubmissionMethodInline, RequiredDocumentInline]

    fieldsets = [
        (None, {"fields": ["code", "name", "sector", "decision_number", "procedure_type"]}),
        (
            _("Danh mục của tỉnh"),
            {
                "fields": [
                    "level",
                    "is_published",
                    "is_active",
                    "online_level",
                    "supplement_clock",
                ]
            },
        ),
        (
            _("Thời hạn giải quyết"),
            {
                "fields": [
                    "processing_time_text",
                    "processing_time_amount",
                    "processing_time_unit",
                    "same_day_cutoff",
                ]
            },
        ),
        (
            _("Cơ quan, đối tượng"),
            {
                "fields": [
                    "implementation_levels",
                    "applicant_types",
                    "competent_authority",
                    "implementing_agency",
                    "agency_name",
                    "delegated_agency",
                    "coordinating_agency",
                    "receiving_address",
                ]
            },
        ),
        (
            _("Nội dung"),
            {
                "classes": ["collapse"],
                "fields": [
                    "steps",
                    "conditions",
                    "results",
                    "results_description",
                    "legal_basis",
                    "legal_basis_codes",
                    "related_procedures",
                ],
            },
        ),
        (_("Nguồn"), {"classes": ["collapse"], "fields": ["source", "source_url", "as_of"]}),
    ]

    def save_model(self, request, obj, form, change) -> None:
        procedure_save(procedure=obj)


@admin.register(Sector)
class SectorAdmin(BoundedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
