"""Catalog pages: list with search and facets, detail, print view, sector index."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from procedures.cache import catalog_cached
from procedures.forms import CatalogFilterForm
from procedures.models import Procedure, ProcedureLevel
from procedures.pagination import WindowCountPaginator
from procedures.selectors import (
    procedure_facets,
    procedure_get,
    procedure_list,
    sector_level_counts,
    sector_list,
)

PAGE_SIZE = 20


def procedure_list_view(request: HttpRequest) -> HttpResponse:
    # The search form, results and facets are the same for everyone asking the same thing:
    # rendered once per catalog version, query string and language, then served from the cache.
    key = (sorted(request.GET.lists()), get_language())
    content = catalog_cached("list_page", key, lambda: _page_content(request))
    return render(request, "procedures/procedure_list.html", {"content": mark_safe(content)})


def _page_content(request: HttpRequest) -> str:
    """The search form, the matching procedures (one page), pagination and facets."""
    form = CatalogFilterForm(request.GET)
    filters = form.filters()
    page_obj = WindowCountPaginator(procedure_list(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    html = render_to_string(
        "procedures/_catalog_page.html",
        {
            "form": form,
            "filters": filters,
            "total": page_obj.paginator.count,
            "facets": catalog_cached("facets", filters, lambda: procedure_facets(filters=filters)),
            "page_obj": page_obj,
            "procedures": page_obj.object_list,
        },
        request=request,
    )
    return str(html)


def _get_or_404(code: str) -> Procedure:
    procedure = catalog_cached("procedure", code, lambda: _procedure_or_none(code))
    if procedure is None:
        raise Http404
    return procedure


def _procedure_or_none(code: str) -> Procedure | None:
    try:
        return procedure_get(code=code)
    except Procedure.DoesNotExist:
        return None


def procedure_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    # The content is the same for every citizen (staff also see the source's wording of the
    # processing time): rendered once per catalog version, procedure, language and that view,
    # and kept with the name the page title needs, so a cached page reads nothing else.
    staff_view = bool(getattr(request.user, "is_staff_member", False))
    name, content = catalog_cached(
        "procedure_page",
        (code, get_language(), staff_view),
        lambda: _procedure_page(request, _get_or_404(code)),
    )
    return render(
        request,
        "procedures/procedure_detail.html",
        {"procedure_name": name, "content": mark_safe(content)},
    )


def _procedure_page(request: HttpRequest, procedure: Procedure) -> tuple[str, str]:
    html = render_to_string(
        "procedures/_procedure_page.html", {"procedure": procedure}, request=request
    )
    return procedure.name, str(html)


def procedure_print_view(request: HttpRequest, code: str) -> HttpResponse:
    return render(request, "procedures/procedure_print.html", {"procedure": _get_or_404(code)})


def sector_list_view(request: HttpRequest) -> HttpResponse:
    counts = catalog_cached("sector_level_counts", "", sector_level_counts)
    sectors = [
        (
            sector,
            [
                (label, counts.get(sector.id, {}).get(value, 0), value)
                for value, label in ProcedureLevel.choices
            ],
        )
        for sector in catalog_cached("sectors", "", lambda: list(sector_list()))
    ]
    return render(request, "procedures/sector_list.html", {"sectors": sectors})
