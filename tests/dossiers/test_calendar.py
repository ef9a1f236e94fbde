"""The editable calendar: loading it for the engine, its services, the seed and the admin."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from dossiers import seed_calendar
from dossiers.calendar import (
    DAYS_BETWEEN,
    calendar_day_create,
    calendar_day_delete,
    calendar_day_update,
    calendar_load,
    calendar_year,
)
from dossiers.deadlines import OfficeHours, compute_due
from dossiers.models import CalendarDay, CalendarDayKind
from tests.factories import make_desk, make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def test_calendar_load_returns_rows_in_range_when_called(django_assert_num_queries) -> None:
    CalendarDay.objects.create(date=date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ")
    CalendarDay.objects.create(
        date=date(2026, 1, 10), kind=CalendarDayKind.WORKING_DAY, name="Làm bù"
    )
    CalendarDay.objects.create(date=date(2026, 3, 2), kind=CalendarDayKind.DAY_OFF, name="Ngoài")
    with django_assert_num_queries(1):
        calendar = calendar_load(start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert calendar.extra_days_off == {date(2026, 1, 2): "Nghỉ"}
    assert calendar.extra_working_days == {date(2026, 1, 10): "Làm bù"}
    # Compiled once (dates in the database's own form), run with other dates.
    assert DAYS_BETWEEN.compiles()
    march = calendar_load(start=date(2026, 2, 1), end=date(2026, 3, 2))
    assert march.extra_days_off == {date(2026, 3, 2): "Ngoài"} and not march.extra_working_days
    assert calendar_load(start=date(2026, 1, 3), end=date(2026, 1, 9)).extra_days_off == {}


def test_calendar_load_feeds_compute_due_when_seeded_new_year_2026() -> None:
    seed_calendar.run(io.StringIO())
    desk = make_desk()
    calendar = calendar_load(start=date(2025, 12, 31), end=date(2026, 1, 31))
    # Wed 31/12/2025 09:00 + 1 working day: Thu 1/1 holiday, Fri 2/1 swapped off, weekend ->
    # Mon 5/1 09:00. 5 days from Thu 8/1 09:00: Fri 9/1, Sat 10/1 (make-up), Mon, Tue, Wed 14/1.
    first = compute_due(
        received_at=datetime(2025, 12, 31, 9, tzinfo=TZ),
        amount=1,
        unit="working_days",
        hours=OfficeHours.for_desk(desk),
        calendar=calendar,
    )
    second = compute_due(
        received_at=datetime(2026, 1, 8, 9, tzinfo=TZ),
        amount=5,
        unit="working_days",
        hours=OfficeHours.for_desk(desk),
        calendar=calendar,
    )
    assert first.due_at == datetime(2026, 1, 5, 9, tzinfo=TZ)
    assert [item.day for item in first.skipped] == [
        date(2026, 1, 1),
        date(2026, 1, 2),
        date(2026, 1, 3),
        date(2026, 1, 4),
    ]
    assert second.due_at == datetime(2026, 1, 14, 9, tzinfo=TZ)


def test_seed_calendar_run_changes_nothing_when_run_twice() -> None:
    out = io.StringIO()
    seed_calendar.run(out)
    seed_calendar.run(out)
    rows = list(CalendarDay.objects.values_list("date", "kind"))
    assert rows == [
        (date(2026, 1, 2), CalendarDayKind.DAY_OFF),
        (date(2026, 1, 10), CalendarDayKind.WORKING_DAY),
    ]
    assert "thêm 2" in out.getvalue()
    assert "thêm 0, cập nhật 0" in out.getvalue()


def test_seed_calendar_entries_are_unknown_to_the_holidays_package_when_checked() -> None:
    # The seed must only hold what the law calendar lacks: each entry changes the working-day
    # answer. If a holidays upgrade learns one, the seed skips it (and this test tells us).
    for day, kind, _name in seed_calendar.GOVERNMENT_DAYS:
        assert seed_calendar._law_knows(day, kind) is False, day


def test_calendar_day_create_raises_when_date_already_in_calendar() -> None:
    calendar_day_create(day=date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ bù")
    with pytest.raises(ValidationError) as error:
        calendar_day_create(day=date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Lần hai")
    assert error.value.message_dict["date"] == [
        "Ngày 02/01/2026 đã có trong lịch; hãy sửa dòng đã có."
    ]


def test_calendar_day_create_raises_when_day_off_is_already_a_holiday() -> None:
    with pytest.raises(ValidationError) as error:
        calendar_day_create(day=date(2025, 4, 30), kind=CalendarDayKind.DAY_OFF, name="Nghỉ")
    assert "vốn đã là ngày nghỉ" in error.value.message_dict["date"][0]
    assert "30/4" in error.value.message_dict["date"][0]


def test_calendar_day_create_raises_when_working_day_is_already_a_weekday() -> None:
    with pytest.raises(ValidationError) as error:
        calendar_day_create(day=date(2026, 3, 4), kind=CalendarDayKind.WORKING_DAY, name="Làm bù")
    assert error.value.message_dict["date"] == ["Ngày 04/03/2026 vốn đã là ngày làm việc."]


def test_calendar_day_create_raises_when_name_blank_or_kind_unknown() -> None:
    with pytest.raises(ValidationError) as error:
        calendar_day_create(day=date(2026, 3, 7), kind="holiday", name="   ")
    assert set(error.value.message_dict) == {"name", "kind"}


def test_calendar_day_create_accepts_working_day_when_it_overrides_a_holiday() -> None:
    row = calendar_day_create(
        day=date(2026, 4, 27), kind=CalendarDayKind.WORKING_DAY, name="  Làm việc theo tỉnh  "
    )
    assert row.name == "Làm việc theo tỉnh"
    assert calendar_load(start=row.date, end=row.date).is_working_day(row.date)


def test_calendar_day_update_changes_kind_and_name_when_valid() -> None:
    row = calendar_day_create(day=date(2026, 3, 7), kind=CalendarDayKind.WORKING_DAY, name="Bù")
    calendar_day_update(calendar_day=row, name="Làm bù cho ngày 13/03/2026")
    row.refresh_from_db()
    assert (row.kind, row.name) == (CalendarDayKind.WORKING_DAY, "Làm bù cho ngày 13/03/2026")
    # Turning a Saturday into a day off is meaningless: it already is one.
    with pytest.raises(ValidationError):
        calendar_day_update(calendar_day=row, kind=CalendarDayKind.DAY_OFF)


def test_calendar_day_delete_restores_the_law_when_row_removed() -> None:
    row = calendar_day_create(day=date(2026, 3, 13), kind=CalendarDayKind.DAY_OFF, name="Nghỉ")
    assert not calendar_load(start=row.date, end=row.date).is_working_day(row.date)
    calendar_day_delete(calendar_day=row)
    assert calendar_load(start=row.date, end=row.date).is_working_day(row.date)


def test_calendar_year_merges_law_and_rows_when_listing_a_year() -> None:
    calendar_day_create(day=date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ hoán đổi")
    calendar_day_create(day=date(2026, 4, 27), kind=CalendarDayKind.WORKING_DAY, name="Làm việc")
    days = {day.date: day for day in calendar_year(year=2026)}
    assert days[date(2026, 1, 1)].name == "Tết Dương lịch (1/1)"
    assert days[date(2026, 1, 1)].editable is False
    assert days[date(2026, 1, 2)].editable is True
    assert (days[date(2026, 8, 22)].kind, days[date(2026, 8, 22)].name) == (
        CalendarDayKind.WORKING_DAY,
        "Làm bù cho ngày nghỉ 31/08/2026",
    )
    # A row replaces the law's entry on its date.
    assert days[date(2026, 4, 27)].kind == CalendarDayKind.WORKING_DAY
    assert days[date(2026, 4, 27)].editable is True
    assert list(days) == sorted(days)
    assert all(day.year == 2026 for day in days)


def test_calendar_admin_rejects_duplicate_date_when_added_twice(client) -> None:
    admin_user = make_user(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    CalendarDay.objects.create(date=date(2026, 1, 2), kind=CalendarDayKind.DAY_OFF, name="Nghỉ")
    response = client.post(
        "/admin/dossiers/calendarday/add/",
        {"date": "02/01/2026", "kind": CalendarDayKind.DAY_OFF, "name": "Lần hai"},
    )
    assert response.status_code == 200
    assert "Ngày 02/01/2026 đã có trong lịch" in response.content.decode()
    assert CalendarDay.objects.count() == 1
    listing = client.get("/admin/dossiers/calendarday/")
    assert listing.status_code == 200
    assert "Thứ Sáu" in listing.content.decode()
