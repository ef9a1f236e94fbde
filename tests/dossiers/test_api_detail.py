"""The flat dossier detail answer equals what the documented serializer gives, field for field."""

import pytest
from django.test.utils import override_settings
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Role
from dossiers.api import DossierDetailOutput
from dossiers.api_detail import (
    DOCUMENTS,
    LEGS,
    TIMELINE,
    VISIBLE_DETAIL,
    dossier_detail_data,
    dossier_detail_for_user,
    dossier_detail_queryset,
)
from dossiers.models import Dossier, DossierStatus, dossier_status_label
from dossiers.selectors import dossier_list_for_user
from dossiers.services import dossier_hand_off, dossier_start_processing
from tests.dossiers.engine_world import MONDAY, make_world, received, submit
from tests.dossiers.test_api import pdf_upload, post_dossier
from tests.factories import make_dossier, make_user

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


def _every_viewer(world) -> list:
    desk_head = make_user(role=Role.DESK_HEAD, desk=world.district_desk, agency=world.agency)
    superuser = make_user(role=Role.CITIZEN, is_superuser=True)
    business = make_user(role=Role.BUSINESS)
    return [
        *(getattr(world, name) for name in VIEWERS),
        desk_head,
        superuser,
        business,
        make_user(role=Role.CLERK),  # staff without a desk
    ]


VIEWERS = (
    "citizen",
    "other_citizen",
    "clerk",
    "other_clerk",
    "district_clerk",
    "specialist",
    "district_specialist",
    "leader",
    "district_leader",
    "admin",
)


def test_dossier_detail_for_user_sees_what_the_visibility_rule_sees_for_every_viewer():
    world = make_world()
    handed = received(world)
    dossier_start_processing(dossier_id=handed.pk, actor=world.clerk, now=MONDAY)
    dossier_hand_off(
        dossier_id=handed.pk, actor=world.specialist, to_agency=world.district_agency, now=MONDAY
    )
    draft = make_dossier(
        desk=world.province_desk, status=DossierStatus.DRAFT, applicant=world.citizen, code=""
    )
    others = [
        received(world),
        submit(world),
        make_dossier(desk=world.district_desk, applicant=world.other_citizen),
        make_dossier(desk=world.commune_desk, current_desk=world.district_desk),
    ]
    codes = [d.code for d in [handed, *others]] + [draft.code, "000.00.00.H00-000000-0000"]
    seen_somewhere = set()
    for user in _every_viewer(world):
        for code in codes:
            expected = dossier_list_for_user(user=user).filter(code=code).first()
            found = dossier_detail_for_user(user=user, code=code)
            assert (found and found.pk) == (expected and expected.pk), (user.role, code)
            if found is not None:
                seen_somewhere.add((user.pk, code))
                # The same answer as from the ordinary queryset.
                assert dossier_detail_data(found, user=user, now=MONDAY) == dossier_detail_data(
                    dossier_detail_queryset(Dossier.objects.filter(pk=found.pk)).get(),
                    user=user,
                    now=MONDAY,
                )
    # The check covered dossiers seen and not seen, by several viewers.
    assert len({user for user, _code in seen_somewhere}) >= 6
    assert len(seen_somewhere) < len(codes) * len(_every_viewer(world))


def test_dossier_detail_for_user_runs_precompiled_when_staff_or_citizen():
    world = make_world()
    for user in (world.citizen, world.clerk, world.specialist, world.admin):
        shape = (user.role, user.is_superuser, bool(user.desk_id), bool(user.agency_id))
        assert VISIBLE_DETAIL.compiles(shape), user.role
    for query in (DOCUMENTS, LEGS, TIMELINE):
        assert query.compiles()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_dossier_status_label_equals_get_status_display_for_every_status(language):
    with translation.override(language):
        for status in [*DossierStatus.values, "trang-thai-la"]:
            dossier = Dossier(status=status)
            assert dossier_status_label(status) == str(dossier.get_status_display())


def test_public_lookup_answers_empty_timeline_when_dossier_has_no_event(client):
    from dossiers.selectors import dossier_public_lookup

    dossier = make_dossier(status=DossierStatus.RECEIVED, applicant_phone="0912345678")
    other = make_dossier(status=DossierStatus.RECEIVED, applicant_phone="0900000000")
    found = dossier_public_lookup(code=dossier.code, verifier="5678")
    assert found is not None and found["timeline"] == []
    assert found["code"] == dossier.code and found["appointment_at"] == dossier.due_at
    assert found["desk_name"] == dossier.desk.name
    assert found["national_status_number"] == dossier.national_status_number
    assert dossier_public_lookup(code=dossier.code, verifier="0000") is None
    assert dossier_public_lookup(code=other.code, verifier="5678") is None
    draft = make_dossier(status=DossierStatus.DRAFT, applicant_phone="0912345678")
    assert dossier_public_lookup(code=draft.code, verifier="5678") is None
    response = client.get("/api/v1/lookup/", {"code": dossier.code, "verifier": "5678"})
    assert response.status_code == 200 and response.json()["timeline"] == []
