"""Mẫu 06 (Sổ theo dõi hồ sơ) as an XLSX workbook."""

import datetime
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from dossiers.models import Dossier
from dossiers.pdf.context import TRACKING_BOOK_HEADINGS, tracking_book_row
from onestop.cells import safe_cell, safe_row
from onestop.models import Desk


def render_tracking_book_xlsx(
    *, desk: Desk, start: datetime.date, end: datetime.date, dossiers: Sequence[Dossier]
) -> bytes:
    """One sheet: title rows, the Mẫu 06 headings, one row per dossier."""
    book = Workbook()
    sheet = book.active
    sheet.title = "So theo doi ho so"
    sheet.append(["SỔ THEO DÕI HỒ SƠ"])
    sheet.append([safe_cell(f"{desk.name} — từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}")])
    sheet.append(list(TRACKING_BOOK_HEADINGS))
    for cell in sheet[1] + sheet[3]:
        cell.font = Font(bold=True)
    for cell in sheet[3]:
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, dossier in enumerate(dossiers, start=1):
        # Applicant text is typed by anyone: never let it run as a formula.
        sheet.append(safe_row(tracking_book_row(index, dossier)))
    for column, width in zip(
        "ABCDEFGHIJKL", (6, 28, 45, 10, 28, 30, 30, 14, 18, 30, 14, 18), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
