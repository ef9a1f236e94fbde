"""Template helpers for catalog pages: readable processing times, steps as a list."""

import re

from django import template

from procedures.display import copy_kind_label, processing_time_label

register = template.Library()

_ITEM_START = re.compile(r"^(?:[-–•*]\s*|bước\s*\d+\s*[:.)-]?\s*|\d+[.)]\s+|[a-zđ][)]\s+)", re.I)


@register.filter
def processing_time(obj) -> str:
    """'3 ngày làm việc', 'Trong ngày', or 'chưa có thông tin' (the source text is for staff)."""
    return processing_time_label(
        amount=getattr(obj, "processing_time_amount", None),
        unit=getattr(obj, "processing_time_unit", ""),
        same_day_cutoff=getattr(obj, "same_day_cutoff", None),
    )


@register.filter
def processing_time_unparsed(obj) -> str:
    """The catalog's own words when they could not be read as a time (shown to staff only)."""
    if getattr(obj, "processing_time_unit", ""):
        return ""
    return (getattr(obj, "processing_time_text", "") or "")[:80]


@register.filter
def steps_list(text: str) -> list[dict]:
    """Steps as [{'text': ..., 'details': [...]}]: '-', 'Bước n' and 'n.' lines open an item."""
    items: list[dict] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if _ITEM_START.match(line) or not items:
            items.append({"text": _ITEM_START.sub("", line, count=1) or line, "details": []})
        else:
            items[-1]["details"].append(line.lstrip("+ ").strip())
    return items


@register.filter
def document_groups(documents) -> list[tuple[str, list]]:
    """Documents to hand in (notes left out) grouped by their group heading, in order."""
    groups: list[tuple[str, list]] = []
    for document in documents:
        if document.is_note:
            continue
        if not groups or groups[-1][0] != document.group:
            groups.append((document.group, []))
        groups[-1][1].append(document)
    return groups


@register.filter
def document_notes(documents) -> list:
    """The catalog's notes ("Lưu ý", "0 bản chính" lines) shown apart from the documents."""
    return [document for document in documents if document.is_note]


@register.filter
def without_bullet(text: str) -> str:
    """A catalog line without its leading "-", "+" or "•" (lists draw their own bullets)."""
    return re.sub(r"^[\s\-+*•–]+", "", text or "")


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or '' removes them)."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def copy_kind(value: str) -> str:
    """The catalog's "Bản chính" / "Bản sao" in the page's language."""
    return copy_kind_label(value)
