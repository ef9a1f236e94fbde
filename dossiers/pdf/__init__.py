"""PDF (and XLSX) rendering of the Circular 01/2018/TT-VPCP forms and the filled declarations."""

from dossiers.pdf.declaration import render_declaration
from dossiers.pdf.forms import (
    render_apology,
    render_control_slip,
    render_receipt,
    render_refusal,
    render_supplement_request,
    render_tracking_book,
)
from dossiers.pdf.spreadsheet import render_tracking_book_xlsx

__all__ = [
    "render_apology",
    "render_control_slip",
    "render_declaration",
    "render_receipt",
    "render_refusal",
    "render_supplement_request",
    "render_tracking_book",
    "render_tracking_book_xlsx",
]
