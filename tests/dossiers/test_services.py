"""Intake services, the generic action entry point and the allowed-actions selector."""

import datetime

import pytest

from dossiers.models import Dossier, DossierEvent, DossierStatus
from dossiers.selectors import dossier_allowed_actions
from dossiers.services import (
    DossierPermissionDenied,
    DossierValidationError,
    TransitionForbidden,
    dossier_perform_action,
    dossier_receive_walk_in,
    dossier_save_draft,
    dossier_submit_draft,
)
from procedures.models import Channel, OnlineLevel
from tests.dossiers.engine_world import MONDAY, make_world, pdf, submit

pytestmark = pytest.mark.django_db


def test_dossier_submit_online_assigns_code_and_event_when_valid(
    django_capture_on_commit_callbacks,
):
    world = make_world()
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = submit(world)
    assert dossier.status == DossierStatus.NEW
    assert dossier.code == f"{world.province_desk.agency_code}-260302-0001"
    assert dossier.channel == Channel.ONLINE
    assert dossier.applicant_name == "Lê Văn An"  # from the account
    assert dossier.applicant_cccd == "077190001234"
    assert dossier.documents.count() == 2
    event = DossierEvent.objects.get(dossier=dossier)
    assert (event.action, event.from_status, event.to_status) == ("submit", "", "new")
    assert sorted(event.data["documents"]) == sorted(dossier.documents.values_list("pk", flat=True))
    assert len(callbacks) == 1


def test_dossier_submit_online_returns_same_dossier_when_idempotency_key_repeats():
    world = make_world()
    first = submit(world, key="abc-123")
    again = submit(world, key="abc-123")
    assert again.pk == first.pk
    assert Dossier.objects.count() == 1
    assert submit(world, key="other").pk != first.pk


def test_dossier_submit_online_raises_when_procedure_not_online():
    world = make_world()
    world.procedure.online_level = OnlineLevel.NONE
    world.procedure.save()
    with pytest.raises(DossierValidationError, match="trực tuyến"):
        submit(world)
    assert not Dossier.objects.exists()


def test_dossier_submit_online_raises_when_desk_level_differs():
    world = make_world()
    from dossiers.services import dossier_submit_online

    with pytest.raises(DossierValidationError, match="không được tiếp nhận tại"):
        dossier_submit_online(
            applicant=world.citizen,
            procedure=world.procedure,
            desk=world.commune_desk,
            applicant_fields={},
            form_data={},
            documents=[pdf()],
            idempotency_key=None,
            now=MONDAY,
        )


def test_dossier_submit_online_raises_when_staff_submits():
    world = make_world()
    world.citizen = world.clerk
    with pytest.raises(DossierPermissionDenied):
        submit(world)


def test_dossier_receive_walk_in_creates_received_dossier_with_appointment():
    world = make_world()
    dossier = dossier_receive_walk_in(
        clerk=world.clerk,
        procedure=world.procedure,
        applicant_fields={"name": "Phạm Thị Hoa", "phone": "0987654321"},
        documents=[pdf("to-khai.pdf")],
        channel=Channel.DIRECT,
        now=MONDAY,
    )
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.code.endswith("-260302-0001")
    assert dossier.due_at == MONDAY + datetime.timedelta(days=3)
    assert dossier.digitised_at_reception is True
    event = dossier.events.get()
    assert (event.action, event.from_status, event.to_status) == ("receive", "", "received")
    assert event.data["deadline"]["due_at"] == dossier.due_at.isoformat()
    assert event.documents.count() == 1


def test_dossier_receive_walk_in_raises_when_citizen_tries():
    world = make_world()
    with pytest.raises(DossierPermissionDenied):
        dossier_receive_walk_in(
            clerk=world.citizen,
            procedure=world.procedure,
            applicant_fields={"name": "A"},
            documents=[],
            channel=Channel.DIRECT,
            now=MONDAY,
        )


def test_dossier_receive_walk_in_raises_when_no_contact_to_verify_lookup():
    world = make_world()
    with pytest.raises(DossierValidationError, match="CCCD hoặc số điện thoại"):
        dossier_receive_walk_in(
            clerk=world.clerk,
            procedure=world.procedure,
            applicant_fields={"name": "A"},
            documents=[],
            channel=Channel.POSTAL,
            now=MONDAY,
        )


def test_dossier_submit_draft_gives_code_when_draft_completed():
    world = make_world()
    draft = dossier_save_draft(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=world.province_desk,
        applicant_fields={"name": "Lê Văn An", "phone": "0912345678"},
        form_data={"b": 1},
        now=MONDAY,
        documents=[pdf()],
    )
    assert draft.status == DossierStatus.DRAFT and draft.code is None
    draft = dossier_save_draft(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=world.province_desk,
        applicant_fields={"name": "Lê Văn An", "phone": "0912345678"},
        form_data={"b": 2},
        now=MONDAY,
        dossier_id=draft.pk,
    )
    assert draft.form_data == {"b": 2}
    dossier = dossier_submit_draft(
        dossier_id=draft.pk, actor=world.citizen, now=MONDAY, documents=[pdf("them.pdf")]
    )
    assert dossier.status == DossierStatus.NEW and dossier.code
    event = dossier.events.get()
    assert (event.action, event.from_status, event.to_status) == ("submit", "draft", "new")
    assert dossier.documents.filter(event=event).count() == 2


def test_dossier_perform_action_runs_named_action_when_allowed():
    world = make_world()
    dossier = submit(world)
    dossier = dossier_perform_action(
        dossier_id=dossier.pk,
        actor=world.clerk,
        action="receive",
        payload={"note": "Đủ"},
        now=MONDAY,
    )
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.events.get(action="receive").note == "Đủ"


def test_dossier_perform_action_raises_when_action_unknown():
    world = make_world()
    dossier = submit(world)
    with pytest.raises(DossierValidationError, match="không tồn tại"):
        dossier_perform_action(
            dossier_id=dossier.pk, actor=world.clerk, action="explode", payload={}, now=MONDAY
        )


def test_dossier_perform_action_raises_conflict_when_state_wrong():
    world = make_world()
    dossier = submit(world)
    with pytest.raises(TransitionForbidden, match="Mới đăng ký"):
        dossier_perform_action(
            dossier_id=dossier.pk, actor=world.clerk, action="return_result", payload={}, now=MONDAY
        )


def test_dossier_allowed_actions_lists_desk_actions_when_new():
    world = make_world()
    dossier = submit(world)
    names = [spec.name for spec in dossier_allowed_actions(dossier=dossier, user=world.clerk)]
    assert names == ["receive", "refuse_reception", "request_supplement"]
    citizen = [a.name for a in dossier_allowed_actions(dossier=dossier, user=world.citizen)]
    assert citizen == ["request_withdrawal"]
    assert dossier_allowed_actions(dossier=dossier, user=world.leader) == []
