"""Reads of the catalog: the filtered, searched list, its facet counts, detail, sectors."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from procedures.models import (
    ApplicantKind,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    RequiredDocument,
    Sector,
    SubmissionMethod,
)
from procedures.retrieval.engine import search
from procedures.search import search_procedures

AGENCY_FACET_SIZE = 15
# The engine's hits added after the keyword matches: at most this many, each holding more than
# this share of the question's content words (directly or through the lexicon).
RELATED_LIMIT = 10
RELATED_MIN_COVERAGE = 0.5
# The list's columns; on SQLite they are all in the covering index procedure_catalog_cover
# (migration 0003), so the list never reads the wide procedure rows.
LIST_FIELDS = (
    "code",
    "name",
    "level",
    "online_level",
    "is_published",
    "is_active",
    "agency_name",
    "processing_time_text",
    "processing_time_amount",
    "processing_time_unit",
    "same_day_cutoff",
    "sector__code",
    "sector__name",
)


@dataclass(frozen=True)
class CatalogFilters:
    """Validated list filters; empty strings mean no filter."""

    q: str = ""
    level: str = ""
    sector: str = ""
    online: str = ""
    agency: str = ""
    applicant: str = ""
    include_unpublished: bool = False


def _filter_q(filters: CatalogFilters, *, skip: str = "") -> Q:
    q = Q(is_active=True) if not filters.include_unpublished else Q()
    if not filters.include_unpublished:
        q &= Q(is_published=True)
    if filters.level and skip != "level":
        q &= Q(level=filters.level)
    if filters.sector and skip != "sector":
        q &= Q(sector__code=filters.sector)
    if filters.online and skip != "online":
        if filters.online == "any":
            q &= Q(online_level__in=[OnlineLevel.FULL, OnlineLevel.PARTIAL])
        else:
            q &= Q(online_level=filters.online)
    if filters.agency and skip != "agency":
        q &= Q(agency_name=filters.agency)
    if filters.applicant and skip != "applicant":
        q &= Q(applicant_kinds__contains=f",{filters.applicant},")
    return q


def related_ids(q: str, *, include_unpublished: bool) -> list[int]:
    """The retrieval engine's hits for q (every level listed), for the catalog search to add
    after its keyword matches; memoised by the engine, so the list and its facets agree."""
    if not q.strip():
        return []
    result = search(
        q, limit=RELATED_LIMIT, include_unpublished=include_unpublished, group_levels=False
    )
    return [hit.procedure_id for hit in result.hits if hit.coverage > RELATED_MIN_COVERAGE]


def _base(filters: CatalogFilters, *, skip: str = "") -> QuerySet[Procedure]:
    queryset = Procedure.objects.filter(_filter_q(filters, skip=skip))
    if not filters.q.strip():
        return queryset
    related = related_ids(filters.q, include_unpublished=filters.include_unpublished)
    return search_procedures(queryset, filters.q, related_ids=related)


def procedure_list(*, filters: CatalogFilters) -> QuerySet[Procedure]:
    """The catalog for pages and the API: published by default, searched and ranked when q."""
    # Sectors come in a second query: a join would make SQLite drive the scan from the sector
    # table and read the wide procedure rows instead of the covering index.
    queryset = (
        _base(filters)
        .only(*LIST_FIELDS)
        .prefetch_related(Prefetch("sector", queryset=Sector.objects.only("code", "name")))
    )
    if not filters.q.strip():
        queryset = queryset.order_by("search_name", "code")
    return queryset


@dataclass
class Facets:
    level: list[tuple[str, str, int]] = field(default_factory=list)
    online: list[tuple[str, str, int]] = field(default_factory=list)
    applicant: list[tuple[str, str, int]] = field(default_factory=list)
    sector: list[tuple[str, str, int]] = field(default_factory=list)
    agency: list[tuple[str, str, int]] = field(default_factory=list)


def _facet_match(filters: CatalogFilters, row: tuple, sector_id: int | None) -> dict[str, bool]:
    """For one matched row: whether it passes each facet's filter (True when that filter is off)."""
    level, online, kinds, row_sector, agency = row
    if filters.online == "any":
        online_ok = online in (OnlineLevel.FULL, OnlineLevel.PARTIAL)
    else:
        online_ok = not filters.online or online == filters.online
    return {
        "level": not filters.level or level == filters.level,
        "online": online_ok,
        "applicant": not filters.applicant or f",{filters.applicant}," in (kinds or ""),
        "sector": not filters.sector or row_sector == sector_id,
        "agency": not filters.agency or agency == filters.agency,
    }


