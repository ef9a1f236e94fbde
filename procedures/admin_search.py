"""Admin changelist search with a bounded term, for every ModelAdmin that has search_fields.

It lives in the bottom app so that every app's admin can use it. An unbounded term turns into
one LIKE per word and field: 60,000 characters break SQLite ("LIKE pattern too complex") and
cost PostgreSQL a long scan.
"""

from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import smart_split
from django.utils.translation import gettext as _

ADMIN_SEARCH_MAX_CHARS = 200
ADMIN_SEARCH_MAX_TERMS = 10


def bounded_search_term(search_term: str) -> str:
    """At most ADMIN_SEARCH_MAX_CHARS characters and ADMIN_SEARCH_MAX_TERMS words."""
    terms = list(smart_split(search_term[:ADMIN_SEARCH_MAX_CHARS]))
    return " ".join(terms[:ADMIN_SEARCH_MAX_TERMS])


class BoundedSearchMixin:
    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        bounded = bounded_search_term(search_term)
        url_name = getattr(request.resolver_match, "url_name", None) or ""
        changelist = url_name.endswith("_changelist")
        if changelist and bounded != search_term.strip():
            messages.warning(
                request,
                _("Từ khóa tìm kiếm quá dài: chỉ tìm theo %(chars)s ký tự và %(terms)s từ đầu.")
                % {"chars": ADMIN_SEARCH_MAX_CHARS, "terms": ADMIN_SEARCH_MAX_TERMS},
            )
        parent: Any = super()
        return parent.get_search_results(request, queryset, bounded)
