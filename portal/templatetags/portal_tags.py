"""Template helpers for the site shell."""

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from portal.context_processors import site_names

register = template.Library()

# Rendered fragments of the shell that read no request: (template, language, local day, site
# names) -> HTML.
_shared_fragments: dict[tuple, str] = {}
# Stands for the visitor's CSRF token in a shared fragment until the page is served; the field
# as Django's {% csrf_token %} writes it, dropped when the page has no token.
_CSRF_MARK = "shared-fragment-csrf-token-mark"
_CSRF_FIELD = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _CSRF_MARK)


@register.simple_tag(takes_context=True)
def shared_fragment(context: template.Context, template_name: str) -> SafeString:
    """A fragment the same for every visitor (the banner, the footer, the assistant's panel):
    rendered once per process, language and local day instead of on every page, where their
    translated strings were some 40 % of a cached catalog page's work. Its template sees the
    site names and a CSRF token (the visitor's, put in on each page); no request, no user. With
    DEBUG on it is rendered every time, so that template edits show at once."""
    names = site_names()
    key = (template_name, translation.get_language(), timezone.localdate(), *names.values())
    html = None if settings.DEBUG else _shared_fragments.get(key)
    if html is None:
        html = render_to_string(template_name, {**names, "csrf_token": _CSRF_MARK})
        if not settings.DEBUG:
            if len(_shared_fragments) > 64:  # other days' renderings
                _shared_fragments.clear()
            _shared_fragments[key] = html
    if _CSRF_MARK in html:
        token = str(context.get("csrf_token") or "")
        if token in ("", "NOTPROVIDED"):  # as {% csrf_token %}: no field without a token
            html = html.replace(_CSRF_FIELD, "")
        html = html.replace(_CSRF_MARK, conditional_escape(token))
    return mark_safe(html)  # noqa: S308 (rendered by the template engine, the token escaped)


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
