"""The flat dossier detail answer equals what the documented serializer gives, field for field."""

import datetime

import pytest
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from accounts.models import Role
from dossiers.api import DossierDetailOutput
from dossiers.api_detail import (
    DETAIL_BY_ID,
    VISIBLE_DETAIL,
    api_moment,
    dossier_detail_by_id,
    dossier_detail_data,
    dossier_detail_for_user,
    dossier_detail_queryset,
)
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierLeg,
    DossierStatus,
    dossier_status_label,
)
from dossiers.selectors import (
    VISIBLE_ID,
    dossier_list_for_user,
    dossier_visible_id,
    viewer_shape,
)
from dossiers.services import dossier_hand_off, dossier_start_processing
from dossiers.views.files import dossier_file_key
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


def test_dossier_detail_api_answers_with_flat_data_in_one_query(django_assert_num_queries):
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    act(world, code, world.clerk, action="receive")
    act(world, code, world.clerk, action="start_processing")
    client = APIClient()
    client.force_authenticate(world.clerk)
    # The dossier with its documents, legs and timeline: one statement (force_authenticate: no
    # token read; the test client: no connection health check).
    with django_assert_num_queries(1):
        body = client.get(f"/api/v1/dossiers/{code}/").json()
    assert body == serializer_data(code, world.clerk) | {"is_overdue": body["is_overdue"]}


def per_child_reads(dossier_id: int) -> dict:
    """The detail's lists as they were read before they joined the dossier's statement: one
    query per list, in the models' order, each row a model instance with its related rows."""

    def name(related) -> str:
        return related.name if related is not None else ""

    dossier = Dossier.objects.get(pk=dossier_id)
    events = DossierEvent.objects.select_related("actor", "desk", "agency").filter(dossier=dossier)
    legs = DossierLeg.objects.select_related("from_desk", "to_desk", "from_agency", "to_agency")
    return {
        "timeline": [
            {
                "at": api_moment(e.at),
                "action": e.action,
                "actor": str(e.actor) if e.actor is not None else "",
                "actor_role": e.actor_role,
                "desk": name(e.desk),
                "agency": name(e.agency),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note,
                "data": e.data,
            }
            for e in events.order_by("at", "id")
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "original_name": d.original_name,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "url": reverse(
                    "api-dossier-document",
                    kwargs={"code": dossier_file_key(dossier), "document_id": d.pk},
                ),
            }
            for d in DossierDocument.objects.filter(dossier=dossier).order_by("id")
        ],
        "legs": [
            {
                "position": leg.position,
                "from_desk": name(leg.from_desk),
                "from_agency": name(leg.from_agency),
                "to_desk": name(leg.to_desk),
                "to_agency": name(leg.to_agency),
                "started_at": api_moment(leg.started_at),
                "due_at": api_moment(leg.due_at),
                "finished_at": api_moment(leg.finished_at),
                "outcome": leg.outcome,
                "note": leg.note,
            }
            for leg in legs.filter(dossier=dossier).order_by("position")
        ],
    }


def _document(dossier: Dossier, name: str, size: int) -> DossierDocument:
    return DossierDocument.objects.create(
        dossier=dossier,
        kind=DossierDocument.Kind.SUPPLEMENT,
        file=f"dossiers/2026/03/{name}",
        original_name=name,
        content_type="application/pdf",
        size=size,
        sha256=f"{size:064x}",
    )


@pytest.mark.parametrize("time_zone", ["Asia/Ho_Chi_Minh", "UTC"])
def test_dossier_detail_lists_equal_per_child_reads_when_rows_written_out_of_order(time_zone):
    world = make_world()
    dossier = received(world)
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    later = MONDAY + datetime.timedelta(hours=2, microseconds=120000)
    dossier_hand_off(
        dossier_id=dossier.pk,
        actor=world.specialist,
        to_desk=world.district_desk,
        leg_due_at=later + datetime.timedelta(days=3),
        note="Chuyển liên thông cấp huyện",
        now=later,
    )
    dossier_hand_off(
        dossier_id=dossier.pk,
        actor=world.admin,
        to_agency=world.district_agency,
        now=later + datetime.timedelta(minutes=5),
    )
    # Written after the others, placed before them: ids out of the order of position / time.
    DossierLeg.objects.create(
        dossier=dossier, position=9, from_agency=world.agency, started_at=MONDAY, note="chín"
    )
    DossierLeg.objects.create(dossier=dossier, position=8, started_at=MONDAY, outcome="late")
    no_full_name = make_user(role=Role.SPECIALIST, agency=world.agency, full_name="")
    earlier = MONDAY - datetime.timedelta(days=1, microseconds=1)
    for actor, at, data in [
        (no_full_name, later, {"lồng": {"nhau": [1, "hai", None, {"ba": True}]}}),
        (None, earlier, {}),
        (world.clerk, earlier, {"số": 2.5}),  # the same moment: the id decides
        (world.citizen, MONDAY - datetime.timedelta(hours=1), {"tệp": ["a.pdf"]}),
    ]:
        DossierEvent.objects.create(
            dossier=dossier,
            action="note",
            actor=actor,
            actor_role=actor.role if actor else "",
            desk=world.district_desk if actor else None,
            agency=world.district_agency if actor is world.clerk else None,
            at=at,
            note=f"Ghi chú {at:%H:%M:%S.%f}",
            data=data,
        )
    for n, name in enumerate(["to-khai.pdf", "cccd.pdf", "giay-uy-quyen.pdf"]):
        _document(dossier, name, size=1000 - n)
    reference = per_child_reads(dossier.pk)
    events = list(DossierEvent.objects.filter(dossier=dossier).order_by("at", "id"))
    # The ordering is not the insertion order: the reader's sorting is exercised.
    assert [e.pk for e in events] != sorted(e.pk for e in events)
    assert len(reference["legs"]) == 5 and len(reference["timeline"]) >= 7
    assert [leg["position"] for leg in reference["legs"]] == [1, 2, 3, 8, 9]
    assert {e["actor"] for e in reference["timeline"]} >= {"", no_full_name.username}
    assert reference["legs"][1]["to_desk"] == world.district_desk.name
    with override_settings(TIME_ZONE=time_zone), timezone.override(time_zone):
        reference = per_child_reads(dossier.pk)
        for found in (
            dossier_detail_for_user(user=world.admin, code=dossier.code),
            dossier_detail_by_id(dossier.pk),
            dossier_detail_queryset(Dossier.objects.filter(pk=dossier.pk)).get(),
        ):
            data = dossier_detail_data(found, user=world.admin, now=MONDAY)
            assert {key: data[key] for key in reference} == reference


def test_dossier_detail_lists_are_empty_when_dossier_has_no_rows():
    dossier = make_dossier(status=DossierStatus.NEW)
    data = dossier_detail_data(dossier_detail_by_id(dossier.pk), user=make_user(), now=MONDAY)
    assert data["timeline"] == data["documents"] == data["legs"] == []


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


def test_dossier_detail_and_visible_id_see_what_the_visibility_rule_sees_for_every_viewer():
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
            # The action endpoint's compiled check of the same rule.
            assert dossier_visible_id(user=user, code=code) == (expected and expected.pk)
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
        shape = viewer_shape(user)
        assert VISIBLE_DETAIL.compiles(shape), user.role
        assert VISIBLE_ID.compiles(shape), user.role
    assert DETAIL_BY_ID.compiles()


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
