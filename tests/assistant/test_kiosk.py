"""The assistant on the desk floor: a kiosk page with the on-screen keyboard, no floating panel."""

import pytest
from django.urls import reverse

from tests.factories import make_desk

pytestmark = pytest.mark.django_db

PANEL = "data-assistant-panel"


def test_kiosk_assistant_answers_with_kiosk_links_when_question_asked(client, catalog):
    desk = make_desk()
    response = client.get(
        reverse("assistant:kiosk", args=[desk.pk]), {"q": "lam giay khai sinh cho con"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert reverse("onestop:queue-kiosk-procedure", args=[desk.pk, "1.001193"]) in body
    assert 'data-osk="kiosk-assistant-q"' in body  # the on-screen keyboard
    assert PANEL not in body


def test_kiosk_assistant_keeps_the_conversation_when_follow_up_asked(client, catalog):
    desk = make_desk()
    url = reverse("assistant:kiosk", args=[desk.pk])
    first = client.get(url, {"q": "xin cắt khẩu"})
    conversation = first.context["answer"].conversation
    follow = client.get(url, {"q": "mất bao lâu?", "c": conversation})
    assert follow.context["answer"].intent == "time"
    assert follow.context["answer"].procedures[0]["code"] == "1.003197"


def test_floor_pages_show_no_chat_panel_when_rendered(client, catalog):
    desk = make_desk()
    procedures = client.get(reverse("onestop:queue-kiosk-procedures", args=[desk.pk]))
    assert reverse("assistant:kiosk", args=[desk.pk]) in procedures.content.decode()
    for name in ("onestop:queue-kiosk", "onestop:queue-kiosk-procedures", "onestop:queue-board"):
        page = client.get(reverse(name, args=[desk.pk]))
        assert page.status_code == 200, name
        assert PANEL not in page.content.decode(), name
    assert PANEL in client.get(reverse("procedures:list")).content.decode()
