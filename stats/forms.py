"""The dashboard's and the stats API's filter: a period and a scope."""

from __future__ import annotations

import calendar
import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

PERIODS = (
    ("month", _("Tháng")),
    ("quarter", _("Quý")),
    ("6m", _("6 tháng đầu năm")),
    ("9m", _("9 tháng đầu năm")),
    ("year", _("Cả năm")),
    ("custom", _("Tùy chọn")),
)
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
MAX_CUSTOM_DAYS = 3 * 366


def period_range(
    *,
    period: str,
    year: int,
    month: int = 1,
    quarter: int = 1,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> tuple[dt.date, dt.date]:
    """First and last local day of a reporting period (6 and 9 months count from January)."""
    if period == "month":
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    if period == "quarter":
        last_month = quarter * 3
        return (
            dt.date(year, last_month - 2, 1),
            dt.date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if period == "6m":
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    if period == "9m":
        return dt.date(year, 1, 1), dt.date(year, 9, 30)
    if period == "custom" and date_from and date_to:
        return date_from, date_to
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def stats_default_filter(today: dt.date) -> dict:
    """StatsFilterForm's cleaned data when none of its fields is given (the year to date's
    year): the API's most frequent question, answered without building the form."""
    return {
        "period": "year",
        "year": today.year,
        "month": today.month,
        "quarter": (today.month - 1) // 3 + 1,
        "unit": "",
        "desk_only": False,
        "level": "",
        "from": None,
        "to": None,
        "date_from": dt.date(today.year, 1, 1),
        "date_to": dt.date(today.year, 12, 31),
    }


class StatsFilterForm(forms.Form):
    """?period=&year=&month=&quarter=&from=&to=&unit=&desk_only= (all optional)."""

    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIODS, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Tháng"), min_value=1, max_value=12, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[(q, f"{q}") for q in range(1, 5)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    unit = forms.CharField(label=_("Đơn vị"), max_length=8, required=False)
    desk_only = forms.BooleanField(label=_("Chỉ bộ phận một cửa của đơn vị"), required=False)
    level = forms.CharField(max_length=10, required=False)

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        # "from" and "to" are Python keywords: declared here instead of as attributes.
        self.fields["from"] = forms.DateField(
            label=_("Từ ngày"),
            input_formats=DATE_FORMATS,
            required=False,
            widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        )
        self.fields["to"] = forms.DateField(
            label=_("Đến ngày"),
            input_formats=DATE_FORMATS,
            required=False,
            widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y"),
        )

    def clean(self) -> dict:
        data = super().clean()
        date_from, date_to = data.get("from"), data.get("to")
        period = data.get("period") or ("custom" if date_from and date_to else "year")
        if period == "custom":
            if not (date_from and date_to):
                raise forms.ValidationError(_("Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."))
            if date_from > date_to:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
            if (date_to - date_from).days > MAX_CUSTOM_DAYS:
                raise forms.ValidationError(_("Kỳ tùy chọn không dài quá 3 năm."))
        data["period"] = period
        data["year"] = data.get("year") or self.today.year
        data["month"] = data.get("month") or self.today.month
        data["quarter"] = data.get("quarter") or (self.today.month - 1) // 3 + 1
        data["date_from"], data["date_to"] = period_range(
            period=period,
            year=data["year"],
            month=data["month"],
            quarter=data["quarter"],
            date_from=date_from,
            date_to=date_to,
        )
        return data


FILTER_FIELDS = (*StatsFilterForm.base_fields, "from", "to")
