"""The working-day deadline engine: pure functions, dates and calendars passed in, no database.

Rules (as provincial one-stop systems count them; see the README's "Deadlines" section):

- The clock runs only inside office hours (morning and afternoon sessions of the desk) on working
  days. A working day is the desk's full day of office hours (8 hours at a 7:00-11:30 / 13:30-17:00
  desk, 7 h 30 at the default 7:30-11:30 / 13:30-17:00), so "N working days" means "the same time
  of day N working days later" at every desk; 0.5 day is half a day of that desk.
- Working days: Monday to Friday, minus Vietnamese public holidays and substitute days off (the
  `holidays` package, lunar dates included), plus the make-up Saturdays the package knows; the
  editable calendar (CalendarDay rows) adds days off and working days and wins over both.
- The clock starts at the first working moment at or after reception: after closing or on a day off
  it starts at the next opening, over lunch at the afternoon opening (online submissions outside
  office hours follow the same rule).
- Calendar days: the same time N days after the start; a due time that falls outside office hours or
  on a day off moves to the next working moment.
- Within the day: due at closing of the start day if the clock starts no later than the
  procedure's cut-off (e.g. 15:00), otherwise at closing of the next working day.
- A count that runs out exactly at a closing time (11:30, 17:00) is due then, not at the next
  opening: received Monday 7:30 with 1 working day is due Monday 17:00.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers.models.calendar import CalendarDayKind
from procedures.models import TimeUnit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# A search for the next working moment gives up after this many days (a calendar with no working
# day at all is a configuration error, not an infinite loop).
_MAX_SEARCH_DAYS = 3660
_WEEKDAY_NAMES = (
    gettext_noop("Thứ Hai"),
    gettext_noop("Thứ Ba"),
    gettext_noop("Thứ Tư"),
    gettext_noop("Thứ Năm"),
    gettext_noop("Thứ Sáu"),
    gettext_noop("Thứ Bảy"),
    gettext_noop("Chủ nhật"),
)


def weekday_name(day: date) -> str:
    """The Vietnamese name of the weekday: Thứ Hai ... Chủ nhật."""
    return _(_WEEKDAY_NAMES[day.weekday()])


@dataclass(frozen=True)
class OfficeHours:
    """A desk's two daily sessions, in local (Asia/Ho_Chi_Minh) time."""

    morning_opens: time = time(7, 30)
    morning_closes: time = time(11, 30)
    afternoon_opens: time = time(13, 30)
    afternoon_closes: time = time(17, 0)

    def __post_init__(self) -> None:
        if not (
            self.morning_opens < self.morning_closes <= self.afternoon_opens < self.afternoon_closes
        ):
            raise ValueError(
                _(
                    "Giờ làm việc không hợp lệ: giờ mở cửa, nghỉ trưa, mở cửa chiều, "
                    "đóng cửa phải tăng dần."
                )
            )

    @classmethod
    def for_desk(cls, desk: Any) -> OfficeHours:
        """The office hours of a Desk (anything with the four time fields)."""
        return cls(
            morning_opens=desk.morning_opens,
            morning_closes=desk.morning_closes,
            afternoon_opens=desk.afternoon_opens,
            afternoon_closes=desk.afternoon_closes,
        )

    @property
    def sessions(self) -> tuple[tuple[time, time], tuple[time, time]]:
        return (
            (self.morning_opens, self.morning_closes),
            (self.afternoon_opens, self.afternoon_closes),
        )

    @property
    def minutes_per_day(self) -> int:
        """Working minutes in one working day at this desk (the length of "1 working day")."""
        return sum(_minutes(closes) - _minutes(opens) for opens, closes in self.sessions)

    def label(self) -> str:
        """The sessions as printed on receipts: 07:30–11:30, 13:30–17:00."""
        return ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in self.sessions)


@functools.cache
def _vn_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("VN", years=year, language="vi")


