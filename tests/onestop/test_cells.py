"""Exports never write applicant or admin text as a live spreadsheet formula (issue 11)."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role
from dossiers.models import DossierStatus
from dossiers.pdf import render_tracking_book_xlsx
from onestop.cells import safe_cell, safe_row
from tests.factories import make_desk, make_dossier, make_unit, make_user

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","bấm")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_prefixes_quote_when_text_starts_a_formula(payload):
    assert safe_cell(payload) == "'" + payload


def test_safe_cell_keeps_numbers_dates_and_plain_text_when_not_formulas():
    day = dt.date(2026, 3, 1)
    assert safe_row([-5, -1.5, 0, day, None, "Nguyễn Văn A", "12-3", ""]) == [
        -5,
        -1.5,
        0,
        day,
        None,
        "Nguyễn Văn A",
        "12-3",
        "",
    ]


@pytest.mark.django_db
def test_tracking_book_xlsx_writes_text_not_formulas_when_applicant_types_one():
    desk = make_desk()
    make_dossier(
        desk=desk,
        status=DossierStatus.RECEIVED,
        applicant_name="=cmd|' /C calc'!A0",
        applicant_address='=HYPERLINK("http://evil.example","x")',
    )
    from dossiers.models import Dossier

    today = timezone.localdate()
    content = render_tracking_book_xlsx(
        desk=desk, start=today, end=today, dossiers=list(Dossier.objects.all())
    )
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = [c.value for c in cells]
    assert "'=cmd|' /C calc'!A0" in values
    assert any(str(v).startswith("'=HYPERLINK(") for v in values)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_stats_export_neutralises_formula_names_when_admin_typed_one(client, fmt):
    unit = make_unit(name='=HYPERLINK("http://evil.example")', level="province")
    client.force_login(make_user(role=Role.ADMIN))
    response = client.get(
        f"/mot-cua/thong-ke/xuat.{fmt}",
        {"period": "custom", "from": "01/03/2026", "to": "30/04/2026", "unit": unit.code},
    )
    assert response.status_code == 200
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        values = [c.value for c in cells]
        numbers = [v for v in values if isinstance(v, int | float)]
        assert numbers, "figures stay numbers"
    else:
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        values = [value for row in rows for value in row]
    assert not [v for v in values if isinstance(v, str) and v.startswith(("=", "+", "@"))]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK(") for v in values)
