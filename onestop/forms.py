"""Form fields for picking a unit or a desk: grouped by district, usable without JavaScript.

The plain `<select>` carries `<optgroup>`s (one per district, labelled with its province), so a
browser without scripts still shows a readable, grouped list. `static/portal/js/portal.js`
enhances it: `data-unit-picker` becomes province → district → commune selects, and
`data-searchable` gets a search box that filters the options.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.models import AdministrativeUnit, Desk, UnitLevel


def _group_label(unit: AdministrativeUnit | None) -> str:
    if unit is None:
        return ""
    if unit.parent is not None:
        return f"{unit.name} — {unit.parent.name}"
    return unit.name


class GroupedSelect(forms.Select):
    """A select of model choices grouped by the district of each choice's commune.

    Choices above commune level (a district or province desk) come first, ungrouped.
    """

    def __init__(self, *args, unit_of, **kwargs) -> None:
        self.unit_of = unit_of
        super().__init__(*args, **kwargs)

    def optgroups(self, name, value, attrs=None):
        original = self.choices
        loose: list = []
        groups: dict[str, list] = {}
        for choice_value, label in original:
            instance = getattr(choice_value, "instance", None)
            unit = self.unit_of(instance) if instance is not None else None
            if unit is not None and unit.level == UnitLevel.COMMUNE and unit.parent is not None:
                groups.setdefault(_group_label(unit.parent), []).append((choice_value, label))
            else:
                loose.append((choice_value, label))
        self.choices = [*loose, *groups.items()]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original


class ResidenceField(forms.ModelChoiceField):
    """A commune (xã/phường) of the loaded units, grouped by district; the province shows in
    each group's label."""

    def __init__(self, **kwargs) -> None:
        queryset = (
            AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE)
            .select_related("parent", "parent__parent")
            .order_by("path")
        )
        kwargs.setdefault("label", _("Xã, phường, thị trấn nơi cư trú"))
        kwargs.setdefault(
            "help_text", _("Chọn tỉnh, huyện rồi xã; dùng để điền sẵn hồ sơ và chọn nơi nộp.")
        )
        kwargs.setdefault("empty_label", _("— Chọn xã, phường —"))
        widget = GroupedSelect(
            unit_of=lambda unit: unit,
            attrs={
                "data-unit-picker": "",
                "data-province-label": _("Tỉnh, thành phố"),
                "data-district-label": _("Quận, huyện, thị xã"),
            },
        )
        super().__init__(queryset=queryset, widget=widget, **kwargs)


class DeskField(forms.ModelChoiceField):
    """A desk among `queryset`, grouped by district, with a search box when scripts run."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("queryset", Desk.objects.none())
        kwargs.setdefault("empty_label", _("— Chọn bộ phận một cửa —"))
        widget = GroupedSelect(
            unit_of=lambda desk: desk.unit,
            attrs={"data-searchable": "", "data-search-label": _("Tìm theo tên xã, phường")},
        )
        super().__init__(widget=widget, **kwargs)