# The package's Vietnamese names, turned into the wording of the receipt and the control slip.
_HOLIDAY_LABELS = {
    "Tết Dương lịch": gettext_noop("Tết Dương lịch (1/1)"),
    "Ngày Giỗ Tổ Hùng Vương": gettext_noop("Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    "Ngày Chiến thắng": gettext_noop("Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"),
    "Ngày Quốc tế Lao động": gettext_noop("Ngày Quốc tế Lao động (1/5)"),
    "Ngày Văn hóa Việt Nam": gettext_noop("Ngày Văn hóa Việt Nam (24/11)"),
    "Quốc khánh": gettext_noop("Quốc khánh (2/9)"),
    "Tết Nguyên Đán": gettext_noop("Tết Nguyên đán (Mùng một Tết)"),
    "29 Tết": gettext_noop("Tết Nguyên đán (29 Tết)"),
    "Giao thừa Tết Nguyên Đán": gettext_noop("Tết Nguyên đán (Giao thừa)"),
    "Mùng hai Tết Nguyên Đán": gettext_noop("Tết Nguyên đán (Mùng hai Tết)"),
    "Mùng ba Tết Nguyên Đán": gettext_noop("Tết Nguyên đán (Mùng ba Tết)"),
    "Mùng bốn Tết Nguyên Đán": gettext_noop("Tết Nguyên đán (Mùng bốn Tết)"),
    "Mùng năm Tết Nguyên Đán": gettext_noop("Tết Nguyên đán (Mùng năm Tết)"),
}
_SUBSTITUTE_SUFFIX = " (nghỉ bù)"
_SWAP_PREFIX = "Ngày nghỉ (thay cho ngày "


def _holiday_label(day: date, name: str) -> str:
    """One holiday name from the package, in the portal's wording (unknown names pass through)."""
    labels = []
    for part in (part.strip() for part in name.split(";")):
        if part == "Quốc khánh" and (day.month, day.day) != (9, 2):
            labels.append(_("Quốc khánh (ngày nghỉ liền kề 2/9)"))
        elif part.endswith(_SUBSTITUTE_SUFFIX):
            base = part.removesuffix(_SUBSTITUTE_SUFFIX)
            labels.append(
                _("Nghỉ bù %(holiday)s") % {"holiday": _(_HOLIDAY_LABELS.get(base, base))}
            )
        elif part.startswith(_SWAP_PREFIX):
            swapped = part.removeprefix(_SWAP_PREFIX).rstrip(")")
            labels.append(_("Nghỉ hoán đổi (làm bù ngày %(date)s)") % {"date": swapped})
        else:
            labels.append(_(_HOLIDAY_LABELS[part]) if part in _HOLIDAY_LABELS else part)
    return "; ".join(labels)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: the law (`holidays`) plus the editable yearly calendar."""

    extra_days_off: Mapping[date, str] = field(default_factory=dict)
    extra_working_days: Mapping[date, str] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        return self.why_not_working(day) is None

    def why_not_working(self, day: date) -> str | None:
        """The Vietnamese reason the office is closed on `day`, or None on a working day."""
        if day in self.extra_days_off:
            return self.extra_days_off[day]
        if day in self.extra_working_days:
            return None
        official = _vn_holidays(day.year)
        if day in official:
            return _holiday_label(day, official[day])
        if day.weekday() >= 5 and day not in official.weekend_workdays:
            return weekday_name(day)
        return None

    def working_day_reason(self, day: date) -> str | None:
        """Why a weekend day is a working day ("Làm bù ..."), None for ordinary days."""
        if day in self.extra_working_days:
            return self.extra_working_days[day]
        official = _vn_holidays(day.year)
        if day.weekday() >= 5 and day in official.weekend_workdays:
            swapped_for = [
                other
                for other, name in official.items()
                if f"{_SWAP_PREFIX}{day:%d/%m/%Y})" in name
            ]
            if swapped_for:
                return _("Làm bù cho ngày nghỉ %(date)s") % {"date": f"{swapped_for[0]:%d/%m/%Y}"}
            return _("Làm bù theo thông báo của Chính phủ")
        return None


def official_days(year: int) -> dict[date, tuple[str, str]]:
    """What the law (the `holidays` package) says about `year`: {day: (kind, Vietnamese name)},
    kind "day_off" for holidays and substitute days, "working_day" for make-up Saturdays."""
    law = WorkCalendar()
    official = _vn_holidays(year)
    days = {
        day: (CalendarDayKind.DAY_OFF.value, law.why_not_working(day) or name)
        for day, name in official.items()
    }
    for day in official.weekend_workdays:
        if day.year == year:
            days[day] = (CalendarDayKind.WORKING_DAY.value, law.working_day_reason(day) or "")
    return dict(sorted(days.items()))


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass(frozen=True)
class Deadline:
    starts_at: datetime
    due_at: datetime
    skipped: tuple[SkippedDay, ...]
    explanation: tuple[str, ...]


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _local(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(_("Thời điểm %(name)s phải có múi giờ.") % {"name": name})
    return moment.astimezone(TZ)


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=TZ)


def _sessions_from(
    start: datetime, hours: OfficeHours, calendar: WorkCalendar
) -> Iterator[tuple[datetime, datetime]]:
    """The working intervals [opens, closes) that end after `start`, clipped to begin at it."""
    day = start.date()
    for _offset in range(_MAX_SEARCH_DAYS):
        if calendar.is_working_day(day):
            for opens, closes in hours.sessions:
                begin, end = _at(day, opens), _at(day, closes)
                if end > start:
                    yield max(begin, start), end
        day += timedelta(days=1)
    raise ValueError(
        _("Lịch làm việc không có ngày làm việc nào trong %(days)s ngày.")
        % {"days": _MAX_SEARCH_DAYS}
    )


def next_working_moment(*, at: datetime, hours: OfficeHours, calendar: WorkCalendar) -> datetime:
    """The first moment at or after `at` when the office is open."""
    begin, _end = next(_sessions_from(_local(at, "at"), hours, calendar))
    return begin


def add_working_minutes(
    *, start: datetime, minutes: int, hours: OfficeHours, calendar: WorkCalendar
) -> datetime:
    """The moment at which `minutes` of office time have passed since `start`.

    A count that runs out exactly at a closing time ends there (11:30, 17:00), not at the next
    opening. Zero minutes returns `start` unchanged.
    """
    if minutes < 0:
        raise ValueError(_("Số phút làm việc không được âm."))
    start = _local(start, "start")
    if minutes == 0:
        return start
    remaining = timedelta(minutes=minutes)
    for begin, end in _sessions_from(start, hours, calendar):
        if end - begin >= remaining:
            return begin + remaining
        remaining -= end - begin
    raise AssertionError("unreachable: _sessions_from raises when it runs out")


def working_minutes_between(
    *, start: datetime, end: datetime, hours: OfficeHours, calendar: WorkCalendar
) -> int:
    """Whole minutes of office time in [start, end); 0 when end is not after start."""
    start, end = _local(start, "start"), _local(end, "end")
    total = timedelta()
    day = start.date()
    while day <= end.date():
        if calendar.is_working_day(day):
            for opens, closes in hours.sessions:
                begin, finish = max(_at(day, opens), start), min(_at(day, closes), end)
                if finish > begin:
                    total += finish - begin
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


def extend_for_pause(
    *,
    due_at: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    hours: OfficeHours,
    calendar: WorkCalendar,
) -> datetime:
    """Push the due date back by the office time the dossier spent waiting (supplements, fees)."""
    waited = working_minutes_between(
        start=paused_at, end=resumed_at, hours=hours, calendar=calendar
    )
    return add_working_minutes(start=due_at, minutes=waited, hours=hours, calendar=calendar)


def _to_decimal(amount: Decimal | int | None) -> Decimal:
    if amount is None:
        raise ValueError(_("Thiếu số lượng thời hạn giải quyết."))
    value = Decimal(amount)
    if not value.is_finite() or value <= 0:
        raise ValueError(_("Thời hạn giải quyết phải là số dương."))
    return value


def _format_amount(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _format_moment(moment: datetime) -> str:
    return _("%(time)s ngày %(date)s (%(weekday)s)") % {
        "time": f"{moment:%H:%M}",
        "date": f"{moment:%d/%m/%Y}",
        "weekday": weekday_name(moment),
    }


def _format_duration(minutes: int) -> str:
    hours_part, minutes_part = divmod(minutes, 60)
    if minutes_part == 0:
        return _("%(h)s giờ") % {"h": hours_part}
    return _("%(h)s giờ %(m)s phút") % {"h": hours_part, "m": minutes_part}


def _skipped_days(first: date, last: date, calendar: WorkCalendar) -> tuple[SkippedDay, ...]:
    skipped = []
    day = first
    while day <= last:
        reason = calendar.why_not_working(day)
        if reason is not None:
            skipped.append(SkippedDay(day=day, reason=reason))
        day += timedelta(days=1)
    return tuple(skipped)


def _start_sentence(
    received: datetime, starts_at: datetime, hours: OfficeHours, calendar: WorkCalendar
) -> str | None:
    if starts_at == received:
        return None
    reason = calendar.why_not_working(received.date())
    if reason is not None:
        why = _("ngày %(date)s là ngày nghỉ (%(reason)s)") % {
            "date": f"{received:%d/%m/%Y}",
            "reason": reason,
        }
    elif starts_at.date() != received.date():
        why = _("nhận sau giờ làm việc")
    elif starts_at.time() == hours.morning_opens:
        why = _("nhận trước giờ làm việc")
    else:
        why = _("nhận trong giờ nghỉ trưa")
    return _("Do %(why)s, thời hạn được tính từ %(start)s.") % {
        "why": why,
        "start": _format_moment(starts_at),
    }


def _make_up_sentence(first: date, last: date, calendar: WorkCalendar) -> str | None:
    """Weekend days counted as working days (make-up Saturdays), if the count crossed any."""
    days = []
    day = first
    while day <= last:
        reason = calendar.working_day_reason(day)
        if reason is not None and calendar.is_working_day(day):
            days.append(f"{day:%d/%m/%Y} ({weekday_name(day)}): {reason}")
        day += timedelta(days=1)
    if not days:
        return None
    return _("Có tính ngày làm việc bù: %(days)s.") % {"days": "; ".join(days)}


def _skipped_sentence(skipped: tuple[SkippedDay, ...], *, counted: bool) -> str | None:
    """The days off the count skipped, or (calendar days) those the due date was moved over."""
    if not skipped:
        return None
    days = "; ".join(f"{item.day:%d/%m/%Y}: {item.reason}" for item in skipped)
    if counted:
        return _("Không tính các ngày nghỉ: %(days)s.") % {"days": days}
    return _("Hạn được lùi qua các ngày nghỉ: %(days)s.") % {"days": days}


def compute_due(
    *,
    received_at: datetime,
    amount: Decimal | int | None,
    unit: str,
    hours: OfficeHours,
    calendar: WorkCalendar,
    same_day_cutoff: time | None = None,
) -> Deadline:
    """The appointment for a dossier received at `received_at`, with its own explanation.

    `unit` is a procedures.models.TimeUnit value; `amount` may be fractional (0.5 working day is
    half of the desk's working day; minutes are rounded up). `same_day_cutoff` applies only to
    within-the-day procedures.
    """
    if unit not in TimeUnit.values:
        raise ValueError(
            _("Đơn vị thời hạn giải quyết không hợp lệ: “%(unit)s”.") % {"unit": unit}
            if unit
            else _("Thủ tục chưa có đơn vị thời hạn giải quyết.")
        )
    received = _local(received_at, "received_at")
    starts_at = next_working_moment(at=received, hours=hours, calendar=calendar)
    sentences = [_("Tiếp nhận lúc %(moment)s.") % {"moment": _format_moment(received)}]
    start_sentence = _start_sentence(received, starts_at, hours, calendar)
    if start_sentence:
        sentences.append(start_sentence)

    if unit == TimeUnit.SAME_DAY:
        due_at, rule = _same_day_due(starts_at, hours, calendar, same_day_cutoff)
        sentences.append(rule)
        skipped = _skipped_days(received.date(), due_at.date(), calendar)
    elif unit == TimeUnit.CALENDAR_DAYS:
        value = _to_decimal(amount)
        raw_due = starts_at + timedelta(minutes=math.ceil(value * 24 * 60))
        due_at = _working_or_closing(raw_due, hours, calendar)
        sentences.append(
            _("Thời hạn giải quyết: %(n)s ngày (tính cả ngày nghỉ).") % {"n": _format_amount(value)}
        )
        # Calendar days count holidays; only the days the due date was moved over are skipped.
        skipped = (
            _skipped_days(raw_due.date(), due_at.date(), calendar) if due_at != raw_due else ()
        )
        if due_at != raw_due:
            sentences.append(
                _(
                    "Hạn %(raw)s rơi vào ngày nghỉ hoặc ngoài giờ làm việc nên chuyển sang "
                    "thời điểm làm việc kế tiếp."
                )
                % {"raw": _format_moment(raw_due)}
            )
    else:
        value = _to_decimal(amount)
        if unit == TimeUnit.WORKING_DAYS:
            minutes = math.ceil(value * hours.minutes_per_day)
            sentences.append(
                _(
                    "Thời hạn giải quyết: %(n)s ngày làm việc (1 ngày làm việc = %(day)s "
                    "làm việc: %(hours)s)."
                )
                % {
                    "n": _format_amount(value),
                    "day": _format_duration(hours.minutes_per_day),
                    "hours": hours.label(),
                }
            )
        else:
            minutes = math.ceil(value * 60)
            sentences.append(
                _("Thời hạn giải quyết: %(n)s giờ làm việc (giờ làm việc: %(hours)s).")
                % {"n": _format_amount(value), "hours": hours.label()}
            )
        due_at = add_working_minutes(
            start=starts_at, minutes=minutes, hours=hours, calendar=calendar
        )
        skipped = _skipped_days(received.date(), due_at.date(), calendar)

    for sentence in (
        _skipped_sentence(skipped, counted=unit != TimeUnit.CALENDAR_DAYS),
        _make_up_sentence(starts_at.date(), due_at.date(), calendar),
    ):
        if sentence:
            sentences.append(sentence)
    sentences.append(_("Hẹn trả kết quả: %(moment)s.") % {"moment": _format_moment(due_at)})
    return Deadline(
        starts_at=starts_at, due_at=due_at, skipped=skipped, explanation=tuple(sentences)
    )


def _closing(day: date, hours: OfficeHours) -> datetime:
    return _at(day, hours.afternoon_closes)


def _working_or_closing(moment: datetime, hours: OfficeHours, calendar: WorkCalendar) -> datetime:
    """`moment` itself if the office is open then or closes exactly then, else the next opening."""
    if calendar.is_working_day(moment.date()) and any(
        _at(moment.date(), opens) <= moment <= _at(moment.date(), closes)
        for opens, closes in hours.sessions
    ):
        return moment
    return next_working_moment(at=moment, hours=hours, calendar=calendar)


def _same_day_due(
    starts_at: datetime, hours: OfficeHours, calendar: WorkCalendar, cutoff: time | None
) -> tuple[datetime, str]:
    if cutoff is None or starts_at.time() <= cutoff:
        return _closing(starts_at.date(), hours), _("Thời hạn giải quyết: trong ngày.")
    next_day = next_working_moment(
        at=_closing(starts_at.date(), hours), hours=hours, calendar=calendar
    ).date()
    return _closing(next_day, hours), (
        _(
            "Thời hạn giải quyết: trong ngày; hồ sơ nhận sau %(cutoff)s được hẹn trả "
            "ngày làm việc tiếp theo."
        )
        % {"cutoff": f"{cutoff:%H:%M}"}
    )
