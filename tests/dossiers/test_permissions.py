"""Who sees which dossier (404 otherwise) and who may act on it (403)."""

import pytest

from dossiers.models import DossierStatus
from dossiers.selectors import dossier_get_for_user, dossier_list_for_user
from dossiers.services import (
    DossierNotFound,
    DossierPermissionDenied,
    dossier_hand_off,
    dossier_receive,
    dossier_request_withdrawal,
    dossier_resolve,
    dossier_save_draft,
    dossier_start_processing,
)
from tests.dossiers.engine_world import MONDAY, make_world, received, submit
from tests.factories import make_desk, make_unit, make_user

pytestmark = pytest.mark.django_db


def visible(user) -> set[str]:
    return set(dossier_list_for_user(user=user).values_list("code", flat=True))


def test_dossier_list_for_user_scopes_each_role():
    world = make_world()
    dossier = received(world)
    code = dossier.code
    assert visible(world.citizen) == {code}
    assert visible(world.other_citizen) == set()
    assert visible(world.clerk) == {code}
    assert visible(world.district_clerk) == set()
    assert visible(world.specialist) == set()  # not handed to the agency yet
    assert visible(world.leader) == {code}
    assert visible(world.district_leader) == set()
    assert visible(world.admin) == {code}
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    assert visible(world.specialist) == {code}
    assert visible(world.district_specialist) == set()


def test_dossier_list_for_user_follows_hand_off_when_sent_to_district():
    world = make_world()
    dossier = received(world)
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    dossier_hand_off(
        dossier_id=dossier.pk, actor=world.specialist, to_agency=world.district_agency, now=MONDAY
    )
    assert visible(world.district_specialist) == {dossier.code}
    assert visible(world.district_clerk) == {dossier.code}
    assert visible(world.district_leader) == {dossier.code}
    # The province agency keeps the dossier in its list: it was handed to it.
    assert visible(world.specialist) == {dossier.code}


def test_dossier_list_for_user_excludes_subtree_neighbours_for_leader():
    world = make_world()
    province = world.province_desk.unit
    # "77/74" must not match the subtree of "77/747".
    neighbour = make_unit(parent=province, code="74", path="77/74")
    leader = make_user(role="leader", unit=neighbour)
    desk_747 = make_desk(unit=make_unit(parent=world.district_desk.unit, code="26507"))
    world.procedure.level = ""
    world.procedure.save()
    from dossiers.services import dossier_submit_online
    from tests.dossiers.engine_world import pdf

    dossier_submit_online(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=desk_747,
        applicant_fields={},
        form_data={},
        documents=[pdf()],
        idempotency_key=None,
        now=MONDAY,
    )
    assert visible(leader) == set()
    assert len(visible(world.district_leader)) == 1


def test_dossier_list_for_user_hides_drafts_from_staff():
    world = make_world()
    dossier_save_draft(
        applicant=world.citizen,
        procedure=world.procedure,
        desk=world.province_desk,
        applicant_fields={},
        form_data={},
        now=MONDAY,
    )
    assert dossier_list_for_user(user=world.clerk).count() == 0
    assert dossier_list_for_user(user=world.admin).count() == 0
    assert dossier_list_for_user(user=world.citizen).get().status == DossierStatus.DRAFT


def test_dossier_get_for_user_returns_none_when_not_visible():
    world = make_world()
    dossier = submit(world)
    assert dossier_get_for_user(user=world.citizen, code=dossier.code) == dossier
    assert dossier_get_for_user(user=world.other_citizen, code=dossier.code) is None
    assert dossier_get_for_user(user=world.citizen, code="nope") is None


def test_dossier_receive_raises_not_found_when_other_desk_clerk():
    world = make_world()
    dossier = submit(world)
    with pytest.raises(DossierNotFound):
        dossier_receive(dossier_id=dossier.pk, actor=world.district_clerk, now=MONDAY)
    assert dossier.events.count() == 1


def test_dossier_receive_raises_permission_denied_when_applicant_tries():
    world = make_world()
    dossier = submit(world)
    with pytest.raises(DossierPermissionDenied, match="không có quyền"):
        dossier_receive(dossier_id=dossier.pk, actor=world.citizen, now=MONDAY)


def test_dossier_request_withdrawal_raises_not_found_when_other_citizen():
    world = make_world()
    dossier = submit(world)
    with pytest.raises(DossierNotFound):
        dossier_request_withdrawal(
            dossier_id=dossier.pk, actor=world.other_citizen, reason="x", now=MONDAY
        )


def test_dossier_resolve_raises_permission_denied_when_leader_reads_only():
    world = make_world()
    dossier = received(world)
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    with pytest.raises(DossierPermissionDenied):
        dossier_resolve(
            dossier_id=dossier.pk, actor=world.leader, result="approved", note="", now=MONDAY
        )
