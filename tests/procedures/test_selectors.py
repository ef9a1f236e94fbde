"""Search ranking, filters and facets. The same expectations run on SQLite and PostgreSQL."""

import pytest

from procedures.models import ApplicantKind, Procedure
from procedures.pagination import WindowCountPaginator
from procedures.retrieval.models import ColloquialTerm
from procedures.selectors import (
    CatalogFilters,
    procedure_facets,
    procedure_get,
    procedure_list,
    sector_level_counts,
    sector_list,
)
from procedures.services import procedures_import
from tests.procedures.records import raw_record

pytestmark = pytest.mark.django_db

CATALOG = [
    ("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch", "commune", "full"),
    ("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "district", "full"),
    ("1.003583", "Thủ tục đăng ký khai sinh lưu động", "Hộ tịch", "commune", "partial"),
    ("1.004884", "Thủ tục đăng ký lại khai sinh", "Hộ tịch", "commune", "partial"),
    (
        "2.000635",
        "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
        "Hộ tịch",
        "commune",
        "full",
    ),
    ("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch", "commune", "full"),
    ("2.000806", "Thủ tục đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch", "district", "full"),
    ("1.004746", "Thủ tục đăng ký lại kết hôn", "Hộ tịch", "commune", "partial"),
    (
        "1.001612",
        "Đăng ký thành lập hộ kinh doanh",
        "Thành lập và hoạt động doanh nghiệp",
        "district",
        "partial",
    ),
    ("1.004222", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", "commune", "full"),
    (
        "2.001023",
        "Liên thông thủ tục cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        "Hộ tịch",
        "province",
        "none",
    ),
]


@pytest.fixture
def catalog():
    records = []
    for code, name, sector, _, _ in CATALOG:
        record = raw_record(code=code, name=name, field=sector)
        if code == "2.001023":
            record["results"] = [{"name": "Giấy khai sinh", "code": "KQ.1"}]
        if code == "1.001612":
            record["applicant_types"] = ["Doanh nghiệp", "Công dân Việt Nam"]
            record["implementing_agency"] = "Phòng Tài chính - Kế hoạch"
        records.append(record)
    unpublished = raw_record(code="9.000001", name="Thủ tục đăng ký khai sinh (bản cũ)")
    procedures_import(raw_records=[*records, unpublished])
    for code, _, _, level, online in CATALOG:
        Procedure.objects.filter(code=code).update(
            level=level, online_level=online, is_published=True
        )


def codes(**filters) -> list[str]:
    return list(procedure_list(filters=CatalogFilters(**filters)).values_list("code", flat=True))


@pytest.mark.parametrize(
    "q",
    [
        "dang ky khai sinh",
        "Đăng ký khai sinh",
        "ĐĂNG KÝ KHAI SINH",
        "  đăng  ký KHAI sinh ",
        "thủ tục đăng ký khai sinh",
    ],
)
def test_procedure_list_puts_exact_name_first_when_query_has_any_accents_or_case(catalog, q):
    assert codes(q=q)[0] == "1.001193"


def test_procedure_list_ranks_exact_prefix_phrase_words_then_other_fields_when_searching(catalog):
    assert codes(q="dang ky khai sinh") == [
        "1.001193",  # exact name
        "1.003583",  # name prefix, shorter first
        "2.000528",  # name prefix
        "1.004884",  # every word in the name
        "2.000635",  # then what the retrieval engine adds: the copy of a birth certificate
    ]
    assert codes(q="khai sinh") == [
        "1.001193",  # phrase inside the name, shortest name first
        "1.004884",
        "1.003583",
        "2.000528",
        "2.000635",
        "2.001023",  # words only in another field (the result "Giấy khai sinh")
    ]


def test_procedure_list_puts_plain_marriage_first_when_query_upper_case(catalog):
    assert codes(q="ĐĂNG KÝ KẾT HÔN") == ["1.000894", "2.000806", "1.004746"]


def test_procedure_list_matches_word_prefixes_when_query_is_partial(catalog):
    assert codes(q="thuong tr") == ["1.004222"]
    assert codes(q="ket ho")[0] == "1.000894"
    assert codes(q="hon ket") == ["1.000894", "1.004746", "2.000806"]


def test_procedure_list_finds_code_when_query_is_a_code(catalog):
    assert codes(q="1.001612") == ["1.001612"]


def test_procedure_list_adds_engine_hits_when_a_word_matches_nothing(catalog):
    # No procedure holds "xyzzy": the keyword search alone found nothing, the engine finds
    # what the rest of the question asks for.
    assert codes(q="khai sinh xyzzy")[0] == "1.001193"


def test_procedure_list_adds_engine_hits_when_question_is_colloquial(catalog):
    ColloquialTerm.objects.create(phrase="làm giấy khai sinh", expansion="đăng ký khai sinh")
    ColloquialTerm.objects.create(phrase="báo tử", expansion="đăng ký khai tử")
    assert codes(q="lam giay khai sinh cho con moi de")[0] == "1.001193"
    assert codes(q="báo tử cho bố") == []  # the engine adds only what the catalog holds


def test_procedure_list_returns_nothing_when_question_is_off_topic(catalog):
    assert codes(q="xyzzy qwerty") == []
    assert codes(q="thời tiết ngày mai") == []


def test_procedure_list_hides_unpublished_when_not_asked(catalog):
    assert "9.000001" not in codes(q="khai sinh")
    assert "9.000001" in codes(q="khai sinh", include_unpublished=True)
    assert len(codes()) == len(CATALOG)


def test_procedure_list_filters_when_filters_given(catalog):
    assert set(codes(level="district")) == {"2.000528", "2.000806", "1.001612"}
    assert codes(q="ket hon", level="district") == ["2.000806"]
    assert set(codes(online="partial")) == {"1.003583", "1.004884", "1.004746", "1.001612"}
    assert "2.001023" not in codes(online="any")
    assert codes(sector="dang-ky-quan-ly-cu-tru") == ["1.004222"]
    assert codes(agency="Phòng Tài chính - Kế hoạch") == ["1.001612"]
    assert codes(applicant="business") == ["1.001612"]


def test_procedure_facets_count_other_filters_when_one_is_set(catalog):
    facets = procedure_facets(filters=CatalogFilters(q="khai sinh", level="commune"))
    # The level facet ignores the level filter itself; the others apply it.
    assert {v: n for v, _, n in facets.level} == {"province": 1, "district": 1, "commune": 4}
    assert {v: n for v, _, n in facets.online} == {"full": 2, "partial": 2, "none": 0}
    assert {v: n for v, _, n in facets.sector} == {"ho-tich": 4}
    assert {v: n for v, _, n in facets.applicant}["citizen"] == 4


def _facets_one_query_per_facet(filters: CatalogFilters) -> dict:
    """The reference: each facet counted by the database with every filter but its own."""
    from django.db.models import Count

    def others(skip: str):
        fields = {f: getattr(filters, f) for f in ("level", "online", "applicant", "sector")}
        fields |= {"agency": filters.agency}
        fields[skip] = ""
        return procedure_list(filters=CatalogFilters(q=filters.q, **fields)).order_by()

    def grouped(skip: str, column: str) -> dict:
        rows = others(skip).values(column).annotate(n=Count("id"))
        return {row[column]: row["n"] for row in rows if row[column] and row["n"]}

    applicant = {
        kind: others("applicant").filter(applicant_kinds__contains=f",{kind},").count()
        for kind in ApplicantKind.values
    }
    return {
        "level": grouped("level", "level"),
        "online": grouped("online", "online_level"),
        "sector": grouped("sector", "sector__code"),
        "agency": grouped("agency", "agency_name"),
        "applicant": {k: n for k, n in applicant.items() if n},
    }


@pytest.mark.parametrize(
    "fields",
    [
        {},
        {"q": "khai sinh"},
        {"q": "dang ky", "online": "any"},
        {"q": "ket hon", "level": "district", "sector": "ho-tich"},
        {"applicant": "business"},
        {"agency": "Phòng Tài chính - Kế hoạch", "online": "partial"},
    ],
)
def test_procedure_facets_equal_one_query_per_facet_when_filters_combine(catalog, fields):
    facets = procedure_facets(filters=CatalogFilters(**fields))
    got = {
        name: {v: n for v, _, n in getattr(facets, name) if n}
        for name in ("level", "online", "sector", "agency", "applicant")
    }
    assert got == _facets_one_query_per_facet(CatalogFilters(**fields))


def test_procedure_facets_run_two_queries_when_searching(catalog, django_assert_num_queries):
    with django_assert_num_queries(2):
        procedure_facets(filters=CatalogFilters(q="khai sinh", level="commune"))


def test_procedure_get_prefetches_children_when_loading_detail(catalog, django_assert_num_queries):
    with django_assert_num_queries(3):
        procedure = procedure_get(code="1.001193")
        assert len(procedure.submission_methods.all()) == 2
        assert len(procedure.required_documents.all()) == 2
        assert procedure.sector.name == "Hộ tịch"


def test_sector_list_counts_published_when_listing_sectors(catalog):
    counts = {s.code: s.procedure_count for s in sector_list()}
    assert counts["ho-tich"] == 9
    by_level = sector_level_counts()
    ho_tich = next(s for s in sector_list() if s.code == "ho-tich")
    assert by_level[ho_tich.id] == {"commune": 6, "district": 2, "province": 1}


def test_window_count_paginator_counts_in_page_query_when_page_exists(
    catalog, django_assert_num_queries
):
    queryset = Procedure.objects.filter(is_published=True).order_by("code")
    with django_assert_num_queries(1):
        page = WindowCountPaginator(queryset, 4).get_page(2)
        assert page.paginator.count == len(CATALOG) and len(page.object_list) == 4
    last = WindowCountPaginator(queryset, 4).get_page(99)
    assert last.number == 3 and [p.code for p in last] == [c for c, *_ in sorted(CATALOG)][8:]


@pytest.mark.postgres
def test_search_uses_trigram_index_when_database_is_postgresql(catalog):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'procedure_search_text_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # A tiny test table: make the planner show whether the GIN index can serve the filter.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
        # The `has` lookup of procedures.search is what the search filters with.
        queryset = Procedure.objects.filter(search_text__has=" khai sinh").values("id")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_indexscan")
    assert "procedure_search_text_trgm" in plan
