"""The control slip (Mẫu 05) is an internal form: staff in scope only (issue 11)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.dossiers.engine_world import make_world, received

pytestmark = pytest.mark.django_db


def _get(user, dossier, number: int):
    client = Client()
    client.force_login(user)
    return client.get(reverse("dossiers:form_pdf", args=[dossier.code, number]))


def test_control_slip_answers_404_when_the_applicant_asks_for_it():
    world = make_world()
    dossier = received(world)
    assert _get(world.citizen, dossier, 1).status_code == 200  # the receipt stays theirs
    assert _get(world.citizen, dossier, 5).status_code == 404


def test_control_slip_is_served_when_staff_in_scope_ask():
    world = make_world()
    dossier = received(world)
    for user in (world.clerk, world.leader, world.admin):
        response = _get(user, dossier, 5)
        assert response.status_code == 200, user.role
        assert response["Content-Type"] == "application/pdf"


def test_control_slip_answers_404_when_staff_out_of_scope_ask():
    world = make_world()
    dossier = received(world)
    assert _get(world.district_clerk, dossier, 5).status_code == 404
