"""Transitions during processing: send to the agency, hand off between agencies, fees, stop,
apology with a new appointment; one service per transition."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Dossier, DossierStatus
from dossiers.services.errors import DossierValidationError, TransitionForbidden
from dossiers.services.events import event_record
from dossiers.services.legs import (
    default_agency,
    leg_data,
    leg_target,
    open_leg_close,
    open_leg_create,
)
from dossiers.services.perform import action_perform, required_text, schedule_side_effects
from onestop.models import Agency, Desk


@transaction.atomic
def dossier_start_processing(
    *,
    dossier_id: int,
    actor: User,
    now: datetime,
    to_agency: Agency | int | None = None,
    to_desk: Desk | int | None = None,
    leg_due_at: datetime | None = None,
    note: str = "",
) -> Dossier:
    """RECEIVED -> PROCESSING: the desk sends the dossier to the competent agency (Mẫu 05, leg 1).

    Without `to_agency`, the agency of the desk's unit in charge of the procedure's sector.
    """

    def change(dossier: Dossier) -> dict[str, Any]:
        desk, agency = leg_target(to_desk=to_desk, to_agency=to_agency)
        if agency is None and desk is None:
            agency = default_agency(dossier=dossier)
            desk, agency = leg_target(to_desk=None, to_agency=agency)
        desk = desk or dossier.desk
        dossier.start_processing(agency=agency, desk=desk)
        leg = open_leg_create(
            dossier=dossier,
            actor=actor,
            desk=desk,
            agency=agency,
            due_at=leg_due_at,
            note=note,
            now=now,
            previous=None,
        )
        return leg_data(leg, None)

    return action_perform(
        dossier_id=dossier_id,
        actor=actor,
        action="start_processing",
        now=now,
        note=note,
        change=change,
    )[0]


@transaction.atomic
def dossier_hand_off(
    *,
    dossier_id: int,
    actor: User,
    now: datetime,
    to_desk: Desk | int | None = None,
    to_agency: Agency | int | None = None,
    leg_due_at: datetime | None = None,
    note: str = "",
) -> Dossier:
    """Liên thông: close the current leg (its on-time outcome) and send the dossier on."""
    if to_desk is None and to_agency is None:
        raise DossierValidationError(_("Chọn bộ phận hoặc cơ quan nhận hồ sơ."), field="to_agency")

    def change(dossier: Dossier) -> dict[str, Any]:
        desk, agency = leg_target(to_desk=to_desk, to_agency=to_agency)
        dossier.hand_off(agency=agency, desk=desk or dossier.current_desk)
        closed = open_leg_close(dossier=dossier, now=now)
        leg = open_leg_create(
            dossier=dossier,
            actor=actor,
            desk=desk,
            agency=agency,
            due_at=leg_due_at,
            note=note,
            now=now,
            previous=closed,
        )
        return leg_data(leg, closed)

    return action_perform(
        dossier_id=dossier_id, actor=actor, action="hand_off", now=now, note=note, change=change
    )[0]


@transaction.atomic
def dossier_request_payment(
    *,
    dossier_id: int,
    actor: User,
    fee_amount: Decimal | int | str,
    now: datetime,
    note: str = "",
) -> Dossier:
    """PROCESSING -> AWAITING_PAYMENT: fees or taxes to pay. The clock keeps running."""
    try:
        amount = Decimal(str(fee_amount))
    except ArithmeticError:
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0:
        raise DossierValidationError(_("Số tiền phải là số dương."), field="fee_amount")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.request_payment(amount=amount)
        return {"fee_amount": str(amount)}

    return action_perform(
        dossier_id=dossier_id,
        actor=actor,
        action="request_payment",
        now=now,
        note=note,
        change=change,
    )[0]


@transaction.atomic
def dossier_confirm_payment(
    *, dossier_id: int, actor: User, now: datetime, note: str = ""
) -> Dossier:
    """AWAITING_PAYMENT -> PROCESSING: a clerk records a payment made at the counter. Online
    payments come from the gateway (`dossier_record_online_payment`), never from a click."""

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.confirm_payment(online=False, now=now)
        return {"paid_online": False}

    return action_perform(
        dossier_id=dossier_id,
        actor=actor,
        action="confirm_payment",
        now=now,
        note=note,
        change=change,
    )[0]


@transaction.atomic
def dossier_record_online_payment(
    *, dossier_id: int, amount: Decimal, reference: str, now: datetime
) -> Dossier | None:
    """AWAITING_PAYMENT -> PROCESSING on a gateway's verified notice (no user acts: the payments
    app checked the signature and the amount). Returns None, changing nothing, when the dossier
    no longer awaits a payment (already paid at the counter, withdrawn, stopped)."""
    dossier = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier_id)
    if dossier.status != DossierStatus.AWAITING_PAYMENT:
        return None
    old = dossier.status
    dossier.confirm_payment(online=True, now=now)
    dossier.save()
    event = event_record(
        dossier=dossier,
        action="confirm_payment",
        actor=None,
        from_status=old,
        now=now,
        data={"paid_online": True, "amount": str(amount), "payment": reference},
    )
    schedule_side_effects(dossier=dossier, event=event)
    return dossier


@transaction.atomic
def dossier_stop(*, dossier_id: int, actor: User, reason: str, now: datetime) -> Dossier:
    """Stop processing (e.g. the supplement never came, or the law forbids it), with reasons."""
    reason = required_text(reason, field="reason")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.stop(reason=reason, now=now)
        open_leg_close(dossier=dossier, now=now)
        return {"reason": reason}

    return action_perform(
        dossier_id=dossier_id, actor=actor, action="stop", now=now, note=reason, change=change
    )[0]


@transaction.atomic
def dossier_apologize(
    *, dossier_id: int, actor: User, reason: str, new_due_at: datetime, now: datetime
) -> Dossier:
    """Apology with a new appointment (Mẫu 04), before the due date only.

    The new date is shown to the applicant; the outcome is still measured against `due_at`.
    """
    reason = required_text(reason, field="reason")
    if new_due_at is None or timezone.is_naive(new_due_at):
        raise DossierValidationError(_("Ngày hẹn mới không hợp lệ."), field="new_due_at")

    def change(dossier: Dossier) -> dict[str, Any]:
        if dossier.status in (
            DossierStatus.RECEIVED,
            DossierStatus.PROCESSING,
            DossierStatus.SUPPLEMENT_REQUESTED,
            DossierStatus.AWAITING_PAYMENT,
        ) and (dossier.due_at is None or now >= dossier.due_at):
            raise TransitionForbidden(_("Chỉ được xin lỗi và hẹn lại trước ngày hẹn trả kết quả."))
        if dossier.due_at and new_due_at <= dossier.due_at:
            raise DossierValidationError(
                _("Ngày hẹn mới phải sau ngày hẹn trả kết quả ban đầu."), field="new_due_at"
            )
        agency = actor.agency or dossier.handling_agency
        dossier.apologize(reason=reason, new_due_at=new_due_at, agency=agency, now=now)
        return {
            "reason": reason,
            "new_due_at": new_due_at.isoformat(),
            "due_at": dossier.due_at.isoformat(),
            "agency": agency.pk if agency else None,
        }

    return action_perform(
        dossier_id=dossier_id,
        actor=actor,
        action="apologize",
        now=now,
        note=reason,
        change=change,
    )[0]
