"""Every allowed transition and the important forbidden ones, with the events they write."""

import datetime
from decimal import Decimal

import pytest

from dossiers.models import (
    DossierEvent,
    DossierLeg,
    DossierOutcome,
    DossierStatus,
    SatisfactionRating,
)
from dossiers.services import (
    DossierPermissionDenied,
    TransitionForbidden,
    dossier_apologize,
    dossier_confirm_payment,
    dossier_hand_off,
    dossier_rate,
    dossier_receive,
    dossier_record_online_payment,
    dossier_refuse_reception,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_request_withdrawal,
    dossier_resolve,
    dossier_return_result,
    dossier_start_processing,
    dossier_stop,
    dossier_submit_supplement,
    dossier_withdraw,
)
from dossiers.workflow import ACTIONS
from tests.dossiers.engine_world import MONDAY, make_world, pdf, received, submit

HOUR = datetime.timedelta(hours=1)
pytestmark = pytest.mark.django_db


def last_event(dossier) -> DossierEvent:
    return dossier.events.order_by("-id").first()


def processing(world, *, now=MONDAY):
    dossier = received(world, now=now)
    return dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=now + HOUR)


def test_dossier_receive_sets_appointment_and_event_when_new(
    django_capture_on_commit_callbacks,
):
    world = make_world()
    dossier = submit(world)
    with django_capture_on_commit_callbacks() as callbacks:
        dossier = dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    assert dossier.status == DossierStatus.RECEIVED
    assert dossier.received_at == MONDAY
    # 3 working days from Monday 09:00 -> Thursday 09:00.
    assert dossier.due_at == MONDAY + datetime.timedelta(days=3)
    assert dossier.deadline_explanation
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == ("receive", "new", "received")
    assert event.actor == world.clerk and event.actor_role == "clerk"
    assert event.desk == world.province_desk
    assert event.data["due_at"] == dossier.due_at.isoformat()
    assert event.data["deadline"]["explanation"]
    assert len(callbacks) == 1


def test_dossier_receive_raises_conflict_when_already_received():
    world = make_world()
    dossier = received(world)
    with pytest.raises(TransitionForbidden, match="Được tiếp nhận"):
        dossier_receive(dossier_id=dossier.pk, actor=world.other_clerk, now=MONDAY)
    assert dossier.events.filter(action="receive").count() == 1


def test_dossier_refuse_reception_records_reason_when_new():
    world = make_world()
    dossier = submit(world)
    dossier = dossier_refuse_reception(
        dossier_id=dossier.pk, actor=world.clerk, reason="Không thuộc thẩm quyền", now=MONDAY
    )
    assert dossier.status == DossierStatus.NOT_ACCEPTED
    assert dossier.refusal_reason == "Không thuộc thẩm quyền"
    event = last_event(dossier)
    assert (event.from_status, event.to_status) == ("new", "not_accepted")
    assert event.data == {"reason": "Không thuộc thẩm quyền"}


def test_dossier_refuse_reception_raises_when_processing():
    world = make_world()
    dossier = processing(world)
    with pytest.raises(TransitionForbidden):
        dossier_refuse_reception(dossier_id=dossier.pk, actor=world.clerk, reason="x", now=MONDAY)


def test_dossier_request_supplement_keeps_clock_stopped_when_at_reception():
    world = make_world()
    dossier = submit(world)
    items = [{"document": "Bản sao CCCD", "reason": "Ảnh mờ"}]
    dossier = dossier_request_supplement(
        dossier_id=dossier.pk, actor=world.clerk, items=items, now=MONDAY
    )
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
    assert dossier.supplement_stage == "reception"
    assert dossier.due_at is None and dossier.paused_at is None
    assert last_event(dossier).data["items"] == items
    later = MONDAY + datetime.timedelta(days=2)
    dossier = dossier_submit_supplement(
        dossier_id=dossier.pk, actor=world.citizen, documents=[pdf("cccd-ro.pdf")], now=later
    )
    assert dossier.status == DossierStatus.NEW
    event = last_event(dossier)
    assert (event.from_status, event.to_status) == ("supplement_requested", "new")
    assert event.documents.get().original_name == "cccd-ro.pdf"
    assert event.data["documents"] == [event.documents.get().pk]


