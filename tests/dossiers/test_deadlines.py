"""The deadline engine, table-driven across 2022-2027.

Every expected value below was worked out by hand from the calendar and the office hours (default
desk 07:30-11:30 / 13:30-17:00 = 450 minutes a day), never copied from the function's output. The
comment on each row shows the count.
"""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from dossiers.deadlines import (
    OfficeHours,
    WorkCalendar,
    add_working_minutes,
    compute_due,
    extend_for_pause,
    next_working_moment,
    working_minutes_between,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = OfficeHours()
CAL = WorkCalendar()
# A desk open 07:00-11:30 / 13:00-16:30: 8 working hours a day, lunch 11:30-13:00.
EARLY_DESK = OfficeHours(
    morning_opens=time(7, 0),
    morning_closes=time(11, 30),
    afternoon_opens=time(13, 0),
    afternoon_closes=time(16, 30),
)

SAT, SUN = "Thứ Bảy", "Chủ nhật"
GIO_TO = "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
APR30 = "Ngày Giải phóng miền Nam, thống nhất đất nước (30/4)"
MAY1 = "Ngày Quốc tế Lao động (1/5)"
SEP2 = "Quốc khánh (2/9)"
SEP2_ADJ = "Quốc khánh (ngày nghỉ liền kề 2/9)"
JAN1 = "Tết Dương lịch (1/1)"
T29 = "Tết Nguyên đán (29 Tết)"
EVE = "Tết Nguyên đán (Giao thừa)"
TET1 = "Tết Nguyên đán (Mùng một Tết)"
TET2 = "Tết Nguyên đán (Mùng hai Tết)"
TET3 = "Tết Nguyên đán (Mùng ba Tết)"
TET4 = "Tết Nguyên đán (Mùng bốn Tết)"
TET5 = "Tết Nguyên đán (Mùng năm Tết)"


def at(y: int, mo: int, d: int, h: int = 9, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=TZ)


# (received_at, amount, unit, expected due_at, expected skipped reasons in order)
WORKING_DAY_ROWS = [
    # Plain weekdays: same time N working days later.
    (at(2023, 3, 6), 1, "working_days", at(2023, 3, 7), []),
    (at(2023, 3, 6), 3, "working_days", at(2023, 3, 9), []),
    (at(2023, 3, 10), 1, "working_days", at(2023, 3, 13), [SAT, SUN]),
    # 1/1/2022 Sat, substitute Mon 3/1.
    (at(2021, 12, 31), 1, "working_days", at(2022, 1, 4), [JAN1, SUN, f"Nghỉ bù {JAN1}"]),
    # Tết 2022: 29/1 Sat .. 6/2 Sun; Fri 16:00 + 450 min = 60 on Fri, 390 from Mon 7/2 07:30.
    (
        at(2022, 1, 28, 16),
        1,
        "working_days",
        at(2022, 2, 7, 16),
        [SAT, SUN, EVE, TET1, TET2, TET3, TET4, SAT, SUN],
    ),
    # Tết 2023: 20/1 (29 Tết) .. 26/1; Fri 27/1 works, so 3 days: 27/1, 30/1, 31/1.
    (
        at(2023, 1, 19),
        3,
        "working_days",
        at(2023, 1, 31),
        [T29, EVE, TET1, TET2, TET3, TET4, TET5, SAT, SUN],
    ),
    # Tết 2024: 8/2 .. 14/2 (the Saturday and Sunday are Tết days themselves).
    (
        at(2024, 2, 7, 14),
        2,
        "working_days",
        at(2024, 2, 16, 14),
        [T29, EVE, TET1, TET2, TET3, TET4, TET5],
    ),
    # Tết 2025: 25/1 Sat .. 2/2 Sun.
    (
        at(2025, 1, 24, 10),
        1,
        "working_days",
        at(2025, 2, 3, 10),
        [SAT, SUN, T29, EVE, TET1, TET2, TET3, TET4, SUN],
    ),
    # Tết 2026: 14/2 Sat .. 22/2 Sun; day 1 = Mon 23/2, day 2 = Tue 24/2.
    (
        at(2026, 2, 13, 15),
        2,
        "working_days",
        at(2026, 2, 24, 15),
        [SAT, SUN, EVE, TET1, TET2, TET3, TET4, SAT, SUN],
    ),
    # Tết 2027: 4/2 (29 Tết) .. 10/2 Wed.
    (
        at(2027, 2, 3),
        1,
        "working_days",
        at(2027, 2, 11),
        [T29, EVE, TET1, TET2, TET3, TET4, TET5],
    ),
    # Giỗ Tổ 2022 on Sunday 10/4, substitute Monday 11/4.
    (
        at(2022, 4, 8, 10),
        1,
        "working_days",
        at(2022, 4, 12, 10),
        [SAT, GIO_TO, f"Nghỉ bù {GIO_TO}"],
    ),
    # Giỗ Tổ 2024 on Thursday 18/4.
    (at(2024, 4, 17), 1, "working_days", at(2024, 4, 19), [GIO_TO]),
    # Giỗ Tổ 2025 on Monday 7/4.
    (at(2025, 4, 4), 1, "working_days", at(2025, 4, 8), [SAT, SUN, GIO_TO]),
    # Giỗ Tổ 2026 on Sunday 26/4, substitute Monday 27/4: day 1 Tue 28/4, day 2 Wed 29/4.
    (at(2026, 4, 24), 2, "working_days", at(2026, 4, 29), [SAT, GIO_TO, f"Nghỉ bù {GIO_TO}"]),
    # 2022: 30/4 Sat and 1/5 Sun, substitutes Mon 2/5 and Tue 3/5.
    (
        at(2022, 4, 29),
        1,
        "working_days",
        at(2022, 5, 4),
        [APR30, MAY1, f"Nghỉ bù {APR30}", f"Nghỉ bù {MAY1}"],
    ),
    # 2023: Giỗ Tổ Sat 29/4, 30/4 Sun, 1/5 Mon, substitutes Tue 2/5 and Wed 3/5.
    (
        at(2023, 4, 28),
        1,
        "working_days",
        at(2023, 5, 4),
        [GIO_TO, APR30, MAY1, f"Nghỉ bù {GIO_TO}", f"Nghỉ bù {APR30}"],
    ),
    # 2024: Mon 29/4 off in exchange for Saturday 4/5; day 1 Thu 2/5, day 2 Fri 3/5.
    (
        at(2024, 4, 26),
        2,
        "working_days",
        at(2024, 5, 3),
        [SAT, SUN, "Nghỉ hoán đổi (làm bù ngày 04/05/2024)", APR30, MAY1],
    ),
    # ... and Saturday 4/5/2024 is a working day.
    (at(2024, 5, 3), 1, "working_days", at(2024, 5, 4), []),
    # 2025: Saturday 26/4 works, Friday 2/5 is off in exchange.
    (at(2025, 4, 25), 1, "working_days", at(2025, 4, 26), []),
    (
        at(2025, 4, 29),
        1,
        "working_days",
        at(2025, 5, 5),
        [APR30, MAY1, "Nghỉ hoán đổi (làm bù ngày 26/04/2025)", SAT, SUN],
    ),
    # 2/9 and an adjacent day: 2022 Thu 1/9 + Fri 2/9.
    (at(2022, 8, 31), 1, "working_days", at(2022, 9, 5), [SEP2_ADJ, SEP2, SAT, SUN]),
    # 2023: Fri 1/9, Sat 2/9, substitute Mon 4/9.
    (at(2023, 8, 31), 1, "working_days", at(2023, 9, 5), [SEP2_ADJ, SEP2, SUN, f"Nghỉ bù {SEP2}"]),
    # 2024: Mon 2/9 + Tue 3/9.
    (at(2024, 8, 30), 1, "working_days", at(2024, 9, 4), [SAT, SUN, SEP2, SEP2_ADJ]),
    # 2025: Mon 1/9 + Tue 2/9.
    (at(2025, 8, 29), 1, "working_days", at(2025, 9, 3), [SAT, SUN, SEP2_ADJ, SEP2]),
    # 2026: Saturday 22/8 works; Mon 31/8 off in exchange, Tue 1/9, Wed 2/9.
    (at(2026, 8, 21), 1, "working_days", at(2026, 8, 22), []),
    (
        at(2026, 8, 28, 14),
        1,
        "working_days",
        at(2026, 9, 3, 14),
        [SAT, SUN, "Nghỉ hoán đổi (làm bù ngày 22/08/2026)", SEP2_ADJ, SEP2],
    ),
    # 2027: Thu 2/9 + Fri 3/9.
    (at(2027, 9, 1), 1, "working_days", at(2027, 9, 6), [SEP2, SEP2_ADJ, SAT, SUN]),
    # Vietnamese Culture Day, 24/11, a day off from 2026 (an ordinary Monday in 2025).
    (at(2026, 11, 23), 1, "working_days", at(2026, 11, 25), ["Ngày Văn hóa Việt Nam (24/11)"]),
    (at(2025, 11, 21), 1, "working_days", at(2025, 11, 24), [SAT, SUN]),
    # Office hours: a day ending exactly at closing stays on that day.
    (at(2023, 3, 6, 7, 30), 1, "working_days", at(2023, 3, 6, 17), []),
    # Lunch reception counts from 13:30: 210 min on Monday + 240 on Tuesday morning -> 11:30.
    (at(2023, 3, 6, 12, 15), 1, "working_days", at(2023, 3, 7, 11, 30), []),
    # Before opening counts from 07:30.
    (at(2023, 3, 6, 6, 45), 1, "working_days", at(2023, 3, 6, 17), []),
    # Online after hours on Monday evening: from Tuesday 07:30.
    (at(2023, 3, 6, 20), 1, "working_days", at(2023, 3, 7, 17), []),
    # Online on Saturday: from Monday 07:30; the Saturday itself is skipped too.
    (at(2023, 3, 11, 10), 1, "working_days", at(2023, 3, 13, 17), [SAT, SUN]),
    # Decimal days: 1.5 days = 675 min; Tue 09:00 + 225 min = 11:30 (150) then 13:30 + 75.
    (at(2023, 3, 6), Decimal("1.5"), "working_days", at(2023, 3, 7, 14, 45), []),
    # 0.5 day (225 min) across a make-up Saturday: 60 min Fri 25/4/2025, 165 min on Sat 26/4.
    (at(2025, 4, 25, 16), Decimal("0.5"), "working_days", at(2025, 4, 26, 10, 15), []),
    # Working hours: 4 h from 10:00 = 90 min morning + 150 min from 13:30.
    (at(2023, 3, 6, 10), 4, "working_hours", at(2023, 3, 6, 16), []),
    # 8 h from 15:00 = 120 Monday + 240 Tuesday morning + 120 from 13:30.
    (at(2023, 3, 6, 15), 8, "working_hours", at(2023, 3, 7, 15, 30), []),
    # 4 h from 07:30 ends exactly at the lunch closing.
    (at(2023, 3, 6, 7, 30), 4, "working_hours", at(2023, 3, 6, 11, 30), []),
    # Half an hour from 11:15: 15 min before lunch, 15 after.
    (at(2023, 3, 6, 11, 15), Decimal("0.5"), "working_hours", at(2023, 3, 6, 13, 45), []),
    # 16 h (960 min) from Wed 7/2/2024 09:00: 360 min that day, Tết 8/2-14/2, 450 on Thu 15/2,
    # and the last 150 from Fri 16/2 07:30 -> 10:00.
    (
        at(2024, 2, 7),
        16,
        "working_hours",
        at(2024, 2, 16, 10),
        [T29, EVE, TET1, TET2, TET3, TET4, TET5],
    ),
    # Calendar days: same time N days later.
    (at(2023, 3, 6), 15, "calendar_days", at(2023, 3, 21), []),
    # ... landing on Saturday 25/3/2023: next working moment Monday 07:30.
    (at(2023, 3, 10), 15, "calendar_days", at(2023, 3, 27, 7, 30), [SAT, SUN]),
    # ... landing on Giao thừa 21/1/2023: moved over Tết to Friday 27/1 07:30.
    (
        at(2023, 1, 11),
        10,
        "calendar_days",
        at(2023, 1, 27, 7, 30),
        [EVE, TET1, TET2, TET3, TET4, TET5],
    ),
    # ... counted from the next working moment when received after hours: Tue 07:30 + 1 day.
    (at(2023, 3, 6, 18), 1, "calendar_days", at(2023, 3, 8, 7, 30), []),
    # ... half a calendar day from Mon 16:00 = Tue 04:00, before opening -> Tue 07:30.
    (at(2023, 3, 6, 16), Decimal("0.5"), "calendar_days", at(2023, 3, 7, 7, 30), []),
]


@pytest.mark.parametrize(("received_at", "amount", "unit", "due_at", "reasons"), WORKING_DAY_ROWS)
def test_compute_due_matches_hand_count_when_default_desk(
    received_at: datetime, amount: object, unit: str, due_at: datetime, reasons: list[str]
) -> None:
    deadline = compute_due(
        received_at=received_at, amount=amount, unit=unit, hours=HOURS, calendar=CAL
    )
    assert deadline.due_at == due_at
    assert [item.reason for item in deadline.skipped] == reasons


SAME_DAY_ROWS = [
    # (received_at, cutoff, expected due_at, skipped reasons)
    (at(2023, 3, 6, 14, 59), time(15), at(2023, 3, 6, 17), []),
    (at(2023, 3, 6, 15, 0), time(15), at(2023, 3, 6, 17), []),
    (at(2023, 3, 6, 15, 1), time(15), at(2023, 3, 7, 17), []),
    # Friday after the cut-off: Monday's closing.
    (at(2023, 3, 10, 16), time(15), at(2023, 3, 13, 17), [SAT, SUN]),
    # Before the 30/4-1/5/2023 break: the next working day is Thursday 4/5.
    (
        at(2023, 4, 28, 15, 30),
        time(15),
        at(2023, 5, 4, 17),
        [GIO_TO, APR30, MAY1, f"Nghỉ bù {GIO_TO}", f"Nghỉ bù {APR30}"],
    ),
    # Online on Saturday: the clock starts Monday 07:30, before the cut-off.
    (at(2023, 3, 11, 10), time(15), at(2023, 3, 13, 17), [SAT, SUN]),
    # Online after closing: starts Tuesday 07:30.
    (at(2023, 3, 6, 17, 30), time(15), at(2023, 3, 7, 17), []),
    # Without a cut-off, anything received during office hours is due at closing.
    (at(2023, 3, 6, 16, 30), None, at(2023, 3, 6, 17), []),
]


@pytest.mark.parametrize(("received_at", "cutoff", "due_at", "reasons"), SAME_DAY_ROWS)
def test_compute_due_applies_cutoff_when_same_day(
    received_at: datetime, cutoff: time | None, due_at: datetime, reasons: list[str]
) -> None:
    deadline = compute_due(
        received_at=received_at,
        amount=None,
        unit="same_day",
        hours=HOURS,
        calendar=CAL,
        same_day_cutoff=cutoff,
    )
    assert deadline.due_at == due_at
    assert [item.reason for item in deadline.skipped] == reasons


EARLY_DESK_ROWS = [
    # 1 day = 480 min here: 30 min Monday (16:00-16:30), 270 Tuesday morning, 180 from 13:00.
    (at(2023, 3, 6, 16), 1, "working_days", None, at(2023, 3, 7, 16)),
    # After its 16:30 closing: from Tuesday 07:00, a full day ends at Tuesday 16:30.
    (at(2023, 3, 6, 16, 45), 1, "working_days", None, at(2023, 3, 7, 16, 30)),
    # Lunch ends at 13:00 here: 2 h from 12:30 -> 15:00.
    (at(2023, 3, 6, 12, 30), 2, "working_hours", None, at(2023, 3, 6, 15)),
    # Half a day is 4 h here: 09:00 + 150 min to 11:30, then 90 min from 13:00.
    (at(2023, 3, 6), Decimal("0.5"), "working_days", None, at(2023, 3, 6, 14, 30)),
    # Within the day closes at 16:30.
    (at(2023, 3, 6, 10), None, "same_day", time(15), at(2023, 3, 6, 16, 30)),
]


@pytest.mark.parametrize(("received_at", "amount", "unit", "cutoff", "due_at"), EARLY_DESK_ROWS)
def test_compute_due_counts_desk_hours_when_desk_has_other_office_hours(
    received_at: datetime, amount: object, unit: str, cutoff: time | None, due_at: datetime
) -> None:
    deadline = compute_due(
        received_at=received_at,
        amount=amount,
        unit=unit,
        hours=EARLY_DESK,
        calendar=CAL,
        same_day_cutoff=cutoff,
    )
    assert deadline.due_at == due_at


def test_compute_due_uses_extra_day_off_when_calendar_has_one() -> None:
    calendar = WorkCalendar(extra_days_off={date(2027, 1, 4): "Nghỉ theo quyết định của tỉnh"})
    deadline = compute_due(
        received_at=at(2026, 12, 31), amount=1, unit="working_days", hours=HOURS, calendar=calendar
    )
    # Fri 1/1 holiday, weekend, Mon 4/1 declared off -> Tuesday 5/1/2027 09:00.
    assert deadline.due_at == at(2027, 1, 5)
    assert [item.reason for item in deadline.skipped] == [
        JAN1,
        SAT,
        SUN,
        "Nghỉ theo quyết định của tỉnh",
    ]


def test_compute_due_counts_extra_working_saturday_when_calendar_has_one() -> None:
    calendar = WorkCalendar(extra_working_days={date(2027, 1, 9): "Làm bù cho ngày 04/01/2027"})
    deadline = compute_due(
        received_at=at(2027, 1, 8), amount=1, unit="working_days", hours=HOURS, calendar=calendar
    )
    assert deadline.due_at == at(2027, 1, 9)
    assert deadline.skipped == ()
    assert any(
        "09/01/2027 (Thứ Bảy): Làm bù cho ngày 04/01/2027" in s for s in deadline.explanation
    )


def test_compute_due_returns_local_aware_times_when_received_in_utc() -> None:
    deadline = compute_due(
        received_at=datetime(2023, 3, 6, 2, 0, tzinfo=UTC),  # 09:00 in Hồ Chí Minh City
        amount=1,
        unit="working_days",
        hours=HOURS,
        calendar=CAL,
    )
    assert deadline.starts_at == at(2023, 3, 6)
    assert deadline.due_at == at(2023, 3, 7)
    assert deadline.due_at.utcoffset() == timedelta(hours=7)
    assert deadline.due_at.tzinfo == TZ


def test_compute_due_explains_itself_when_received_after_hours_before_tet() -> None:
    deadline = compute_due(
        received_at=at(2023, 1, 19, 17, 45),
        amount=1,
        unit="working_days",
        hours=HOURS,
        calendar=CAL,
    )
    # The clock starts at the next opening, Fri 27/1 07:30, and a full day ends at 17:00.
    assert deadline.starts_at == at(2023, 1, 27, 7, 30)
    assert deadline.due_at == at(2023, 1, 27, 17)
    assert deadline.explanation[0] == "Tiếp nhận lúc 17:45 ngày 19/01/2023 (Thứ Năm)."
    assert deadline.explanation[1] == (
        "Do nhận sau giờ làm việc, thời hạn được tính từ 07:30 ngày 27/01/2023 (Thứ Sáu)."
    )
    assert (
        "1 ngày làm việc = 7 giờ 30 phút làm việc: 07:30–11:30, 13:30–17:00"
        in (deadline.explanation[2])
    )
    assert "21/01/2023: Tết Nguyên đán (Giao thừa)" in deadline.explanation[3]
    assert deadline.explanation[-1] == "Hẹn trả kết quả: 17:00 ngày 27/01/2023 (Thứ Sáu)."


def test_compute_due_explains_lunch_start_when_received_over_lunch() -> None:
    deadline = compute_due(
        received_at=at(2023, 3, 6, 12), amount=2, unit="working_hours", hours=HOURS, calendar=CAL
    )
    assert deadline.starts_at == at(2023, 3, 6, 13, 30)
    assert deadline.due_at == at(2023, 3, 6, 15, 30)
    assert deadline.explanation[1].startswith("Do nhận trong giờ nghỉ trưa")


def test_compute_due_mentions_make_up_saturday_when_count_crosses_it() -> None:
    deadline = compute_due(
        received_at=at(2025, 4, 25), amount=1, unit="working_days", hours=HOURS, calendar=CAL
    )
    assert "26/04/2025 (Thứ Bảy): Làm bù cho ngày nghỉ 02/05/2025" in deadline.explanation[-2]


@pytest.mark.parametrize(
    ("unit", "amount", "message"),
    [
        ("", 3, "chưa có đơn vị thời hạn"),
        ("weeks", 3, "không hợp lệ"),
        ("working_days", None, "Thiếu số lượng"),
        ("working_hours", 0, "số dương"),
        ("calendar_days", Decimal("-1"), "số dương"),
    ],
)
def test_compute_due_raises_when_unit_or_amount_invalid(
    unit: str, amount: object, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        compute_due(received_at=at(2023, 3, 6), amount=amount, unit=unit, hours=HOURS, calendar=CAL)


def test_compute_due_raises_when_received_at_naive() -> None:
    with pytest.raises(ValueError, match="múi giờ"):
        compute_due(
            received_at=datetime(2023, 3, 6, 9),  # noqa: DTZ001 - the point of the test
            amount=1,
            unit="working_days",
            hours=HOURS,
            calendar=CAL,
        )


PAUSE_ROWS = [
    # (due_at, paused_at, resumed_at, expected new due_at)
    # Tue 10:00 -> Wed 10:00 = 90 + 210 + 150 = 450 min (one day): Thu 09:00 -> Fri 09:00.
    (at(2023, 3, 9), at(2023, 3, 7, 10), at(2023, 3, 8, 10), at(2023, 3, 10)),
    # Over a weekend: Fri 16:00-17:00 (60) + Mon 07:30-08:00 (30) = 90 min;
    # Tue 14/3 16:30 + 90 = 30 min to 17:00 + 60 from Wed 07:30.
    (at(2023, 3, 14, 16, 30), at(2023, 3, 10, 16), at(2023, 3, 13, 8), at(2023, 3, 15, 8, 30)),
    # Over Tết 2024: Wed 7/2 15:00-17:00 (120) + Thu 15/2 07:30-09:00 (90) = 210 min;
    # Fri 16/2 14:00 + 210 = 180 to 17:00 + 30 from Mon 19/2 07:30.
    (at(2024, 2, 16, 14), at(2024, 2, 7, 15), at(2024, 2, 15, 9), at(2024, 2, 19, 8)),
    # Paused and resumed in the same evening: no working time waited, nothing moves.
    (at(2023, 3, 9), at(2023, 3, 6, 18), at(2023, 3, 6, 21), at(2023, 3, 9)),
    # Resumed "before" paused (bad input) waits nothing.
    (at(2023, 3, 9), at(2023, 3, 8, 10), at(2023, 3, 7, 10), at(2023, 3, 9)),
]


@pytest.mark.parametrize(("due_at", "paused_at", "resumed_at", "expected"), PAUSE_ROWS)
def test_extend_for_pause_adds_waited_working_time_when_paused(
    due_at: datetime, paused_at: datetime, resumed_at: datetime, expected: datetime
) -> None:
    assert (
        extend_for_pause(
            due_at=due_at, paused_at=paused_at, resumed_at=resumed_at, hours=HOURS, calendar=CAL
        )
        == expected
    )


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (at(2023, 3, 6, 7, 30), at(2023, 3, 10, 17), 5 * 450),
        (at(2023, 3, 10, 17), at(2023, 3, 13, 7, 30), 0),
        (at(2023, 3, 6, 11, 30), at(2023, 3, 6, 13, 30), 0),
        (at(2023, 3, 6, 11), at(2023, 3, 6, 14), 60),
        (at(2023, 3, 6, 14), at(2023, 3, 6, 11), 0),
        # Tết 2025 week: only Fri 24/1 afternoon (from 15:00: 120) and Mon 3/2 morning (90).
        (at(2025, 1, 24, 15), at(2025, 2, 3, 9), 210),
    ],
)
def test_working_minutes_between_counts_office_time_when_spanning_days(
    start: datetime, end: datetime, minutes: int
) -> None:
    assert working_minutes_between(start=start, end=end, hours=HOURS, calendar=CAL) == minutes


