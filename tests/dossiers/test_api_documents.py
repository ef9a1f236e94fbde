"""Document URLs that the API returns work for token clients, for the same people (issue 11)."""

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.dossiers.engine_world import PDF, make_world
from tests.dossiers.test_api import pdf_upload, post_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_document_url_from_the_api_answers_token_clients_who_see_the_dossier():
    world = make_world()
    body = post_dossier(world, files=[pdf_upload("don.pdf")]).json()
    url = body["documents"][0]["url"]
    response = token_client(world.citizen).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    detail = token_client(world.clerk).get(f"/api/v1/dossiers/{body['code']}/").json()
    assert token_client(world.clerk).get(detail["documents"][0]["url"]).status_code == 200


def test_document_url_from_the_api_answers_404_or_401_to_others():
    world = make_world()
    body = post_dossier(world, files=[pdf_upload("don.pdf")]).json()
    url = body["documents"][0]["url"]
    assert token_client(world.other_citizen).get(url).status_code == 404
    assert token_client(world.district_clerk).get(url).status_code == 404
    assert APIClient().get(url).status_code in (401, 403)
    other = post_dossier(world, files=[pdf_upload("khac.pdf")]).json()
    wrong = f"/api/v1/dossiers/{body['code']}/documents/{other['documents'][0]['id']}/"
    assert token_client(world.citizen).get(wrong).status_code == 404