def test_dossier_request_supplement_raises_when_already_requested_at_same_stage():
    world = make_world()
    dossier = submit(world)
    items = [{"document": "Bản sao CCCD", "reason": "Thiếu"}]
    dossier_request_supplement(dossier_id=dossier.pk, actor=world.clerk, items=items, now=MONDAY)
    dossier_submit_supplement(
        dossier_id=dossier.pk, actor=world.citizen, documents=[pdf()], now=MONDAY + HOUR
    )
    with pytest.raises(TransitionForbidden, match="một lần"):
        dossier_request_supplement(
            dossier_id=dossier.pk, actor=world.clerk, items=items, now=MONDAY + 2 * HOUR
        )


def test_dossier_submit_supplement_pushes_due_date_back_when_clock_pauses(settings):
    settings.DOSSIER_SUPPLEMENT_CLOCK_DEFAULT = "pause"
    world = make_world()
    dossier = processing(world)
    due = dossier.due_at
    dossier = dossier_request_supplement(
        dossier_id=dossier.pk,
        actor=world.specialist,
        items=[{"document": "Tờ khai", "reason": "Sai mẫu"}],
        now=MONDAY + 2 * HOUR,
    )
    assert dossier.paused_at == MONDAY + 2 * HOUR
    assert last_event(dossier).data["stage"] == "processing"
    # Paused from Monday 11:00 to Tuesday 11:00: one working day of waiting.
    dossier = dossier_submit_supplement(
        dossier_id=dossier.pk,
        actor=world.citizen,
        documents=[pdf()],
        now=MONDAY + datetime.timedelta(days=1, hours=2),
    )
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.paused_at is None
    assert dossier.due_at == due + datetime.timedelta(days=1)
    event = last_event(dossier)
    assert event.data["clock"] == "pause"
    assert event.data["previous_due_at"] == due.isoformat()
    assert DossierLeg.objects.get(dossier=dossier).due_at == dossier.due_at


def test_dossier_submit_supplement_restarts_processing_time_when_procedure_says_restart():
    world = make_world()
    world.procedure.supplement_clock = "restart"
    world.procedure.save()
    dossier = processing(world)
    dossier_request_supplement(
        dossier_id=dossier.pk,
        actor=world.specialist,
        items=[{"document": "Tờ khai", "reason": "Sai mẫu"}],
        now=MONDAY + 2 * HOUR,
    )
    resumed = MONDAY + datetime.timedelta(days=1)  # Tuesday 09:00
    dossier = dossier_submit_supplement(
        dossier_id=dossier.pk, actor=world.citizen, documents=[pdf()], now=resumed
    )
    assert dossier.due_at == resumed + datetime.timedelta(days=3)
    assert last_event(dossier).data["clock"] == "restart"
    assert DossierLeg.objects.get(dossier=dossier).due_at == dossier.due_at


def test_dossier_start_processing_opens_first_leg_to_sector_agency_when_received():
    world = make_world()
    dossier = received(world)
    dossier = dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.handling_agency == world.agency
    leg = DossierLeg.objects.get(dossier=dossier)
    assert (leg.position, leg.from_desk, leg.to_agency) == (1, world.province_desk, world.agency)
    assert leg.due_at == dossier.due_at
    event = last_event(dossier)
    assert (event.from_status, event.to_status) == ("received", "processing")
    assert event.data["to_agency"] == world.agency.pk


