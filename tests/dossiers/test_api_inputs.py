"""Inputs that used to answer 500 answer a clear 400 in the user's language (issue 11)."""

import json

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.dossiers.engine_world import make_world
from tests.dossiers.test_api import client_for, pdf_upload, post_dossier

pytestmark = pytest.mark.django_db

DEEP = 5000


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_post_dossier_answers_400_when_form_data_nested_5000_deep_in_multipart():
    world = make_world()
    response = post_dossier(
        world, files=[pdf_upload("a.pdf")], form_data='{"a": ' + _nested(DEEP) + "}"
    )
    assert response.status_code == 400, response.content[:300]
    assert "lồng nhau" in json.dumps(response.json(), ensure_ascii=False)


def test_post_dossier_answers_400_when_json_body_nested_5000_deep():
    world = make_world()
    body = json.dumps({"procedure": world.procedure.code, "form_data": {"a": 1}})
    body = body.replace('{"a": 1}', '{"a": ' + _nested(DEEP) + "}")
    response = client_for(world.citizen).post(
        "/api/v1/dossiers/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content[:300]


def test_post_dossier_answers_400_in_english_when_form_data_too_deep_and_english_chosen():
    world = make_world()
    client = client_for(world.citizen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the portal's language switch
    response = client.post(
        "/api/v1/dossiers/",
        {"procedure": world.procedure.code, "form_data": '{"a": ' + _nested(50) + "}"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "nested" in json.dumps(response.json())


def test_post_dossier_accepts_form_data_when_nesting_is_reasonable():
    world = make_world()
    response = post_dossier(
        world, files=[pdf_upload("a.pdf")], form_data=json.dumps({"a": {"b": [1, [2, {"c": 3}]]}})
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    "items",
    ["Bản sao CCCD", ["Bản sao CCCD", "Giấy chứng sinh"], [{"document": 5}], {"document": "x"}],
)
@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_request_supplement_answers_400_when_items_are_not_objects(items, fmt):
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    url = f"/api/v1/dossiers/{code}/actions/"
    clerk = client_for(world.clerk)
    payload = {"action": "request_supplement"}
    payload["items"] = items if fmt == "json" else json.dumps(items)
    response = clerk.post(url, payload, format=fmt)
    assert response.status_code == 400, response.content[:300]
    assert "items" in response.json()