def procedure_facets(*, filters: CatalogFilters) -> Facets:
    """Counts per filter value, each computed with the other filters applied (2 queries).

    The word search runs once: one query reads the five facet columns of every procedure that
    matches the search and the publication filter (at most the catalog, about 2,000 narrow rows),
    and the counts are made here, each facet with every filter but its own."""
    sectors = {s.id: s for s in Sector.objects.only("code", "name").order_by()}
    sector_id = next((s.id for s in sectors.values() if s.code == filters.sector), -1)
    base = Procedure.objects.filter(_filter_q(CatalogFilters(**_publication(filters))))
    if filters.q.strip():
        base = search_procedures(base, filters.q)
    rows = base.order_by().values_list(
        "level", "online_level", "applicant_kinds", "sector_id", "agency_name"
    )
    names = ("level", "online", "applicant", "sector", "agency")
    levels: Counter[str] = Counter()
    online: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    sector_counts: Counter[int] = Counter()
    agencies: Counter[str] = Counter()
    for row in rows:
        passes = _facet_match(filters, row, sector_id)
        others = {name: all(passes[o] for o in names if o != name) for name in names}
        level, online_level, applicant_kinds, row_sector, agency = row
        if others["level"]:
            levels[level] += 1
        if others["online"]:
            online[online_level] += 1
        if others["applicant"]:
            for kind in ApplicantKind.values:
                if f",{kind}," in (applicant_kinds or ""):
                    kinds[kind] += 1
        if others["sector"] and row_sector is not None:
            sector_counts[row_sector] += 1
        if others["agency"] and agency:
            agencies[agency] += 1
    facets = Facets()
    facets.level = [(v, str(label), levels[v]) for v, label in ProcedureLevel.choices]
    facets.online = [(v, str(label), online[v]) for v, label in OnlineLevel.choices]
    facets.applicant = [(v, str(label), kinds[v]) for v, label in ApplicantKind.choices]
    facets.sector = sorted(
        (
            (sectors[pk].code, sectors[pk].name, n)
            for pk, n in sector_counts.items()
            if pk in sectors
        ),
        key=lambda f: (-f[2], f[0]),
    )
    facets.agency = [
        (name, name, n)
        for name, n in sorted(agencies.items(), key=lambda item: (-item[1], item[0]))[
            :AGENCY_FACET_SIZE
        ]
    ]
    return facets


def _publication(filters: CatalogFilters) -> dict:
    """The filters that are not facets (the search is applied separately)."""
    return {"include_unpublished": filters.include_unpublished}


def procedure_get(*, code: str, include_unpublished: bool = True) -> Procedure:
    """One procedure with its sector, channels and documents (3 queries); raises DoesNotExist."""
    queryset = Procedure.objects.select_related("sector").prefetch_related(
        Prefetch("submission_methods", queryset=SubmissionMethod.objects.order_by("id")),
        Prefetch("required_documents", queryset=RequiredDocument.objects.order_by("position")),
    )
    if not include_unpublished:
        queryset = queryset.filter(is_published=True)
    return queryset.get(code=code)


def sector_list(*, include_unpublished: bool = False) -> QuerySet[Sector]:
    """Sectors with their procedure counts (published by default), empty ones left out."""
    condition = Q(procedures__is_active=True)
    if not include_unpublished:
        condition &= Q(procedures__is_published=True)
    return (
        Sector.objects.annotate(procedure_count=Count("procedures", filter=condition))
        .filter(procedure_count__gt=0)
        .order_by("code")
    )


def sector_level_counts(*, include_unpublished: bool = False) -> dict[int, dict[str, int]]:
    """{sector id: {level: count}} for the sector index (one query)."""
    queryset = Procedure.objects.filter(is_active=True)
    if not include_unpublished:
        queryset = queryset.filter(is_published=True)
    counts: dict[int, dict[str, int]] = {}
    for row in queryset.order_by().values("sector_id", "level").annotate(n=Count("id")):
        counts.setdefault(row["sector_id"], {})[row["level"]] = row["n"]
    return counts
