import io

import pytest
from rest_framework.authtoken.models import Token

from accounts import seed_accounts
from onestop import seed_desks
from tests.factories import DEMO_PASSWORD, make_user

URL = "/api/v1/auth/token/"


@pytest.fixture
def demo_accounts(db) -> None:
    seed_desks.run(io.StringIO())
    seed_accounts.run(io.StringIO())


def test_token_api_returns_a_token_when_a_demo_account_signs_in(client, demo_accounts):
    response = client.post(URL, {"username": "demo.clerk.district", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user.username == "demo.clerk.district"
    again = client.post(URL, {"username": "demo.clerk.district", "password": DEMO_PASSWORD})
    assert again.json()["token"] == token


def test_token_api_accepts_the_cccd_when_given_as_username(client, demo_accounts):
    response = client.post(URL, {"username": "077188001234", "password": DEMO_PASSWORD})
    assert response.status_code == 200


def test_token_authenticates_later_requests_when_sent_in_the_header(client, demo_accounts):
    token = client.post(URL, {"username": "demo.admin", "password": DEMO_PASSWORD}).json()["token"]
    response = client.get("/api/schema/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "demo.admin"


@pytest.mark.django_db
def test_token_api_answers_400_in_vietnamese_when_password_is_wrong(client):
    make_user(username="canbo")
    response = client.post(URL, {"username": "canbo", "password": "sai"})
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Thông tin đăng nhập hoặc mật khẩu không đúng. Vui lòng kiểm tra và thử lại."
    )


@pytest.mark.django_db
def test_token_api_answers_400_when_fields_are_missing(client):
    response = client.post(URL, {"username": "canbo"})
    assert response.status_code == 400
    assert "password" in response.json()


@pytest.mark.django_db
def test_token_api_answers_429_in_vietnamese_when_failures_repeat(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    make_user(username="canbo")
    statuses = [
        client.post(URL, {"username": "canbo", "password": "sai"}).status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 400]
    response = client.post(URL, {"username": "canbo", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Bạn đã đăng nhập sai quá nhiều lần.")
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.django_db
def test_token_api_shares_the_failure_count_with_the_login_page_when_both_are_used(
    client, settings
):
    settings.LOGIN_FAILURE_LIMIT = 2
    make_user(username="canbo")
    client.post("/dang-nhap/", {"username": "canbo", "password": "sai"})
    client.post(URL, {"username": "canbo", "password": "sai"})
    assert client.post(URL, {"username": "canbo", "password": DEMO_PASSWORD}).status_code == 429


@pytest.mark.django_db
def test_api_schema_and_docs_answer_200_when_requested(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/v1/auth/token/" in body and "/api/v1/units/" in body
    assert client.get("/api/docs/").status_code == 200


def test_openapi_schema_generates_without_warnings_when_validated(tmp_path):
    """Enum name clashes and unguessable serializers surface as warnings: fail on any."""
    from django.core.management import call_command

    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert "DossierActionEnum" in (tmp_path / "schema.yml").read_text()
