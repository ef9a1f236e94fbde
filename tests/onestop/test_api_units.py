import io

import pytest

from onestop import seed_desks
from onestop.models import Desk


@pytest.fixture
def real_desks(db) -> None:
    seed_desks.run(io.StringIO())


@pytest.mark.parametrize(("level", "count"), [("province", 1), ("district", 8), ("commune", 82)])
def test_units_api_counts_units_when_filtered_by_level(client, real_desks, level, count):
    response = client.get("/api/v1/units/", {"level": level})
    assert response.status_code == 200
    assert response.json()["count"] == count


def test_units_api_gives_gso_codes_and_parents_when_filtered_by_parent(client, real_desks):
    body = client.get("/api/v1/units/", {"parent": "747"}).json()
    assert body["count"] == 17
    first = body["results"][0]
    assert first == {
        "code": "26506",
        "name": "Phường 1",
        "short_name": "1",
        "type_label": "Phường",
        "level": "commune",
        "level_label": "Cấp xã",
        "parent": "747",
    }


def test_units_api_finds_units_when_searching_by_name(client, real_desks):
    body = client.get("/api/v1/units/", {"q": "thắng tam"}).json()
    assert [unit["code"] for unit in body["results"]] == ["26508"]


def test_units_api_answers_400_when_level_is_unknown(client, real_desks):
    assert client.get("/api/v1/units/", {"level": "ward"}).status_code == 400


def test_unit_detail_api_gives_the_unit_when_code_exists(client, real_desks):
    body = client.get("/api/v1/units/77/").json()
    assert body["name"] == "Tỉnh Bà Rịa - Vũng Tàu"
    assert body["parent"] is None
    assert client.get("/api/v1/units/00000/").status_code == 404


def test_desks_api_gives_one_desk_per_unit_when_seeded(client, real_desks):
    assert client.get("/api/v1/desks/").json()["count"] == 91
    for level, count in [("province", 1), ("district", 8), ("commune", 82)]:
        assert client.get("/api/v1/desks/", {"level": level}).json()["count"] == count


def test_desks_api_filters_by_unit_and_parent_when_given_codes(client, real_desks):
    body = client.get("/api/v1/desks/", {"unit": "26508"}).json()
    assert body["count"] == 1
    desk = body["results"][0]
    assert desk["agency_code"] == "000.02.01.H02"
    assert desk["unit"] == {
        "code": "26508",
        "name": "Phường Thắng Tam",
        "level": "commune",
        "parent": "747",
    }
    assert desk["morning_opens"] == "07:30:00"
    assert [counter["number"] for counter in desk["counters"]] == [1, 2]
    assert client.get("/api/v1/desks/", {"parent": "747"}).json()["count"] == 17


def test_desk_detail_api_gives_the_desk_when_id_exists(client, real_desks):
    desk = Desk.objects.get(unit__code="77")
    body = client.get(f"/api/v1/desks/{desk.pk}/").json()
    assert body["name"] == "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa - Vũng Tàu"
    assert len(body["counters"]) >= 10
    assert client.get("/api/v1/desks/999999/").status_code == 404


def test_desks_api_runs_a_fixed_number_of_queries_when_listing(
    client, real_desks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get("/api/v1/desks/", {"level": "commune"})
