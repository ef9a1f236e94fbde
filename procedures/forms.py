"""The catalog's search and filter form (GET) and the administrator's procedure form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.models import ApplicantKind, OnlineLevel, Procedure, ProcedureLevel, TimeUnit
from procedures.selectors import CatalogFilters


class CatalogFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tên hoặc mã thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Ví dụ: đăng ký khai sinh, 1.001193"),
            }
        ),
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *ProcedureLevel.choices],
    )
    sector = forms.SlugField(label=_("Lĩnh vực"), required=False, max_length=120)
    online = forms.ChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        choices=[("", _("Tất cả")), ("any", _("Nộp trực tuyến được")), *OnlineLevel.choices],
    )
    agency = forms.CharField(label=_("Cơ quan thực hiện"), required=False, max_length=255)
    applicant = forms.ChoiceField(
        label=_("Đối tượng thực hiện"),
        required=False,
        choices=[("", _("Tất cả")), *ApplicantKind.choices],
    )

    def filters(self) -> CatalogFilters:
        """Valid filters; invalid values are dropped (a bad link still shows the catalog)."""
        self.is_valid()
        data = self.cleaned_data
        return CatalogFilters(
            **{
                key: data.get(key) or ""
                for key in ("q", "level", "sector", "online", "agency", "applicant")
            }
        )


class ProcedureAdminForm(forms.ModelForm):
    """Admin form: a procedure without a readable time needs its amount and unit together."""

    source_url = forms.URLField(
        label=_("đường dẫn nguồn"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Procedure
        fields = [
            "code",
            "name",
            "sector",
            "decision_number",
            "procedure_type",
            "level",
            "is_published",
            "is_active",
            "online_level",
            "supplement_clock",
            "processing_time_text",
            "processing_time_amount",
            "processing_time_unit",
            "same_day_cutoff",
            "implementation_levels",
            "applicant_types",
            "competent_authority",
            "implementing_agency",
            "agency_name",
            "delegated_agency",
            "coordinating_agency",
            "receiving_address",
            "steps",
            "conditions",
            "results",
            "results_description",
            "legal_basis",
            "legal_basis_codes",
            "related_procedures",
            "source",
            "source_url",
            "as_of",
        ]

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("processing_time_amount")
        unit = cleaned.get("processing_time_unit")
        if unit and unit != TimeUnit.SAME_DAY and amount in (None, 0):
            self.add_error("processing_time_amount", _("Nhập số ngày hoặc số giờ giải quyết."))
        if amount and not unit:
            self.add_error("processing_time_unit", _("Chọn đơn vị của thời hạn giải quyết."))
        if cleaned.get("same_day_cutoff") and unit != TimeUnit.SAME_DAY:
            self.add_error(
                "same_day_cutoff", _("Giờ chốt chỉ áp dụng cho thủ tục giải quyết trong ngày.")
            )
        return cleaned