def test_add_working_minutes_returns_start_when_zero_minutes() -> None:
    start = at(2023, 3, 11, 10)  # a Saturday: zero minutes does not move it
    assert add_working_minutes(start=start, minutes=0, hours=HOURS, calendar=CAL) == start


def test_add_working_minutes_raises_when_negative() -> None:
    with pytest.raises(ValueError, match="không được âm"):
        add_working_minutes(start=at(2023, 3, 6), minutes=-1, hours=HOURS, calendar=CAL)


def test_add_working_minutes_raises_when_calendar_never_works() -> None:
    # Every day off for the next ten years: a configuration error, reported instead of looping.
    start = date(2030, 1, 1)
    closed = WorkCalendar(
        extra_days_off={start + timedelta(days=n): "Đóng cửa" for n in range(3700)}
    )
    with pytest.raises(ValueError, match="không có ngày làm việc"):
        add_working_minutes(start=at(2030, 1, 1), minutes=1, hours=HOURS, calendar=closed)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2023, 3, 6, 9), at(2023, 3, 6, 9)),
        (at(2023, 3, 6, 11, 30), at(2023, 3, 6, 13, 30)),
        (at(2023, 3, 6, 17), at(2023, 3, 7, 7, 30)),
        (at(2024, 2, 7, 17, 30), at(2024, 2, 15, 7, 30)),
    ],
)
def test_next_working_moment_skips_closed_time_when_office_closed(
    moment: datetime, expected: datetime
) -> None:
    assert next_working_moment(at=moment, hours=HOURS, calendar=CAL) == expected


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2023, 3, 4), SAT),
        (date(2023, 3, 5), SUN),
        (date(2023, 3, 6), None),
        (date(2024, 2, 10), TET1),
        (date(2025, 4, 7), GIO_TO),
        (date(2023, 5, 2), f"Nghỉ bù {GIO_TO}"),
        (date(2025, 4, 26), None),  # make-up Saturday
        (date(2026, 8, 22), None),  # make-up Saturday
        (date(2026, 11, 24), "Ngày Văn hóa Việt Nam (24/11)"),
    ],
)
def test_why_not_working_names_reason_when_office_closed(day: date, reason: str | None) -> None:
    assert CAL.why_not_working(day) == reason
    assert CAL.is_working_day(day) is (reason is None)


