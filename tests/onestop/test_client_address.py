"""One client address behind every limit: X-Forwarded-For only from configured proxies."""

import pytest
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from onestop.client_address import client_ip
from onestop.models import CounterRating
from onestop.services import ticket_call_next, ticket_issue, ticket_serve
from tests.onestop.queue_builders import make_floor

DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def _request(remote: str, forwarded: str = ""):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_ignores_forwarded_for_when_no_proxy_is_trusted(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_client_ip_ignores_forwarded_for_when_sender_is_not_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_client_ip_takes_the_rightmost_untrusted_hop_when_proxies_are_trusted(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.168.1.5"]
    # The client wrote 1.2.3.4 itself; the edge proxy appended the real 198.51.100.7.
    request = _request("10.0.0.1", "1.2.3.4, 198.51.100.7, 192.168.1.5")
    assert client_ip(request) == "198.51.100.7"


def test_client_ip_accepts_the_setting_as_a_comma_separated_string(settings):
    settings.TRUSTED_PROXIES = "10.0.0.1, 2001:db8::/32"
    assert client_ip(_request("2001:db8::5", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.1", "[2001:db9::1]:443")) == "2001:db9::1"


def test_client_ip_falls_back_to_the_proxy_when_forwarded_for_is_garbage(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("10.0.0.1", "not-an-ip")) == "10.0.0.1"


def _issue_statuses(api: APIClient, desk, group, *, count: int, remote: str, spoof: bool):
    statuses = []
    for n in range(count):
        headers = {"REMOTE_ADDR": remote}
        headers["HTTP_X_FORWARDED_FOR"] = f"198.51.100.{n % 250}" if spoof else ""
        response = api.post(
            f"/api/v1/desks/{desk.pk}/tickets/", {"group": group.pk}, format="json", **headers
        )
        statuses.append(response.status_code)
    return statuses


@pytest.mark.django_db
def test_ticket_issue_api_stays_limited_when_forwarded_for_rotates(settings):
    settings.TRUSTED_PROXIES = []
    desk, group_a, _, _ = make_floor()
    statuses = _issue_statuses(
        APIClient(), desk, group_a, count=31, remote="203.0.113.9", spoof=True
    )
    assert statuses[:30] == [201] * 30
    assert statuses[30] == 429


@pytest.mark.django_db
def test_ticket_issue_api_counts_each_client_when_a_trusted_proxy_forwards(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    desk, group_a, _, _ = make_floor()
    statuses = _issue_statuses(APIClient(), desk, group_a, count=35, remote="10.0.0.1", spoof=True)
    assert set(statuses) == {201}


@pytest.mark.django_db
def test_ticket_issue_answers_201_and_kiosk_page_redirects_when_the_cache_is_down(settings, client):
    desk, group_a, _, _ = make_floor()
    settings.CACHES = DEAD_REDIS
    response = APIClient().post(
        f"/api/v1/desks/{desk.pk}/tickets/", {"group": group_a.pk}, format="json"
    )
    assert response.status_code == 201
    page = client.post(f"/mot-cua/{desk.pk}/lay-so/", {"group": group_a.pk})
    assert page.status_code == 302


def _served(desk, group, counter):
    ticket_issue(desk_id=desk.pk, group_id=group.pk, now=timezone.now())
    ticket_call_next(counter_id=counter.pk, actor=None, now=timezone.now())
    return ticket_serve(counter_id=counter.pk, now=timezone.now())


@pytest.mark.django_db
def test_rating_api_refuses_when_the_printed_secret_is_missing_or_wrong():
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served(desk, group_a, counter1)
    api = APIClient()
    url = f"/api/v1/tickets/{ticket.pk}/rating/"
    assert api.post(url, {"level": "satisfied"}).status_code == 400
    wrong = api.post(url, {"level": "satisfied", "secret": "AAAAAAAA"})
    assert wrong.status_code == 400
    assert "mã đánh giá" in wrong.json()["detail"]
    assert not CounterRating.objects.exists()
    spelled = f"{ticket.rating_secret[:4].lower()}-{ticket.rating_secret[4:]}"
    assert api.post(url, {"level": "satisfied", "secret": spelled}).status_code == 201


@pytest.mark.django_db
def test_ticket_secret_is_printed_only_for_the_kiosk_that_issued_it(client):
    desk, group_a, _, _ = make_floor()
    issued = client.post(f"/mot-cua/{desk.pk}/lay-so/", {"group": group_a.pk})
    ticket = group_a.tickets.get()
    printed = client.get(issued["Location"]).content.decode()
    secret = ticket.rating_secret
    assert f"{secret[:4]}-{secret[4:]}" in printed and "data:image/svg+xml" in printed
    bare = client.get(f"/mot-cua/{desk.pk}/lay-so/ve/{ticket.pk}/").content.decode()
    assert secret[:4] + "-" not in bare


@pytest.mark.django_db
def test_ticket_issue_api_returns_the_rating_secret_only_to_the_issuer():
    desk, group_a, _, _ = make_floor()
    body = (
        APIClient()
        .post(f"/api/v1/desks/{desk.pk}/tickets/", {"group": group_a.pk}, format="json")
        .json()
    )
    assert len(body["rating_secret"]) == 8
    board = APIClient().get(f"/api/v1/desks/{desk.pk}/board/")
    assert body["rating_secret"] not in board.content.decode()


@pytest.mark.django_db
def test_every_throttle_class_identifies_the_client_through_client_ip():
    from django.urls import get_resolver
    from rest_framework.views import APIView

    from onestop.throttling import ClientAddressMixin

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                cls = getattr(pattern.callback, "cls", None)
                if cls and issubclass(cls, APIView):
                    yield cls

    checked = 0
    for view in views(get_resolver().url_patterns):
        for throttle in view.throttle_classes:
            assert issubclass(throttle, ClientAddressMixin), (view, throttle)
            checked += 1
    assert checked >= 4
