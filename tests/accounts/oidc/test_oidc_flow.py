"""Sign-in with OpenID Connect, end to end against a real provider running locally (conftest).

The portal runs in Django's test client; the person's browser at the provider is a real HTTP
client (requests) that follows the provider's redirects and fills its login and consent forms,
until the provider redirects back to the portal's callback, which the test then opens."""

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from django.test import Client

from accounts.models import OidcIdentity, Role, User
from tests.factories import DEMO_PASSWORD, make_user

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The first form of a page: its action and its inputs' names and values."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action") or ""
        elif tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""


def _authorize(client: Client, *, provider: str, login: str) -> tuple[str, dict]:
    """Start at the portal, sign in at the provider as `login`; the callback path (with query)
    the provider sends the browser back to, and the authorization request's parameters."""
    start = client.get(f"/dang-nhap/oidc/{provider}/")
    assert start.status_code == 302, start.content
    url = start["Location"]
    request_params = parse_qs(urlsplit(url).query)
    browser = requests.Session()
    response = browser.get(url, allow_redirects=False, timeout=10)
    for _ in range(20):
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if url.startswith("http://testserver/"):
                parts = urlsplit(url)
                return f"{parts.path}?{parts.query}", request_params
            response = browser.get(url, allow_redirects=False, timeout=10)
            continue
        assert response.status_code == 200, response.text
        form = _Form()
        form.feed(response.text)
        assert form.action is not None, response.text
        data = dict(form.fields)
        if "login" in data:
            data.update(login=login, password="any")
        url = urljoin(url, form.action)
        response = browser.post(url, data=data, allow_redirects=False, timeout=10)
    raise AssertionError("the provider never redirected back to the portal")


def _signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_oidc_sign_in_uses_pkce_state_and_nonce_when_starting(oidc_settings):
    client = Client()
    callback, params = _authorize(client, provider="vneid", login="vneid-new")

    assert params["response_type"] == ["code"]
    assert params["code_challenge_method"] == ["S256"]
    assert len(params["code_challenge"][0]) >= 43
    assert params["state"][0] and params["nonce"][0]
    assert "openid" in params["scope"][0].split()
    query = parse_qs(urlsplit(callback).query)
    assert query["state"] == params["state"] and query["code"][0]


def test_oidc_callback_links_existing_account_by_verified_cccd(oidc_settings):
    citizen = make_user(username="thuha", cccd="077188001234", full_name="Nguyễn Thị Thu Hà")
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-ha")

    response = client.get(callback)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_user(client) == citizen
    identity = OidcIdentity.objects.get(provider="vneid", subject="vneid-ha")
    assert identity.user == citizen
    assert User.objects.count() == 1
    # The local password still signs the same person in.
    local = Client()
    assert local.login(username="077188001234", password=DEMO_PASSWORD)


def test_oidc_callback_signs_in_linked_account_again_when_signing_in_twice(oidc_settings):
    citizen = make_user(username="thuha", cccd="077188001234")
    for _ in range(2):
        client = Client()
        callback, _params = _authorize(client, provider="vneid", login="vneid-ha")
        assert client.get(callback).status_code == 302
        assert _signed_in_user(client) == citizen
    assert OidcIdentity.objects.filter(user=citizen).count() == 1


def test_oidc_callback_creates_citizen_when_no_account_has_the_cccd(oidc_settings):
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-new")

    response = client.get(callback)

    assert response.status_code == 302
    user = _signed_in_user(client)
    assert user is not None
    assert user.cccd == "079090001122"
    assert user.role == Role.CITIZEN
    assert user.full_name == "Trần Văn Mới"
    assert not user.has_usable_password()
    assert OidcIdentity.objects.get(subject="vneid-new").user == user


def test_oidc_callback_refuses_when_cccd_not_verified(oidc_settings):
    make_user(username="someone", cccd="077188009999")
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-unverified")

    response = client.get(callback)

    assert response.status_code == 400
    assert "chưa được xác thực" in response.content.decode()
    assert _signed_in_user(client) is None
    assert not OidcIdentity.objects.exists()


