"""Seed the editable calendar with the Government's decisions the `holidays` package does not know.

Checked against holidays 0.109 for 2022-2027: the package already has every public holiday with
its lunar dates, the substitute days (nghỉ bù) and the swaps of 29/4/2024 (make-up Saturday
4/5/2024), 2/5/2025 (26/4/2025) and 31/8/2026 (22/8/2026), Tết 2022-2027 as decided (or, for
2027, as the Labour Code implies) and Vietnamese Culture Day 24/11 from 2026. What it lacks is the
New Year 2026 swap below. Only decisions with a document number go here; an entry inferred
without one must say "(dự kiến)" in its name. Each entry is skipped if the package learns it.
"""

from datetime import date
from typing import TextIO

from dossiers.calendar import calendar_day_create, calendar_day_get, calendar_day_update
from dossiers.deadlines import WorkCalendar
from dossiers.models import CalendarDayKind

_NEW_YEAR_2026 = "Công văn 12729/VPCP-KGVX ngày 25/12/2025"

GOVERNMENT_DAYS: list[tuple[date, str, str]] = [
    (
        date(2026, 1, 2),
        CalendarDayKind.DAY_OFF,
        f"Nghỉ hoán đổi dịp Tết Dương lịch 2026, làm bù thứ Bảy 10/01/2026 ({_NEW_YEAR_2026})",
    ),
    (
        date(2026, 1, 10),
        CalendarDayKind.WORKING_DAY,
        f"Làm bù cho ngày nghỉ 02/01/2026 dịp Tết Dương lịch ({_NEW_YEAR_2026})",
    ),
]


def _law_knows(day: date, kind: str) -> bool:
    works = WorkCalendar().is_working_day(day)
    return works if kind == CalendarDayKind.WORKING_DAY else not works


def run(stdout: TextIO) -> None:
    """Create or refresh the rows of GOVERNMENT_DAYS; running it twice changes nothing."""
    created = updated = skipped = 0
    for day, kind, name in GOVERNMENT_DAYS:
        row = calendar_day_get(day=day)
        if row is None:
            if _law_knows(day, kind):
                skipped += 1
                continue
            calendar_day_create(day=day, kind=kind, name=name)
            created += 1
        elif (row.kind, row.name) != (kind, name):
            calendar_day_update(calendar_day=row, kind=kind, name=name)
            updated += 1
    stdout.write(
        f"  Lịch ngày nghỉ, làm bù: thêm {created}, cập nhật {updated}, "
        f"bỏ qua {skipped} (gói holidays đã biết).\n"
    )
