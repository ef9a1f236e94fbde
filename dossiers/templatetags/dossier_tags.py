"""Small display helpers for dossier pages."""

import os

from django import template
from django.conf import settings

from dossiers.models import DossierStatus
from dossiers.pdf.base import human_size
from dossiers.views.files import document_url
from dossiers.workflow import ACTIONS

register = template.Library()


@register.filter
def vn_filesize(size: int | None) -> str:
    """Bytes as '2,0 KB' (decimal comma)."""
    return human_size(int(size or 0))


@register.filter
def file_url(document) -> str:
    """Where a dossier file opens (inline only for verified images, else it downloads)."""
    return document_url(document)


@register.filter
def file_download_url(document) -> str:
    return document_url(document, download=True)


@register.filter
def file_ext(name: str) -> str:
    return os.path.splitext(name or "")[1].lstrip(".").upper() or "TỆP"


@register.filter
def field_of(form, name: str):
    """form[name] in a template (the name is built from a loop index)."""
    return form[name]


@register.filter
def item_rows(form) -> list[tuple]:
    """(document, reason) bound-field pairs of a supplement/refusal items form."""
    rows = []
    index = 0
    while f"item_document_{index}" in form.fields:
        rows.append((form[f"item_document_{index}"], form[f"item_reason_{index}"]))
        index += 1
    return rows


@register.filter
def action_label(action: str) -> str:
    spec = ACTIONS.get(action)
    return str(spec.label) if spec else action


@register.filter
def status_label(status: str) -> str:
    return str(DossierStatus(status).label) if status in DossierStatus.values else status


@register.filter
def event_items(data: dict | None) -> list:
    """The documents named by a supplement request or refusal event (`data["items"]`)."""
    items = (data or {}).get("items")
    return items if isinstance(items, list) else []


@register.simple_tag
def upload_limit_mb() -> int:
    """The per-file upload limit, as the hint under every upload slot states it."""
    return settings.DOCUMENT_MAX_BYTES // (1024 * 1024)