def test_dossier_hand_off_closes_leg_with_outcome_and_opens_next():
    world = make_world()
    dossier = processing(world)
    leg_due = MONDAY + datetime.timedelta(days=1)
    dossier = dossier_hand_off(
        dossier_id=dossier.pk,
        actor=world.specialist,
        to_agency=world.district_agency.pk,
        leg_due_at=leg_due,
        note="Xin ý kiến",
        now=MONDAY + 2 * HOUR,
    )
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.handling_agency == world.district_agency
    assert dossier.current_desk == world.district_desk
    first, second = DossierLeg.objects.filter(dossier=dossier).order_by("position")
    assert first.finished_at == MONDAY + 2 * HOUR
    assert first.outcome == DossierOutcome.EARLY
    assert (second.from_agency, second.to_agency, second.due_at) == (
        world.agency,
        world.district_agency,
        leg_due,
    )
    assert last_event(dossier).data["closed_leg"] == {"leg": 1, "outcome": "early"}
    # The district specialist now holds it and may resolve; the leg closes late.
    dossier = dossier_resolve(
        dossier_id=dossier.pk,
        actor=world.district_specialist,
        result="approved",
        note="",
        now=leg_due + HOUR,
    )
    second.refresh_from_db()
    assert second.outcome == DossierOutcome.LATE
    assert dossier.outcome == DossierOutcome.EARLY  # the dossier's appointment is Thursday


def test_dossier_confirm_payment_records_counter_payment_when_clerk_confirms():
    world = make_world()
    dossier = processing(world)
    dossier = dossier_request_payment(
        dossier_id=dossier.pk, actor=world.specialist, fee_amount="200000", now=MONDAY + HOUR
    )
    assert dossier.status == DossierStatus.AWAITING_PAYMENT
    assert dossier.fee_amount == Decimal("200000")
    dossier = dossier_confirm_payment(
        dossier_id=dossier.pk, actor=world.specialist, now=MONDAY + 2 * HOUR
    )
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.paid_online is False
    event = last_event(dossier)
    assert (event.from_status, event.to_status, event.data) == (
        "awaiting_payment",
        "processing",
        {"paid_online": False},
    )


def test_dossier_confirm_payment_raises_when_applicant_claims_to_have_paid():
    world = make_world()
    dossier = processing(world)
    dossier_request_payment(
        dossier_id=dossier.pk, actor=world.specialist, fee_amount="200000", now=MONDAY + HOUR
    )
    with pytest.raises(DossierPermissionDenied):
        dossier_confirm_payment(dossier_id=dossier.pk, actor=world.citizen, now=MONDAY + 2 * HOUR)


def test_dossier_record_online_payment_moves_once_when_notice_repeats():
    world = make_world()
    dossier = processing(world)
    dossier_request_payment(
        dossier_id=dossier.pk, actor=world.specialist, fee_amount="200000", now=MONDAY + HOUR
    )
    first = dossier_record_online_payment(
        dossier_id=dossier.pk, amount=Decimal("200000"), reference="T1", now=MONDAY + 2 * HOUR
    )
    again = dossier_record_online_payment(
        dossier_id=dossier.pk, amount=Decimal("200000"), reference="T1", now=MONDAY + 3 * HOUR
    )
    assert first.status == DossierStatus.PROCESSING and first.paid_online is True
    assert again is None
    assert dossier.events.filter(action="confirm_payment").count() == 1


def test_dossier_withdraw_closes_dossier_when_applicant_asked():
    world = make_world()
    dossier = processing(world)
    dossier = dossier_request_withdrawal(
        dossier_id=dossier.pk, actor=world.citizen, reason="Nộp nhầm thủ tục", now=MONDAY + HOUR
    )
    assert dossier.status == DossierStatus.WITHDRAWAL_REQUESTED
    assert dossier.status_before_withdrawal == DossierStatus.PROCESSING
    dossier = dossier_withdraw(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + 2 * HOUR)
    assert dossier.status == DossierStatus.WITHDRAWN
    assert dossier.finished_at == MONDAY + 2 * HOUR
    assert list(dossier.events.values_list("action", flat=True)) == [
        "submit",
        "receive",
        "start_processing",
        "request_withdrawal",
        "withdraw",
    ]


