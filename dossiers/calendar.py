"""The editable yearly calendar (CalendarDay): selectors and services.

The `holidays` package knows the law (weekends, public holidays with their lunar dates, substitute
days off and the make-up Saturdays it has been told about); CalendarDay rows add what it does not
know, such as a compensatory day off announced late in the year, and win over it.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dossiers.deadlines import WorkCalendar, official_days
from dossiers.models import CalendarDay, CalendarDayKind
from procedures.compiled import CompiledQuery

# Every reception reads the calendar of the weeks ahead: compiled once (procedures.compiled).
DAYS_BETWEEN = CompiledQuery(
    lambda shape, start, end: CalendarDay.objects.filter(date__range=(start, end)).values(
        "date", "kind", "name"
    ),
    dates=("start", "end"),
)


def calendar_load(*, start: date, end: date) -> WorkCalendar:
    """The WorkCalendar with every CalendarDay row from `start` to `end` (one query)."""
    days_off: dict[date, str] = {}
    working_days: dict[date, str] = {}
    for row in DAYS_BETWEEN.rows(start=start, end=end):
        day, kind, name = row["date"], row["kind"], row["name"]
        (days_off if kind == CalendarDayKind.DAY_OFF else working_days)[day] = name
    return WorkCalendar(extra_days_off=days_off, extra_working_days=working_days)


def calendar_day_list(*, year: int) -> QuerySet[CalendarDay]:
    """The CalendarDay rows of one year, by date."""
    return CalendarDay.objects.filter(date__year=year).order_by("date")


def calendar_day_get(*, day: date) -> CalendarDay | None:
    return CalendarDay.objects.filter(date=day).first()


@dataclass(frozen=True)
class YearDay:
    """One line of a year's calendar: a law day (from `holidays`) or an editable CalendarDay."""

    date: date
    kind: str
    name: str
    editable: bool


def calendar_year(*, year: int) -> list[YearDay]:
    """Every day of `year` that is not an ordinary weekday or weekend: the law's holidays and
    make-up Saturdays, and the CalendarDay rows (which replace the law's entry on their date)."""
    days = {
        day: YearDay(date=day, kind=kind, name=name, editable=False)
        for day, (kind, name) in official_days(year).items()
    }
    for row in calendar_day_list(year=year):
        days[row.date] = YearDay(date=row.date, kind=row.kind, name=row.name, editable=True)
    return [days[day] for day in sorted(days)]


def calendar_day_check(*, day: date, kind: str, name: str, pk: int | None) -> str:
    """Validate a calendar row (services and admin); returns the cleaned name.

    Raises ValidationError with Vietnamese messages: empty reason, unknown kind, a date already in
    the calendar, a day off on a day the law already closes, a working day on an ordinary one."""
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Vui lòng nhập lý do (tên ngày nghỉ hoặc ngày làm bù).")
    if kind not in CalendarDayKind.values:
        errors["kind"] = _("Loại ngày không hợp lệ: chọn “ngày nghỉ” hoặc “ngày làm việc bù”.")
    elif CalendarDay.objects.filter(date=day).exclude(pk=pk).exists():
        raise _duplicate(day)
    else:
        law = WorkCalendar()
        if kind == CalendarDayKind.DAY_OFF and not law.is_working_day(day):
            errors["date"] = _("Ngày %(date)s vốn đã là ngày nghỉ (%(reason)s).") % {
                "date": f"{day:%d/%m/%Y}",
                "reason": law.why_not_working(day),
            }
        if kind == CalendarDayKind.WORKING_DAY and law.is_working_day(day):
            errors["date"] = _("Ngày %(date)s vốn đã là ngày làm việc.") % {
                "date": f"{day:%d/%m/%Y}"
            }
    if errors:
        raise ValidationError(errors)
    return name


def _duplicate(day: date) -> ValidationError:
    return ValidationError(
        {
            "date": _("Ngày %(date)s đã có trong lịch; hãy sửa dòng đã có.")
            % {"date": f"{day:%d/%m/%Y}"}
        }
    )


def calendar_day_create(*, day: date, kind: str, name: str) -> CalendarDay:
    """Add a day off or a make-up working day to the calendar."""
    name = calendar_day_check(day=day, kind=kind, name=name, pk=None)
    try:
        with transaction.atomic():
            return CalendarDay.objects.create(date=day, kind=kind, name=name)
    except IntegrityError as error:  # a parallel request created the same date first
        raise _duplicate(day) from error


@transaction.atomic
def calendar_day_update(
    *, calendar_day: CalendarDay, kind: str | None = None, name: str | None = None
) -> CalendarDay:
    """Change the kind or the reason of a calendar row (its date identifies it and stays)."""
    kind = calendar_day.kind if kind is None else kind
    name = calendar_day.name if name is None else name
    calendar_day.name = calendar_day_check(
        day=calendar_day.date, kind=kind, name=name, pk=calendar_day.pk
    )
    calendar_day.kind = kind
    calendar_day.save(update_fields=["kind", "name"])
    return calendar_day


def calendar_day_delete(*, calendar_day: CalendarDay) -> None:
    """Remove a calendar row: the day goes back to what the law says."""
    calendar_day.delete()
