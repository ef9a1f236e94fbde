"""Catalog API: list with filters and count, detail, sectors, bounded queries."""

import pytest
from django.urls import reverse

from procedures.models import Procedure
from procedures.retrieval.engine import get_index
from procedures.services import procedures_import
from tests.procedures.records import raw_record

pytestmark = pytest.mark.django_db


def _catalog(n: int, **overrides) -> None:
    procedures_import(raw_records=[raw_record(**overrides) for _ in range(n)])
    Procedure.objects.update(is_published=True, level="commune", online_level="full")


def test_procedure_list_api_returns_published_count_when_no_filter(client):
    _catalog(3)
    procedures_import(raw_records=[raw_record(code="9.1")])
    response = client.get("/api/v1/procedures/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and "9.1" not in [r["code"] for r in body["results"]]
    assert client.get("/api/v1/procedures/?all=1").json()["count"] == 4
    first = body["results"][0]
    assert set(first) >= {"code", "name", "sector", "level", "online_level", "url"}
    assert first["url"] == f"/thu-tuc/{first['code']}/"


def test_procedure_list_api_ranks_exact_name_first_when_q_without_accents(client):
    procedures_import(
        raw_records=[
            raw_record(code="2.000528", name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài"),
            raw_record(code="1.001193", name="Thủ tục đăng ký khai sinh"),
        ]
    )
    Procedure.objects.update(is_published=True)
    codes = [
        r["code"]
        for r in client.get("/api/v1/procedures/", {"q": "dang ky khai sinh"}).json()["results"]
    ]
    assert codes == ["1.001193", "2.000528"]


def test_procedure_list_api_rejects_unknown_level_when_filter_invalid(client):
    response = client.get("/api/v1/procedures/?level=ward")
    assert response.status_code == 400 and "level" in response.json()


def test_procedure_list_api_filters_when_level_and_online_given(client):
    _catalog(2)
    Procedure.objects.filter(pk=Procedure.objects.first().pk).update(
        level="district", online_level="partial"
    )
    assert client.get("/api/v1/procedures/?level=district").json()["count"] == 1
    assert client.get("/api/v1/procedures/?online=full").json()["count"] == 1
    assert client.get("/api/v1/procedures/?applicant=citizen").json()["count"] == 2


@pytest.mark.parametrize("size", [1, 30])
def test_procedure_list_api_runs_bounded_queries_whatever_page_size(
    client, size, django_assert_max_num_queries
):
    _catalog(size)
    get_index()  # the engine's index is built once per process, not per request
    with django_assert_max_num_queries(2):  # count + page, whatever the number of rows
        response = client.get("/api/v1/procedures/", {"q": "thu tuc mau"})
    assert response.json()["count"] == size


def test_procedure_detail_api_returns_documents_and_methods_when_code_exists(client):
    _catalog(1, code="1.001193")
    body = client.get("/api/v1/procedures/1.001193/").json()
    assert body["code"] == "1.001193" and body["sector"]["name"] == "Hộ tịch"
    assert [m["channel"] for m in body["submission_methods"]] == ["direct", "online"]
    assert body["required_documents"][0]["original_or_copy"] == "Bản chính"
    assert body["legacy_online_level"] == "mức độ 4" and body["accepts_dossiers"] is True


def test_procedure_detail_api_returns_404_when_code_unknown(client):
    assert client.get("/api/v1/procedures/0.000000/").status_code == 404


def test_sector_list_api_counts_published_when_listing(client):
    _catalog(2)
    procedures_import(raw_records=[raw_record(field="Đất đai")])
    body = client.get("/api/v1/sectors/").json()
    assert body == [{"code": "ho-tich", "name": "Hộ tịch", "procedure_count": 2}]
    assert len(client.get("/api/v1/sectors/?all=1").json()) == 2


def test_procedure_list_api_reverses_when_named():
    assert reverse("api-procedure-list") == "/api/v1/procedures/"
