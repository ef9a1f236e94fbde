"""PDF (and XLSX) rendering of the Circular 01/2018/TT-VPCP forms and the filled declarations.

The renderers load on first use (PEP 562): fpdf and openpyxl cost a web worker about 90 MB, and
most requests never print anything.
"""

import importlib

_RENDERERS = {
    "render_declaration": "dossiers.pdf.declaration",
    "render_apology": "dossiers.pdf.forms",
    "render_control_slip": "dossiers.pdf.forms",
    "render_receipt": "dossiers.pdf.forms",
    "render_refusal": "dossiers.pdf.forms",
    "render_supplement_request": "dossiers.pdf.forms",
    "render_tracking_book": "dossiers.pdf.forms",
    "render_tracking_book_xlsx": "dossiers.pdf.spreadsheet",
}

__all__ = sorted(_RENDERERS)


def __getattr__(name: str):
    if name not in _RENDERERS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_RENDERERS[name]), name)
