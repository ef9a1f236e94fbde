"""Issue 11, accounts: per-account lockout, cache outages, token lifetime and revocation,
registration limit, ASCII digits, spoofed X-Forwarded-For on the token endpoint."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import LoginFailure, User
from tests.factories import DEMO_PASSWORD, make_commune, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}
REGISTRATION = {
    "full_name": "Trần Thị Bình",
    "cccd": "077190000123",
    "phone": "0912345678",
    "email": "binh.tran@example.vn",
    "password1": "Matkhau@2022",
    "password2": "Matkhau@2022",
    "address": "12 Hoàng Hoa Thám",
}


@pytest.fixture(autouse=True)
def _residence(request, monkeypatch) -> None:
    """Registration asks for the commune of residence: one exists for tests that use the db."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        monkeypatch.setitem(REGISTRATION, "residence", make_commune().pk)


def _account() -> User:
    return make_user(
        username="binh.tran", cccd="077190000999", phone="0912345678", email="binh@example.vn"
    )


def test_lockout_counts_per_account_when_identifier_kinds_alternate(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_IP_LIMIT = 100
    _account()
    for identifier in [
        "binh.tran",
        "077190000999",
        "+84 912 345 678",
        "BINH@example.vn",
        "0912.345.678",
    ]:
        assert client.post(URL, {"username": identifier, "password": "sai"}).status_code == 400
    locked = client.post(URL, {"username": "binh.tran", "password": DEMO_PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith("Bạn đã đăng nhập sai quá nhiều lần.")


def test_lockout_counts_unknown_identifiers_as_typed(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    settings.LOGIN_FAILURE_IP_LIMIT = 100
    for _ in range(2):
        client.post(URL, {"username": "khongco", "password": "sai"})
    assert client.post(URL, {"username": "KHONGCO", "password": "sai"}).status_code == 429
    assert client.post(URL, {"username": "khac", "password": "sai"}).status_code == 400


def test_token_endpoint_address_limit_holds_when_forwarded_for_rotates(settings):
    settings.TRUSTED_PROXIES = []
    settings.LOGIN_FAILURE_LIMIT = 100
    settings.LOGIN_FAILURE_IP_LIMIT = 3
    api = APIClient()
    statuses = [
        api.post(
            URL,
            {"username": f"nobody{n}", "password": "sai"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(4)
    ]
    assert statuses == [400, 400, 400, 429]


def test_token_endpoint_counts_the_forwarded_client_when_a_trusted_proxy_sends_it(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.LOGIN_FAILURE_LIMIT = 100
    settings.LOGIN_FAILURE_IP_LIMIT = 3
    api = APIClient()
    statuses = [
        api.post(
            URL,
            {"username": f"nobody{n}", "password": "sai"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [400] * 5


def test_token_and_html_login_answer_without_500_when_the_cache_is_down(client, settings):
    _account()
    settings.CACHES = DEAD_REDIS
    ok = client.post(URL, {"username": "binh.tran", "password": DEMO_PASSWORD})
    assert ok.status_code == 200 and ok.json()["token"]
    page = client.post("/dang-nhap/", {"username": "077190000999", "password": DEMO_PASSWORD})
    assert page.status_code == 302


def test_lockout_falls_back_to_the_database_when_the_cache_is_down(client, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    _account()
    settings.CACHES = DEAD_REDIS
    for identifier in ["binh.tran", "077190000999", "binh@example.vn"]:
        assert client.post(URL, {"username": identifier, "password": "sai"}).status_code == 400
    assert LoginFailure.objects.exists()
    assert (
        client.post(URL, {"username": "0912345678", "password": DEMO_PASSWORD}).status_code == 429
    )
    page = client.post("/dang-nhap/", {"username": "binh.tran", "password": DEMO_PASSWORD})
    assert page.status_code == 200
    assert "đăng nhập sai quá nhiều lần" in page.content.decode()


def _token(client) -> str:
    return client.post(URL, {"username": "binh.tran", "password": DEMO_PASSWORD}).json()["token"]


def test_expired_token_answers_401_in_vietnamese(client, settings):
    settings.API_TOKEN_LIFETIME_DAYS = 30
    _account()
    key = _token(client)
    Token.objects.filter(key=key).update(
        created=timezone.now() - datetime.timedelta(days=30, seconds=1)
    )
    response = APIClient().get("/api/v1/dossiers/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]
    fresh = _token(client)  # signing in again replaces the expired token
    assert fresh != key
    assert APIClient().delete(URL, HTTP_AUTHORIZATION=f"Token {fresh}").status_code == 204


def test_delete_token_revokes_it_and_requires_authentication(client):
    _account()
    key = _token(client)
    assert APIClient().delete(URL).status_code == 401
    assert APIClient().delete(URL, HTTP_AUTHORIZATION=f"Token {key}").status_code == 204
    assert not Token.objects.filter(key=key).exists()
    assert APIClient().delete(URL, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_password_change_rotates_the_api_token(client):
    user = _account()
    key = _token(client)
    client.force_login(user)
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Moi@matkhau2022",
            "new_password2": "Moi@matkhau2022",
        },
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()


def test_password_reset_rotates_the_api_token(client):
    _account()
    key = _token(client)
    client.post("/quen-mat-khau/", {"email": "binh@example.vn"})
    link = re.search(r"https?://[^/]+(/quen-mat-khau/\S+/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Moi@matkhau2022", "new_password2": "Moi@matkhau2022"},
    )
    assert response.status_code == 302
    assert not Token.objects.filter(key=key).exists()


def test_profile_button_revokes_the_api_token(client):
    user = _account()
    key = _token(client)
    client.force_login(user)
    page = client.get("/tai-khoan/").content.decode()
    assert "/tai-khoan/thu-hoi-ma-api/" in page
    response = client.post("/tai-khoan/thu-hoi-ma-api/", follow=True)
    assert response.status_code == 200
    assert not Token.objects.filter(key=key).exists()
    assert "Đã thu hồi mã truy cập API" in response.content.decode()


def test_registration_is_limited_per_client_address(client, settings):
    settings.REGISTRATION_LIMIT = 3
    for n in range(3):
        response = client.post(
            "/dang-ky/",
            {**REGISTRATION, "password2": "khac"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        assert response.status_code == 200
    refused = client.post("/dang-ky/", REGISTRATION)
    assert refused.status_code == 429
    html = refused.content.decode()
    assert "quá nhiều lần" in html
    assert "đã được đăng ký" not in html
    assert not User.objects.filter(cccd=REGISTRATION["cccd"]).exists()


def test_registration_answers_when_the_cache_is_down(client, settings):
    settings.CACHES = DEAD_REDIS
    assert client.post("/dang-ky/", REGISTRATION).status_code == 302


def test_registration_refuses_non_ascii_digits_in_cccd_and_phone(client):
    response = client.post(
        "/dang-ky/", {**REGISTRATION, "cccd": "٠٧٧١٩٠٠٠٠١٢٣", "phone": "٠٩١٢٣٤٥٦٧٨"}
    )
    assert response.status_code == 200
    assert not User.objects.exists()
    html = response.content.decode()
    assert "Số CCCD chỉ gồm chữ số (0-9)." in html
