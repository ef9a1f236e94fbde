"""The flat dossier detail answer equals what the documented serializer gives, field for field."""

import pytest
from django.test.utils import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.api import DossierDetailOutput
from dossiers.api_detail import dossier_detail_data, dossier_detail_queryset
from dossiers.models import Dossier
from tests.dossiers.engine_world import make_world
from tests.dossiers.test_api import pdf_upload, post_dossier

pytestmark = pytest.mark.django_db


def serializer_data(code: str, user) -> dict:
    dossier = Dossier.objects.get(code=code)
    return DossierDetailOutput(dossier, context={"now": timezone.now(), "user": user}).data


def flat_data(code: str, user) -> dict:
    dossier = dossier_detail_queryset(Dossier.objects.filter(code=code)).get()
    return dossier_detail_data(dossier, user=user, now=timezone.now())


def act(world, code: str, user, **data):
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(f"/api/v1/dossiers/{code}/actions/", data, format="multipart")
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("time_zone", ["Asia/Ho_Chi_Minh", "UTC"])
def test_dossier_detail_data_equals_serializer_through_a_whole_life(time_zone):
    world = make_world()
    code = post_dossier(
        world, files=[pdf_upload("don.pdf"), pdf_upload("cccd.pdf")], form_data='{"a": 1}'
    ).json()["code"]
    steps = [
        (world.clerk, {"action": "receive"}),
        (world.clerk, {"action": "start_processing"}),
        (
            world.specialist,
            {"action": "resolve", "result": "approved", "documents": [pdf_upload("ket-qua.pdf")]},
        ),
    ]
    with override_settings(TIME_ZONE=time_zone), timezone.override(time_zone):
        for actor, data in [(None, None), *steps]:
            if actor is not None:
                act(world, code, actor, **data)
            for user in (world.citizen, world.clerk, world.specialist):
                assert flat_data(code, user) == serializer_data(code, user)
    final = flat_data(code, world.clerk)
    # The comparison covered documents, legs, a timeline and actions, not empty lists.
    assert len(final["documents"]) == 3 and final["legs"] and len(final["timeline"]) >= 4


def test_dossier_detail_api_answers_with_flat_data_in_constant_queries(
    django_assert_max_num_queries,
):
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    act(world, code, world.clerk, action="receive")
    act(world, code, world.clerk, action="start_processing")
    client = APIClient()
    client.force_authenticate(world.clerk)
    with django_assert_max_num_queries(4):
        body = client.get(f"/api/v1/dossiers/{code}/").json()
    assert body == serializer_data(code, world.clerk) | {"is_overdue": body["is_overdue"]}


@pytest.mark.parametrize("time_zone", ["Asia/Ho_Chi_Minh", "UTC"])
def test_lookup_answer_equals_documented_serializer_when_dossier_moved(time_zone):
    from dossiers.api import DossierLookupOutput
    from dossiers.api_detail import lookup_answer
    from dossiers.selectors import dossier_public_lookup

    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    act(world, code, world.clerk, action="receive")
    with override_settings(TIME_ZONE=time_zone), timezone.override(time_zone):
        found = dossier_public_lookup(code=code, verifier=world.citizen.phone[-4:])
        assert found["received_at"] is not None and len(found["timeline"]) >= 2
        assert lookup_answer(found) == DossierLookupOutput(found).data
