"""A web worker loads fpdf and openpyxl (about 50 MB together) only when it prints or exports."""

import subprocess
import sys

from django.conf import settings

LOAD_EVERY_VIEW = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
import portal.wsgi
print(",".join(m for m in ("fpdf", "openpyxl") if m in sys.modules))
"""


def test_serving_imports_no_pdf_or_spreadsheet_library_until_used():
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_EVERY_VIEW],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "portal.settings_test", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == ""


def test_pdf_renderers_still_load_on_first_use():
    from dossiers import pdf

    assert callable(pdf.render_receipt)
    assert callable(pdf.render_tracking_book_xlsx)