def test_dossier_request_withdrawal_raises_when_resolved():
    world = make_world()
    dossier = processing(world)
    dossier_resolve(
        dossier_id=dossier.pk, actor=world.specialist, result="approved", note="", now=MONDAY + HOUR
    )
    with pytest.raises(TransitionForbidden, match="Đã xử lý xong"):
        dossier_request_withdrawal(
            dossier_id=dossier.pk, actor=world.citizen, reason="x", now=MONDAY + HOUR
        )


def test_dossier_stop_records_reason_when_supplement_never_came():
    world = make_world()
    dossier = processing(world)
    dossier_request_supplement(
        dossier_id=dossier.pk,
        actor=world.specialist,
        items=[{"document": "Giấy phép", "reason": "Thiếu"}],
        now=MONDAY + HOUR,
    )
    dossier = dossier_stop(
        dossier_id=dossier.pk,
        actor=world.specialist,
        reason="Quá hạn bổ sung",
        now=MONDAY + 3 * HOUR,
    )
    assert dossier.status == DossierStatus.STOPPED
    assert dossier.stop_reason == "Quá hạn bổ sung"
    assert DossierLeg.objects.get(dossier=dossier).finished_at == MONDAY + 3 * HOUR


def test_dossier_apologize_sets_new_appointment_but_outcome_stays_late():
    world = make_world()
    dossier = processing(world)
    due = dossier.due_at
    new_due = due + datetime.timedelta(days=2)
    dossier = dossier_apologize(
        dossier_id=dossier.pk,
        actor=world.specialist,
        reason="Chờ xác minh",
        new_due_at=new_due,
        now=MONDAY + HOUR,
    )
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.rescheduled_due_at == new_due and dossier.appointment_at == new_due
    assert dossier.apology_agency == world.agency
    event = last_event(dossier)
    assert (event.action, event.from_status, event.to_status) == (
        "apologize",
        "processing",
        "processing",
    )
    assert event.data["new_due_at"] == new_due.isoformat()
    dossier = dossier_resolve(
        dossier_id=dossier.pk, actor=world.specialist, result="approved", note="", now=due + HOUR
    )
    assert dossier.outcome == DossierOutcome.LATE


def test_dossier_apologize_raises_when_due_date_passed():
    world = make_world()
    dossier = processing(world)
    with pytest.raises(TransitionForbidden, match="trước ngày hẹn"):
        dossier_apologize(
            dossier_id=dossier.pk,
            actor=world.specialist,
            reason="Chậm",
            new_due_at=dossier.due_at + datetime.timedelta(days=5),
            now=dossier.due_at + HOUR,
        )


@pytest.mark.parametrize(
    ("finished", "outcome"),
    [
        (datetime.timedelta(days=2), DossierOutcome.EARLY),  # Wednesday, due Thursday 09:00
        (datetime.timedelta(days=3, hours=-1), DossierOutcome.ON_TIME),  # Thursday 08:00
        (datetime.timedelta(days=3), DossierOutcome.ON_TIME),  # exactly at the appointment
        (datetime.timedelta(days=3, minutes=1), DossierOutcome.LATE),
    ],
)
def test_dossier_resolve_sets_outcome_when_finished(finished, outcome):
    world = make_world()
    dossier = processing(world)
    dossier = dossier_resolve(
        dossier_id=dossier.pk,
        actor=world.specialist,
        result="approved",
        note="",
        now=MONDAY + finished,
        result_documents=[pdf("ket-qua.pdf")],
    )
    assert dossier.status == DossierStatus.RESOLVED
    assert dossier.outcome == outcome
    assert dossier.finished_at == MONDAY + finished
    assert dossier.current_desk == world.province_desk
    event = last_event(dossier)
    assert event.data["outcome"] == outcome
    assert event.documents.get().kind == "result"


