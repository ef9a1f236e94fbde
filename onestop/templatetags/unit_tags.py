"""Unit names inside sentences, in the page's language.

Vietnamese puts the type word first, in lower case inside a sentence ("Bộ phận một cửa tỉnh Bà
Rịa - Vũng Tàu"); English puts the translated type after the name ("One-stop desk of Bà Rịa -
Vũng Tàu Province"). Unit names themselves are official names and stay Vietnamese.
"""

from django import template
from django.utils import translation
from django.utils.translation import pgettext_lazy

register = template.Library()

UNIT_TYPES = {
    "Tỉnh": pgettext_lazy("loại đơn vị", "Tỉnh"),
    "Thành phố": pgettext_lazy("loại đơn vị", "Thành phố"),
    "Thị xã": pgettext_lazy("loại đơn vị", "Thị xã"),
    "Huyện": pgettext_lazy("loại đơn vị", "Huyện"),
    "Phường": pgettext_lazy("loại đơn vị", "Phường"),
    "Xã": pgettext_lazy("loại đơn vị", "Xã"),
    "Thị trấn": pgettext_lazy("loại đơn vị", "Thị trấn"),
}


def unit_in_sentence(unit) -> str:
    """'tỉnh Bà Rịa - Vũng Tàu' (vi) or 'Bà Rịa - Vũng Tàu Province' (en) for a unit."""
    name, type_label = unit.name, unit.type_label or ""
    if not type_label or not name.startswith(type_label):
        return name
    rest = name[len(type_label) :].strip()
    if translation.get_language() == "en":
        return f"{rest} {UNIT_TYPES.get(type_label, type_label)}"
    return f"{type_label.lower()} {rest}"


@register.filter
def in_sentence_unit(unit) -> str:
    return unit_in_sentence(unit)
