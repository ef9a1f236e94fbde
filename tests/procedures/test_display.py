"""Processing times with their unit, singular and plural, and wording for a missing value."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from procedures.display import processing_time_label


@pytest.mark.parametrize(
    ("amount", "unit", "vi", "en"),
    [
        (Decimal("1"), "working_days", "1 ngày làm việc", "1 working day"),
        (Decimal("3.0"), "working_days", "3 ngày làm việc", "3 working days"),
        (Decimal("0.5"), "working_days", "0.5 ngày làm việc", "0.5 working days"),
        (Decimal("8"), "working_hours", "8 giờ làm việc", "8 working hours"),
        (Decimal("1"), "working_hours", "1 giờ làm việc", "1 working hour"),
        (Decimal("30"), "calendar_days", "30 ngày", "30 days"),
        (None, "", "chưa có thông tin", "not available"),
    ],
)
def test_processing_time_label_says_the_unit_when_rendered(amount, unit, vi, en):
    with translation.override("vi"):
        assert processing_time_label(amount=amount, unit=unit) == vi
    with translation.override("en"):
        assert processing_time_label(amount=amount, unit=unit) == en


def test_processing_time_label_names_the_cutoff_when_same_day():
    with translation.override("vi"):
        label = processing_time_label(
            amount=None, unit="same_day", same_day_cutoff=datetime.time(15, 0)
        )
    assert label == "Trong ngày (nhận sau 15:00 trả vào ngày làm việc tiếp theo)"
