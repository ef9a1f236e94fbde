"""Back office of the desk floor."""

import pytest

from tests.factories import make_user
from tests.onestop.queue_builders import make_floor

pytestmark = pytest.mark.django_db


def test_service_group_admin_offers_only_own_desk_counters_when_editing(client):
    desk, group_a, _, (counter1, _) = make_floor()
    _, _, _, (other_counter, _) = make_floor()
    client.force_login(make_user(role="admin", is_staff=True, is_superuser=True))
    html = client.get(f"/admin/onestop/servicegroup/{group_a.pk}/change/").content.decode()
    counters_select = html[html.index('name="counters"') :].split("</select>")[0]
    assert f'value="{counter1.pk}"' in counters_select
    assert f'value="{other_counter.pk}"' not in counters_select


def test_queue_ticket_admin_lists_tickets_when_superuser_opens(client):
    make_floor()
    client.force_login(make_user(role="admin", is_staff=True, is_superuser=True))
    assert client.get("/admin/onestop/queueticket/").status_code == 200