def test_dossier_resolve_requires_reason_when_refused():
    world = make_world()
    dossier = processing(world)
    with pytest.raises(Exception, match="lý do"):
        dossier_resolve(
            dossier_id=dossier.pk,
            actor=world.specialist,
            result="refused",
            note="",
            now=MONDAY + HOUR,
        )


def test_dossier_return_result_and_rate_once_when_resolved():
    world = make_world()
    dossier = processing(world)
    dossier_resolve(
        dossier_id=dossier.pk, actor=world.specialist, result="approved", note="", now=MONDAY + HOUR
    )
    dossier = dossier_return_result(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + 2 * HOUR)
    assert dossier.status == DossierStatus.RETURNED
    assert dossier.returned_at == MONDAY + 2 * HOUR
    rating = dossier_rate(
        dossier_id=dossier.pk,
        actor=world.citizen,
        level="satisfied",
        comment="Nhanh",
        now=MONDAY + 3 * HOUR,
    )
    assert rating.level == "satisfied"
    assert last_event(dossier).action == "rate"
    with pytest.raises(TransitionForbidden, match="đã được đánh giá"):
        dossier_rate(
            dossier_id=dossier.pk,
            actor=world.citizen,
            level="satisfied",
            comment="",
            now=MONDAY + 3 * HOUR,
        )
    assert SatisfactionRating.objects.count() == 1


def test_dossier_return_result_raises_when_processing():
    world = make_world()
    dossier = processing(world)
    with pytest.raises(TransitionForbidden):
        dossier_return_result(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)


def test_dossier_events_cannot_be_edited_through_admin():
    from django.contrib import admin

    from dossiers.models import DossierEvent as Event

    model_admin = admin.site._registry[Event]
    assert not model_admin.has_change_permission(request=None)
    assert not model_admin.has_delete_permission(request=None)
    assert not model_admin.has_add_permission(request=None)


def test_workflow_covers_every_transition_method():
    from dossiers.models import Dossier

    methods = {
        transition.name
        for transition in Dossier._meta.get_field("status").get_all_transitions(Dossier)
    }
    assert methods == {spec.method for spec in ACTIONS.values() if spec.method}


def test_dossier_receive_writes_its_side_effects_to_the_outbox_in_the_same_transaction(
    django_capture_on_commit_callbacks,
):
    from outbox.models import OutboxMessage

    world = make_world()
    dossier = submit(world)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    with django_capture_on_commit_callbacks() as callbacks:
        dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
        # Written before the commit, with the event they follow.
        rows = OutboxMessage.objects.exclude(pk__in=before)
        event = last_event(dossier)
        assert {(row.handler, row.key) for row in rows} == {
            ("dossiers.notify_citizen", f"dossier-event:{event.pk}:dossiers.notify_citizen"),
            (
                "dossiers.notify_citizen_sms",
                f"dossier-event:{event.pk}:dossiers.notify_citizen_sms",
            ),
            ("stats.rollup_refresh", f"dossier-event:{event.pk}:stats.rollup_refresh"),
            # no counter receipt: a reception involves no payment (tests/dossiers/
            # test_side_effect_rows.py: a row exactly when its handler acts)
            ("sync.push", f"dossier-event:{event.pk}:sync.push"),
        }
        assert all(
            row.payload["dossier_id"] == dossier.pk and row.payload["event_id"] == event.pk
            for row in rows
        )
    assert len(callbacks) == 1  # one delivery request, after commit


def test_side_effects_suppressed_schedules_nothing(django_capture_on_commit_callbacks):
    from dossiers.side_effects import side_effects_suppressed

    world = make_world()
    from outbox.models import OutboxMessage

    with django_capture_on_commit_callbacks() as callbacks, side_effects_suppressed():
        dossier = submit(world)
        dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert dossier.events.count() == 2