def test_why_not_working_prefers_calendar_rows_when_they_override_the_law() -> None:
    calendar = WorkCalendar(
        extra_days_off={date(2023, 3, 6): "Nghỉ bù (quyết định của tỉnh)"},
        extra_working_days={date(2023, 1, 2): "Làm việc (sửa lịch)"},
    )
    assert calendar.why_not_working(date(2023, 3, 6)) == "Nghỉ bù (quyết định của tỉnh)"
    assert calendar.is_working_day(date(2023, 1, 2)) is True


def test_office_hours_for_desk_reads_the_four_fields_when_given_a_desk() -> None:
    desk = SimpleNamespace(
        morning_opens=time(7),
        morning_closes=time(11, 30),
        afternoon_opens=time(13),
        afternoon_closes=time(16, 30),
    )
    hours = OfficeHours.for_desk(desk)
    assert hours == EARLY_DESK
    assert hours.minutes_per_day == 480
    assert HOURS.minutes_per_day == 450


def test_office_hours_raises_when_sessions_out_of_order() -> None:
    with pytest.raises(ValueError, match="Giờ làm việc không hợp lệ"):
        OfficeHours(morning_opens=time(12), morning_closes=time(11))


def test_compute_due_explains_move_when_calendar_days_land_on_tet() -> None:
    deadline = compute_due(
        received_at=at(2023, 1, 11), amount=10, unit="calendar_days", hours=HOURS, calendar=CAL
    )
    assert deadline.explanation[1] == "Thời hạn giải quyết: 10 ngày (tính cả ngày nghỉ)."
    assert deadline.explanation[2].startswith(
        "Hạn 09:00 ngày 21/01/2023 (Thứ Bảy) rơi vào ngày nghỉ"
    )
    assert deadline.explanation[3].startswith(
        "Hạn được lùi qua các ngày nghỉ: 21/01/2023: Tết Nguyên đán (Giao thừa);"
    )
    assert deadline.explanation[-1] == "Hẹn trả kết quả: 07:30 ngày 27/01/2023 (Thứ Sáu)."


@pytest.mark.django_db
def test_processing_time_takes_the_channels_own_time_when_its_method_states_one():
    from dossiers.services.clock import processing_time
    from procedures.models import Channel, SubmissionMethod
    from tests.dossiers.engine_world import make_world

    procedure = make_world().procedure
    own = (procedure.processing_time_amount, procedure.processing_time_unit)
    SubmissionMethod.objects.create(procedure=procedure, channel=Channel.ONLINE)  # states none
    SubmissionMethod.objects.create(
        procedure=procedure,
        channel=Channel.DIRECT,
        processing_time_amount=Decimal(3),
        processing_time_unit="working_days",
    )
    SubmissionMethod.objects.create(
        procedure=procedure,
        channel=Channel.DIRECT,
        processing_time_amount=Decimal(9),
        processing_time_unit="working_days",
    )
    assert processing_time(procedure=procedure, channel=Channel.ONLINE) == own
    assert processing_time(procedure=procedure, channel=Channel.DIRECT) == (
        Decimal(3),
        "working_days",
    )
    assert processing_time(procedure=procedure, channel=Channel.POSTAL) == own
