"""Dossier pages: online submission, my dossiers, public lookup, the desk, printable forms."""

from dossiers.views.citizen import my_action, my_detail, my_list, receipt
from dossiers.views.desk import (
    desk_action,
    desk_detail,
    desk_queue,
    tracking_book,
    walk_in,
    walk_in_choose,
)
from dossiers.views.files import dossier_document
from dossiers.views.lookup import lookup
from dossiers.views.printouts import declaration_pdf, form_pdf
from dossiers.views.submission import (
    draft_attach,
    draft_edit,
    draft_remove_document,
    draft_review,
    submit_choose,
    submit_start,
)

__all__ = [
    "declaration_pdf",
    "desk_action",
    "desk_detail",
    "desk_queue",
    "dossier_document",
    "draft_attach",
    "draft_edit",
    "draft_remove_document",
    "draft_review",
    "form_pdf",
    "lookup",
    "my_action",
    "my_detail",
    "my_list",
    "receipt",
    "submit_choose",
    "submit_start",
    "tracking_book",
    "walk_in",
    "walk_in_choose",
]
