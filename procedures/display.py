"""Processing times as people read them: "3 ngày làm việc", "1 working day", "chưa có thông tin"."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from procedures.models import TimeUnit


def _plural_count(number: Decimal | int) -> int:
    # gettext's plural rules take integers; a fraction ("1,5 ngày") reads as a plural in English.
    return int(number) if number == int(number) else 2


def processing_time_label(
    *,
    amount: Decimal | int | None,
    unit: str,
    same_day_cutoff: datetime.time | None = None,
) -> str:
    """The time with its unit, or "chưa có thông tin" when the catalog gives no usable value."""
    if unit == TimeUnit.SAME_DAY:
        if same_day_cutoff:
            return _("Trong ngày (nhận sau %(time)s trả vào ngày làm việc tiếp theo)") % {
                "time": same_day_cutoff.strftime("%H:%M")
            }
        return _("Trong ngày")
    if not unit or amount is None:
        return _("chưa có thông tin")
    number = amount.normalize() if isinstance(amount, Decimal) else amount
    text = f"{number:f}" if isinstance(number, Decimal) else str(number)
    count = _plural_count(number)
    if unit == TimeUnit.WORKING_DAYS:
        return ngettext("%(n)s ngày làm việc", "%(n)s ngày làm việc", count) % {"n": text}
    if unit == TimeUnit.WORKING_HOURS:
        return ngettext("%(n)s giờ làm việc", "%(n)s giờ làm việc", count) % {"n": text}
    return ngettext("%(n)s ngày", "%(n)s ngày", count) % {"n": text}


# The catalog's "bản chính / bản sao" column takes these few values; anything else stays as written.
COPY_KINDS = {
    "Bản chính": pgettext_lazy("giấy tờ", "Bản chính"),
    "Bản sao": pgettext_lazy("giấy tờ", "Bản sao"),
    "Bản chính và bản sao": pgettext_lazy("giấy tờ", "Bản chính và bản sao"),
}


def copy_kind_label(original_or_copy: str) -> str:
    """'Bản chính' in the page's language (English: 'Original'); other catalog text unchanged."""
    value = (original_or_copy or "").strip()
    return str(COPY_KINDS.get(value, value))


def document_copies_label(*, quantity: str, original_or_copy: str) -> str:
    """'Số lượng: 1 · Bản chính' / 'Quantity: 1 · Original' for an upload slot's hint."""
    parts = []
    if quantity:
        parts.append(_("Số lượng: %(n)s") % {"n": quantity})
    if original_or_copy:
        parts.append(copy_kind_label(original_or_copy))
    return " · ".join(parts)
