"""Template helpers for the site shell."""

from django import template
from django.http import HttpRequest
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, prefix: str) -> SafeString:
    """`aria-current="page"` when the request path is `prefix` ("/" only for the home page)."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return mark_safe("")
    path = request.path
    active = path == "/" if prefix == "/" else path.startswith(prefix)
    return mark_safe('aria-current="page"' if active else "")


@register.filter
def in_sentence(name: str) -> str:
    """'Tỉnh Bà Rịa - Vũng Tàu' -> 'tỉnh Bà Rịa - Vũng Tàu', inside a Vietnamese sentence.

    English names ("Bà Rịa - Vũng Tàu Province") keep their capitals.
    """
    if not name or translation.get_language() == "en":
        return name
    return name[:1].lower() + name[1:]
