"""Reads of the catalog: the filtered, searched list, its facet counts, detail, sectors."""

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


def _counts(filters: CatalogFilters, skip: str, column: str) -> dict[str, int]:
    rows = _base(filters, skip=skip).order_by().values(column).annotate(n=Count("id"))
    return {row[column]: row["n"] for row in rows}


def procedure_facets(*, filters: CatalogFilters) -> Facets:
    """Counts per filter value, each computed with the other filters applied (6 queries)."""
    facets = Facets()
    levels = _counts(filters, "level", "level")
    facets.level = [(v, str(label), levels.get(v, 0)) for v, label in ProcedureLevel.choices]
    online = _counts(filters, "online", "online_level")
    facets.online = [(v, str(label), online.get(v, 0)) for v, label in OnlineLevel.choices]
    kinds = (
        _base(filters, skip="applicant")
        .order_by()
        .aggregate(
            **{
                kind: Count("id", filter=Q(applicant_kinds__contains=f",{kind},"))
                for kind in ApplicantKind.values
            }
        )
    )
    facets.applicant = [(v, str(label), kinds[v]) for v, label in ApplicantKind.choices]
    # Grouped by sector_id without a join (the covering index serves it), named afterwards.
    sector_counts = _counts(filters, "sector", "sector_id")
    sectors = Sector.objects.filter(id__in=sector_counts).only("code", "name")
    facets.sector = sorted(
        ((s.code, s.name, sector_counts[s.id]) for s in sectors), key=lambda f: (-f[2], f[0])
    )
    agency_rows = (
        _base(filters, skip="agency")
        .exclude(agency_name="")
        .order_by()
        .values("agency_name")
        .annotate(n=Count("id"))
        .order_by("-n", "agency_name")[:AGENCY_FACET_SIZE]
    )
    facets.agency = [(r["agency_name"], r["agency_name"], r["n"]) for r in agency_rows]
    return facets


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