def test_oidc_callback_refuses_when_state_is_wrong(oidc_settings):
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-new")
    path, query = callback.split("?", 1)
    params = {key: values[0] for key, values in parse_qs(query).items()}
    params["state"] = "forged-state"

    response = client.get(f"{path}?{urlencode(params)}")

    assert response.status_code == 400
    assert _signed_in_user(client) is None
    assert not User.objects.exists()


def test_oidc_callback_refuses_when_callback_opens_in_another_session(oidc_settings):
    """A code and state sent to someone else's browser (login CSRF) sign nobody in there."""
    callback, _params = _authorize(Client(), provider="vneid", login="vneid-new")
    other = Client()

    response = other.get(callback)

    assert response.status_code == 400
    assert _signed_in_user(other) is None
    assert not User.objects.exists()


def _tamper_state(client: Client, **changes: str) -> None:
    session = client.session
    keys = [key for key in session.keys() if key.startswith("_state_oidc_vneid_")]
    assert len(keys) == 1
    stored = session[keys[0]]
    stored["data"].update(changes)
    session[keys[0]] = stored
    session.save()


def test_oidc_callback_refuses_when_id_token_nonce_is_not_ours(oidc_settings, caplog):
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-new")
    # The ID token carries the nonce sent with the request; the portal now expects another
    # (as with an ID token replayed from an earlier sign-in).
    _tamper_state(client, nonce="a-different-nonce")

    response = client.get(callback)

    assert response.status_code == 400
    assert "nonce" in caplog.text
    assert _signed_in_user(client) is None
    assert not User.objects.exists()


def test_oidc_callback_refuses_when_pkce_verifier_does_not_match(oidc_settings, caplog):
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-new")
    # The provider checks the verifier against the challenge it was given: the code is useless
    # to anyone who intercepted it without the verifier kept in this session.
    _tamper_state(client, code_verifier="x" * 64)

    response = client.get(callback)

    assert response.status_code == 400
    assert "invalid_grant" in caplog.text
    assert _signed_in_user(client) is None


def test_oidc_callback_refuses_staff_account_through_vneid(oidc_settings):
    make_user(role=Role.CLERK, username="clerk", cccd="077188001234")
    client = Client()
    callback, _params = _authorize(client, provider="vneid", login="vneid-ha")

    response = client.get(callback)

    assert response.status_code == 400
    assert _signed_in_user(client) is None


def test_oidc_callback_links_staff_account_when_signing_in_with_staff_provider(oidc_settings):
    clerk = make_user(role=Role.CLERK, username="quang", cccd="077080005555")
    client = Client()
    callback, _params = _authorize(client, provider="staff", login="staff-quang")

    response = client.get(callback)

    assert response.status_code == 302
    assert _signed_in_user(client) == clerk
    # Staff sessions end after a working day (portal.sessions), whatever the way in.
    assert client.session.get_expiry_age() == oidc_settings.STAFF_SESSION_SECONDS


def test_oidc_callback_refuses_unknown_staff_without_creating_account(oidc_settings):
    client = Client()
    callback, _params = _authorize(client, provider="staff", login="staff-unknown")

    response = client.get(callback)

    assert response.status_code == 400
    assert not User.objects.exists()


def test_login_page_shows_vneid_button_when_provider_configured(oidc_settings):
    response = Client().get("/dang-nhap/")

    assert "Đăng nhập bằng VNeID" in response.content.decode()
    assert 'href="/dang-nhap/oidc/vneid/"' in response.content.decode()


def test_login_page_has_no_vneid_button_when_not_configured(settings):
    settings.OIDC_PROVIDERS = {}

    response = Client().get("/dang-nhap/")

    assert response.status_code == 200
    assert "/dang-nhap/oidc/" not in response.content.decode()
    assert Client().get("/dang-nhap/oidc/vneid/").status_code == 404
