"""Spreadsheet cells that cannot run as formulas (CSV/Excel injection), for every export."""

from collections.abc import Iterable
from typing import Any

# Excel, LibreOffice and Google Sheets start a formula (or DDE call) with these.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula, prefixed with ' so it stays text.

    Only strings change: numbers (negative ones included), dates and None keep their type.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
