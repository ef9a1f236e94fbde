"""Catalog reads are cached and any catalog change (admin save, import) invalidates them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from procedures.cache import catalog_changed
from procedures.models import Procedure
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.CATALOG_CACHE_SECONDS = 300


def test_procedure_page_reads_no_catalog_row_when_cached(client):
    procedure = make_procedure(name="Đăng ký khai sinh")
    assert client.get(f"/thu-tuc/{procedure.code}/").status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/thu-tuc/{procedure.code}/")
    assert "Đăng ký khai sinh" in response.content.decode()
    assert not [q for q in captured.captured_queries if "procedures_" in q["sql"]]


def test_procedure_page_shows_edit_when_admin_saves(client):
    procedure = make_procedure(name="Đăng ký khai sinh")
    client.get(f"/thu-tuc/{procedure.code}/")
    procedure.name = "Đăng ký lại khai sinh"
    procedure.save()  # what the admin does
    assert "Đăng ký lại khai sinh" in client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    api = client.get(f"/api/v1/procedures/{procedure.code}/").json()
    assert api["name"] == "Đăng ký lại khai sinh"


def test_catalog_facets_follow_bulk_change_when_import_signals():
    from procedures.cache import catalog_cached
    from procedures.selectors import CatalogFilters, procedure_facets

    make_procedure(name="Đăng ký khai sinh")
    filters = CatalogFilters()

    def facets():
        return catalog_cached("facets", filters, lambda: procedure_facets(filters=filters))

    before = facets()
    assert sum(n for _v, _l, n in before.level) == 1
    Procedure.objects.update(is_published=False)  # a bulk write, as imports do
    assert facets() == before  # still the cached value
    catalog_changed()  # what procedures_import and catalog_apply call after their bulk writes
    assert sum(n for _v, _l, n in facets().level) == 0


def test_catalog_page_reads_no_catalog_row_when_cached(client):
    make_procedure(name="Đăng ký khai sinh")
    client.get("/thu-tuc/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/thu-tuc/")
    assert "Đăng ký khai sinh" in response.content.decode()
    assert not [q for q in captured.captured_queries if "procedures_" in q["sql"]]


def test_catalog_page_shows_edit_when_admin_saves(client):
    procedure = make_procedure(name="Đăng ký khai sinh")
    client.get("/thu-tuc/")
    procedure.name = "Đăng ký khai sinh lưu động"
    procedure.save()  # what the admin does
    assert "khai sinh lưu động" in client.get("/thu-tuc/").content.decode()


def test_catalog_page_follows_language_when_cached(client):
    make_procedure(name="Đăng ký khai sinh")
    vietnamese = client.get("/thu-tuc/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/thu-tuc/").content.decode()
    assert "Cấp thực hiện" in vietnamese
    assert "Cấp thực hiện" not in english


@pytest.mark.parametrize("url", ["/api/v1/procedures/{code}/", "/api/v1/procedures/?q=khai+sinh"])
def test_procedure_api_reads_no_catalog_row_when_cached(client, url):
    procedure = make_procedure(name="Đăng ký khai sinh")
    url = url.format(code=procedure.code)
    first = client.get(url).json()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(url).json()
    assert again == first
    assert not [q for q in captured.captured_queries if "procedures_" in q["sql"]]


def test_procedure_search_api_shows_edit_when_admin_saves(client):
    procedure = make_procedure(name="Đăng ký khai sinh")
    assert client.get("/api/v1/procedures/?q=khai+sinh").json()["count"] == 1
    procedure.name = "Đăng ký kết hôn"
    procedure.save()
    assert client.get("/api/v1/procedures/?q=ket+hon").json()["results"][0]["name"] == (
        "Đăng ký kết hôn"
    )
    names = [r["name"] for r in client.get("/api/v1/procedures/?q=khai+sinh").json()["results"]]
    assert "Đăng ký khai sinh" not in names


def test_procedure_api_answers_404_and_400_when_cached(client):
    for _ in range(2):
        assert client.get("/api/v1/procedures/9.999999/").status_code == 404
        assert client.get("/api/v1/procedures/?level=planet").status_code == 400
