"""API of the desk floor: ticket issue, counter actions, board, dossier link, rating, figures."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from onestop.models import QueueTicket, TicketStatus
from onestop.services import ticket_call_next, ticket_issue, ticket_serve
from tests.factories import make_desk, make_dossier, make_user
from tests.onestop.queue_builders import make_clerk, make_floor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def test_ticket_issue_api_returns_code_and_ahead_when_group_is_valid(api):
    desk, group_a, _, _ = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    response = api.post(
        f"/api/v1/desks/{desk.pk}/tickets/", {"group": group_a.pk, "cccd": "077190000123"}
    )
    assert response.status_code == 201
    assert (response.data["code"], response.data["ahead"], response.data["status"]) == (
        "A002",
        1,
        "waiting",
    )


def test_ticket_issue_api_returns_400_in_vietnamese_when_cccd_is_short(api):
    desk, group_a, _, _ = make_floor()
    response = api.post(f"/api/v1/desks/{desk.pk}/tickets/", {"group": group_a.pk, "cccd": "123"})
    assert response.status_code == 400
    assert "12 chữ số" in response.data["detail"]


def test_ticket_issue_api_throttles_anonymous_callers_when_over_the_rate(api):
    desk, group_a, _, _ = make_floor()
    codes = [
        api.post(f"/api/v1/desks/{desk.pk}/tickets/", {"group": group_a.pk}).status_code
        for _ in range(31)
    ]
    assert codes[:30] == [201] * 30
    assert codes[30] == 429


def test_board_api_returns_state_when_desk_is_public(api):
    desk, group_a, _, _ = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    response = api.get(f"/api/v1/desks/{desk.pk}/board/")
    assert response.status_code == 200
    assert [t["code"] for t in response.data["waiting"]] == ["A001"]


def test_board_api_returns_404_when_desk_is_inactive(api):
    desk = make_desk(is_active=False)
    assert api.get(f"/api/v1/desks/{desk.pk}/board/").status_code == 404


def test_call_next_api_calls_ticket_when_clerk_uses_token(api):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    token = Token.objects.create(user=make_clerk(desk=desk))
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(f"/api/v1/counters/{counter1.pk}/call-next/")
    assert response.status_code == 200
    assert (response.data["code"], response.data["status"], response.data["counter"]) == (
        "A001",
        "called",
        1,
    )


def test_call_next_api_returns_409_when_nobody_waits(api):
    desk, _, _, (counter1, _) = make_floor()
    api.force_authenticate(make_clerk(desk=desk))
    response = api.post(f"/api/v1/counters/{counter1.pk}/call-next/")
    assert response.status_code == 409
    assert "Không còn ai" in response.data["detail"]


def test_call_next_api_returns_403_when_clerk_is_from_another_desk(api):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    api.force_authenticate(make_clerk(desk=make_desk()))
    response = api.post(f"/api/v1/counters/{counter1.pk}/call-next/")
    assert response.status_code == 403
    assert QueueTicket.objects.get().status == TicketStatus.WAITING


def test_call_next_api_returns_401_when_anonymous(api):
    _, _, _, (counter1, _) = make_floor()
    assert api.post(f"/api/v1/counters/{counter1.pk}/call-next/").status_code == 401


@pytest.mark.parametrize(
    ("action", "status"),
    [("recall", "called"), ("serve", "served"), ("no-show", "no_show")],
)
def test_counter_action_api_changes_current_ticket_when_called(api, action, status):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket_issue(desk_id=desk.pk, group_id=group_a.pk, now=timezone.now())
    clerk = make_clerk(desk=desk)
    ticket_call_next(counter_id=counter1.pk, actor=clerk, now=timezone.now())
    api.force_authenticate(clerk)
    response = api.post(f"/api/v1/counters/{counter1.pk}/{action}/")
    assert response.status_code == 200
    assert response.data["status"] == status


@pytest.mark.parametrize("action", ["recall", "serve", "no-show"])
def test_counter_action_api_returns_409_when_nothing_is_called(api, action):
    desk, _, _, (counter1, _) = make_floor()
    api.force_authenticate(make_clerk(desk=desk))
    assert api.post(f"/api/v1/counters/{counter1.pk}/{action}/").status_code == 409


def _served(desk, group, counter):
    ticket_issue(desk_id=desk.pk, group_id=group.pk, now=timezone.now())
    ticket_call_next(counter_id=counter.pk, actor=None, now=timezone.now())
    return ticket_serve(counter_id=counter.pk, now=timezone.now())


def test_ticket_dossier_api_links_dossier_when_clerk_of_desk(api):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served(desk, group_a, counter1)
    dossier = make_dossier(desk=desk)
    api.force_authenticate(make_clerk(desk=desk))
    response = api.post(f"/api/v1/tickets/{ticket.pk}/dossier/", {"dossier_code": dossier.code})
    assert response.status_code == 200
    assert response.data["dossier_code"] == dossier.code


def test_ticket_dossier_api_returns_400_when_code_is_unknown(api):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served(desk, group_a, counter1)
    api.force_authenticate(make_clerk(desk=desk))
    response = api.post(f"/api/v1/tickets/{ticket.pk}/dossier/", {"dossier_code": "X-1"})
    assert response.status_code == 400
    assert "Không tìm thấy hồ sơ" in response.data["detail"]


def test_rating_api_records_rating_once_when_ticket_served(api):
    desk, group_a, _, (counter1, _) = make_floor()
    ticket = _served(desk, group_a, counter1)
    url = f"/api/v1/tickets/{ticket.pk}/rating/"
    first = api.post(url, {"level": "satisfied", "secret": ticket.rating_secret})
    second = api.post(url, {"level": "unsatisfied", "secret": ticket.rating_secret})
    assert (first.status_code, first.data["counter"]) == (201, counter1.pk)
    assert second.status_code == 409


def test_queue_figures_api_returns_day_figures_when_desk_head_asks(api):
    desk, group_a, _, (counter1, _) = make_floor()
    _served(desk, group_a, counter1)
    api.force_authenticate(make_user(role=Role.DESK_HEAD, desk=desk))
    today = timezone.localdate()
    response = api.get(
        f"/api/v1/desks/{desk.pk}/queue-figures/", {"date": today.strftime("%d/%m/%Y")}
    )
    assert response.status_code == 200
    assert (response.data["date"], response.data["totals"]["served"]) == (today.isoformat(), 1)
    assert response.data["by_counter"][0]["counter__number"] == 1


def test_queue_figures_api_returns_400_when_date_is_invalid(api):
    desk, _, _, _ = make_floor()
    api.force_authenticate(make_user(role=Role.ADMIN))
    response = api.get(f"/api/v1/desks/{desk.pk}/queue-figures/", {"date": "31/02/2026"})
    assert response.status_code == 400


def test_queue_figures_api_returns_403_when_clerk_asks(api):
    desk, _, _, _ = make_floor()
    api.force_authenticate(make_clerk(desk=desk))
    assert api.get(f"/api/v1/desks/{desk.pk}/queue-figures/").status_code == 403
