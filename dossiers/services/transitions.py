"""Services that move a dossier through its states: one service per transition.

Each locks the row, checks who acts (dossiers.workflow scopes), applies the transition, saves,
writes a DossierEvent and schedules `dossiers.side_effects.dossier_changed` after commit.
"""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from dossiers import side_effects
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierLeg,
    DossierResult,
    DossierStatus,
    SatisfactionLevel,
    SatisfactionRating,
    SupplementStage,
)
from dossiers.services.clock import deadline_compute, deadline_data, deadline_extend, outcome_for
from dossiers.services.documents import (
    UploadedDocument,
    documents_check_total,
    documents_store,
    documents_validate,
    dossier_stored_bytes,
    files_removed_on_error,
)
from dossiers.services.errors import (
    DossierNotFound,
    DossierPermissionDenied,
    DossierValidationError,
    TransitionForbidden,
)
from dossiers.services.events import event_record
from dossiers.services.permissions import actor_scopes, dossier_visible_to, permission_message
from dossiers.workflow import ACTIONS
from onestop.models import Agency, Desk
from portal.models import User
from procedures.models import SupplementClock

Change = Callable[[Dossier], dict[str, Any] | None]


def schedule_side_effects(*, dossier_id: int, event_id: int) -> None:
    """Run `dossier_changed` once the transaction commits (unless a seed suppresses it)."""
    if side_effects.side_effects_are_suppressed():
        return
    transaction.on_commit(lambda: side_effects.dossier_changed(dossier_id, event_id))


def forbidden_message(*, action: str, status: str) -> str:
    return _("Hồ sơ đang ở trạng thái “%(status)s”, không thể thực hiện “%(action)s”.") % {
        "status": DossierStatus(status).label,
        "action": ACTIONS[action].label,
    }


def dossier_lock(*, dossier_id: int, actor: User, action: str) -> Dossier:
    """Lock the row; 404 when unknown or invisible to `actor`, 403 when they may not act."""
    try:
        dossier = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("desk", "procedure")
            .get(pk=dossier_id)
        )
    except Dossier.DoesNotExist:
        raise DossierNotFound() from None
    if actor_scopes(user=actor, dossier=dossier) & ACTIONS[action].scopes:
        return dossier  # every scope implies visibility: no need to ask the database
    if not dossier_visible_to(user=actor, dossier=dossier):
        raise DossierNotFound()
    raise DossierPermissionDenied(permission_message())


def _perform(
    *,
    dossier_id: int,
    actor: User,
    action: str,
    now: datetime,
    note: str,
    change: Change,
) -> tuple[Dossier, DossierEvent]:
    """Run one action inside the caller's transaction: lock, check, change, save, event."""
    dossier = dossier_lock(dossier_id=dossier_id, actor=actor, action=action)
    old = dossier.status
    try:
        data = change(dossier) or {}
    except TransitionNotAllowed:
        raise TransitionForbidden(forbidden_message(action=action, status=old)) from None
    dossier.save()
    event = event_record(
        dossier=dossier,
        action=action,
        actor=actor,
        from_status=old,
        now=now,
        note=note,
        data=data,
    )
    schedule_side_effects(dossier_id=dossier.pk, event_id=event.pk)
    return dossier, event


def _with_documents(
    *,
    dossier_id: int,
    actor: User,
    action: str,
    now: datetime,
    note: str,
    change: Change,
    documents: list[UploadedDocument],
    kind: str,
) -> Dossier:
    """An action that also attaches files; a failure leaves neither the change nor the files."""
    validated = documents_validate(documents=documents)
    with files_removed_on_error() as written, transaction.atomic():

        def change_and_store(dossier: Dossier) -> dict[str, Any]:
            data = change(dossier) or {}
            documents_check_total(
                documents=validated, existing_bytes=dossier_stored_bytes(dossier=dossier)
            )
            rows = documents_store(
                dossier=dossier,
                documents=validated,
                kind=kind,
                event=None,
                uploaded_by=actor,
                now=now,
                written=written,
            )
            if rows:
                data["documents"] = [row.pk for row in rows]
            return data

        dossier, event = _perform(
            dossier_id=dossier_id,
            actor=actor,
            action=action,
            now=now,
            note=note,
            change=change_and_store,
        )
        DossierDocument.objects.filter(pk__in=event.data.get("documents", [])).update(event=event)
    return dossier


@transaction.atomic
def dossier_receive(*, dossier_id: int, actor: User, now: datetime, note: str = "") -> Dossier:
    """NEW -> RECEIVED: the desk accepts the dossier; the clock starts, the appointment is set."""

    def change(dossier: Dossier) -> dict[str, Any]:
        if dossier.status != DossierStatus.NEW:
            raise TransitionNotAllowed()
        deadline = deadline_compute(dossier=dossier, start=now)
        dossier.receive(
            now=now, due_at=deadline.due_at, explanation="\n".join(deadline.explanation)
        )
        return {"due_at": deadline.due_at.isoformat(), "deadline": deadline_data(deadline)}

    return _perform(
        dossier_id=dossier_id, actor=actor, action="receive", now=now, note=note, change=change
    )[0]


@transaction.atomic
def dossier_refuse_reception(
    *, dossier_id: int, actor: User, reason: str, now: datetime
) -> Dossier:
    """NEW -> NOT_ACCEPTED with the reasons (Mẫu 03)."""
    reason = _required_text(reason, field="reason")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.refuse_reception(reason=reason, now=now)
        return {"reason": reason}

    return _perform(
        dossier_id=dossier_id,
        actor=actor,
        action="refuse_reception",
        now=now,
        note=reason,
        change=change,
    )[0]


def _clean_items(items: list[dict]) -> list[dict[str, str]]:
    cleaned = []
    for item in items or []:
        document = str((item or {}).get("document", "")).strip()
        reason = str((item or {}).get("reason", "")).strip()
        if document:
            cleaned.append({"document": document, "reason": reason})
    if not cleaned:
        raise DossierValidationError(
            _("Cần nêu ít nhất một giấy tờ phải bổ sung và lý do."), field="items"
        )
    return cleaned


@transaction.atomic
def dossier_request_supplement(
    *, dossier_id: int, actor: User, items: list[dict], now: datetime, note: str = ""
) -> Dossier:
    """Ask for supplements (Mẫu 02), once per stage as Decree 61/2018 says.

    At reception (NEW) the clock has not started. During processing the clock pauses from now;
    the answer resumes it (`dossier_submit_supplement`).
    """
    items = _clean_items(items)

    def change(dossier: Dossier) -> dict[str, Any]:
        if dossier.status in (DossierStatus.NEW, DossierStatus.PROCESSING) and not (
            dossier._supplement_allowed()
        ):
            raise TransitionForbidden(
                _(
                    "Hồ sơ đã được yêu cầu bổ sung một lần ở giai đoạn này; theo Nghị định "
                    "61/2018/NĐ-CP chỉ yêu cầu bổ sung một lần."
                )
            )
        dossier.request_supplement(items=items, now=now)
        return {
            "items": items,
            "stage": dossier.supplement_stage,
            "paused_at": (
                now.isoformat() if dossier.supplement_stage == SupplementStage.PROCESSING else None
            ),
        }

    return _perform(
        dossier_id=dossier_id,
        actor=actor,
        action="request_supplement",
        now=now,
        note=note,
        change=change,
    )[0]


def supplement_clock_mode(*, dossier: Dossier) -> str:
    return dossier.procedure.supplement_clock or settings.DOSSIER_SUPPLEMENT_CLOCK_DEFAULT


def dossier_submit_supplement(
    *,
    dossier_id: int,
    actor: User,
    documents: list[UploadedDocument],
    now: datetime,
    note: str = "",
) -> Dossier:
    """The applicant (or the desk for them) answers a supplement request.

    Reception stage: back to NEW for the desk's check. Processing stage: back to PROCESSING and
    the clock resumes: "pause" pushes the due date back by the office time waited, "restart"
    computes a full processing time from now (procedure setting, else the portal default).
    """
    if not documents:
        raise DossierValidationError(_("Cần đính kèm giấy tờ bổ sung."), field="documents")

    def change(dossier: Dossier) -> dict[str, Any]:
        data: dict[str, Any] = {"stage": dossier.supplement_stage}
        due_at = None
        if (
            dossier.status == DossierStatus.SUPPLEMENT_REQUESTED
            and dossier.supplement_stage == SupplementStage.PROCESSING
        ):
            mode = supplement_clock_mode(dossier=dossier)
            data["clock"] = mode
            data["previous_due_at"] = dossier.due_at.isoformat() if dossier.due_at else None
            if mode == SupplementClock.RESTART:
                deadline = deadline_compute(dossier=dossier, start=now)
                due_at = deadline.due_at
                data["deadline"] = deadline_data(deadline)
                dossier.deadline_explanation = "\n".join(deadline.explanation)
                _restart_open_leg(dossier=dossier, due_at=due_at)
            elif dossier.due_at and dossier.paused_at:
                due_at = deadline_extend(
                    dossier=dossier,
                    due_at=dossier.due_at,
                    paused_at=dossier.paused_at,
                    resumed_at=now,
                )
                _extend_open_leg(dossier=dossier, resumed_at=now)
            if due_at:
                data["due_at"] = due_at.isoformat()
        dossier.submit_supplement(due_at=due_at)
        return data

    return _with_documents(
        dossier_id=dossier_id,
        actor=actor,
        action="submit_supplement",
        now=now,
        note=note,
        change=change,
        documents=documents,
        kind=DossierDocument.Kind.SUPPLEMENT,
    )


def _open_leg(dossier: Dossier) -> DossierLeg | None:
    return dossier.legs.filter(finished_at__isnull=True).order_by("-position").first()


def _extend_open_leg(*, dossier: Dossier, resumed_at: datetime) -> None:
    leg = _open_leg(dossier)
    if leg and leg.due_at and dossier.paused_at:
        leg.due_at = deadline_extend(
            dossier=dossier,
            due_at=leg.due_at,
            paused_at=dossier.paused_at,
            resumed_at=resumed_at,
        )
        leg.save(update_fields=["due_at"])


def _restart_open_leg(*, dossier: Dossier, due_at: datetime) -> None:
    """A leg that had the whole processing time gets the restarted one too."""
    leg = _open_leg(dossier)
    if leg and leg.due_at == dossier.due_at:
        leg.due_at = due_at
        leg.save(update_fields=["due_at"])


def _close_open_leg(*, dossier: Dossier, now: datetime) -> DossierLeg | None:
    leg = _open_leg(dossier)
    if leg:
        leg.finished_at = now
        leg.outcome = outcome_for(finished_at=now, due_at=leg.due_at) if leg.due_at else ""
        leg.save(update_fields=["finished_at", "outcome"])
    return leg


def _target(
    *, to_desk: Desk | int | None, to_agency: Agency | int | None
) -> tuple[Desk | None, Agency | None]:
    desk = agency = None
    try:
        if to_agency is not None:
            agency = (
                to_agency if isinstance(to_agency, Agency) else Agency.objects.get(pk=to_agency)
            )
        if to_desk is not None:
            desk = (
                to_desk
                if isinstance(to_desk, Desk)
                else Desk.objects.get(pk=to_desk, is_active=True)
            )
    except (Agency.DoesNotExist, Desk.DoesNotExist, ValueError, TypeError):
        raise DossierValidationError(
            _("Không tìm thấy nơi nhận hồ sơ."), field="to_agency"
        ) from None
    if agency and desk is None:
        desk = Desk.objects.filter(unit_id=agency.unit_id, is_active=True).first()
    return desk, agency


def default_agency(*, dossier: Dossier) -> Agency | None:
    """The agency of the receiving desk's unit in charge of the procedure's sector, if any
    (none: the desk's own staff process it)."""
    return (
        Agency.objects.filter(unit_id=dossier.desk.unit_id, sectors=dossier.procedure.sector_id)
        .order_by("pk")
        .first()
    )


def _open_leg_create(
    *,
    dossier: Dossier,
    actor: User,
    desk: Desk | None,
    agency: Agency | None,
    due_at: datetime | None,
    note: str,
    now: datetime,
    previous: DossierLeg | None,
) -> DossierLeg:
    position = (
        dossier.legs.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return DossierLeg.objects.create(
        dossier=dossier,
        position=position,
        from_desk=previous.to_desk if previous else dossier.desk,
        from_agency=previous.to_agency if previous else None,
        to_desk=desk,
        to_agency=agency,
        sent_by=actor,
        started_at=now,
        due_at=due_at or dossier.due_at,
        note=note,
    )


def _leg_data(leg: DossierLeg, closed: DossierLeg | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "leg": leg.position,
        "to_desk": leg.to_desk_id,
        "to_agency": leg.to_agency_id,
        "leg_due_at": leg.due_at.isoformat() if leg.due_at else None,
    }
    if closed:
        data["closed_leg"] = {"leg": closed.position, "outcome": closed.outcome}
    return data


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
        desk, agency = _target(to_desk=to_desk, to_agency=to_agency)
        if agency is None and desk is None:
            agency = default_agency(dossier=dossier)
            desk, agency = _target(to_desk=None, to_agency=agency)
        desk = desk or dossier.desk
        dossier.start_processing(agency=agency, desk=desk)
        leg = _open_leg_create(
            dossier=dossier,
            actor=actor,
            desk=desk,
            agency=agency,
            due_at=leg_due_at,
            note=note,
            now=now,
            previous=None,
        )
        return _leg_data(leg, None)

    return _perform(
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
        desk, agency = _target(to_desk=to_desk, to_agency=to_agency)
        dossier.hand_off(agency=agency, desk=desk or dossier.current_desk)
        closed = _close_open_leg(dossier=dossier, now=now)
        leg = _open_leg_create(
            dossier=dossier,
            actor=actor,
            desk=desk,
            agency=agency,
            due_at=leg_due_at,
            note=note,
            now=now,
            previous=closed,
        )
        return _leg_data(leg, closed)

    return _perform(
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

    return _perform(
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
    """AWAITING_PAYMENT -> PROCESSING: paid (online when the applicant confirms it)."""

    def change(dossier: Dossier) -> dict[str, Any]:
        online = dossier.applicant_id == actor.pk
        dossier.confirm_payment(online=online, now=now)
        return {"paid_online": online}

    return _perform(
        dossier_id=dossier_id,
        actor=actor,
        action="confirm_payment",
        now=now,
        note=note,
        change=change,
    )[0]


@transaction.atomic
def dossier_request_withdrawal(
    *, dossier_id: int, actor: User, reason: str, now: datetime
) -> Dossier:
    """The applicant asks to withdraw the dossier; the desk then accepts (`dossier_withdraw`)."""
    reason = _required_text(reason, field="reason")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.request_withdrawal(reason=reason)
        return {"reason": reason}

    return _perform(
        dossier_id=dossier_id,
        actor=actor,
        action="request_withdrawal",
        now=now,
        note=reason,
        change=change,
    )[0]


@transaction.atomic
def dossier_withdraw(*, dossier_id: int, actor: User, now: datetime, note: str = "") -> Dossier:
    """WITHDRAWAL_REQUESTED -> WITHDRAWN: the receiving desk accepts the withdrawal."""

    def change(dossier: Dossier) -> None:
        dossier.withdraw(now=now)
        _close_open_leg(dossier=dossier, now=now)

    return _perform(
        dossier_id=dossier_id, actor=actor, action="withdraw", now=now, note=note, change=change
    )[0]


@transaction.atomic
def dossier_stop(*, dossier_id: int, actor: User, reason: str, now: datetime) -> Dossier:
    """Stop processing (e.g. the supplement never came, or the law forbids it), with reasons."""
    reason = _required_text(reason, field="reason")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.stop(reason=reason, now=now)
        _close_open_leg(dossier=dossier, now=now)
        return {"reason": reason}

    return _perform(
        dossier_id=dossier_id, actor=actor, action="stop", now=now, note=reason, change=change
    )[0]


@transaction.atomic
def dossier_apologize(
    *, dossier_id: int, actor: User, reason: str, new_due_at: datetime, now: datetime
) -> Dossier:
    """Apology with a new appointment (Mẫu 04), before the due date only.

    The new date is shown to the applicant; the outcome is still measured against `due_at`.
    """
    reason = _required_text(reason, field="reason")
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

    return _perform(
        dossier_id=dossier_id,
        actor=actor,
        action="apologize",
        now=now,
        note=reason,
        change=change,
    )[0]


def dossier_resolve(
    *,
    dossier_id: int,
    actor: User,
    result: str,
    now: datetime,
    note: str = "",
    result_documents: list[UploadedDocument] | None = None,
) -> Dossier:
    """PROCESSING -> RESOLVED: approved with a result, or refused with reasons.

    Sets finished_at and the outcome against the original appointment (`due_at`): early when
    finished on a day before the appointment's day, on time when by the appointment, else late.
    """
    if result not in DossierResult.values:
        raise DossierValidationError(_("Kết quả giải quyết không hợp lệ."), field="result")
    if result == DossierResult.REFUSED and not note.strip():
        raise DossierValidationError(_("Cần nêu lý do từ chối giải quyết."), field="note")

    def change(dossier: Dossier) -> dict[str, Any]:
        outcome = outcome_for(finished_at=now, due_at=dossier.due_at)
        dossier.resolve(result=result, note=note, now=now, outcome=outcome)
        closed = _close_open_leg(dossier=dossier, now=now)
        data: dict[str, Any] = {"result": result, "outcome": outcome}
        if closed:
            data["closed_leg"] = {"leg": closed.position, "outcome": closed.outcome}
        return data

    return _with_documents(
        dossier_id=dossier_id,
        actor=actor,
        action="resolve",
        now=now,
        note=note,
        change=change,
        documents=list(result_documents or []),
        kind=DossierDocument.Kind.RESULT,
    )


@transaction.atomic
def dossier_return_result(
    *, dossier_id: int, actor: User, now: datetime, note: str = ""
) -> Dossier:
    """RESOLVED -> RETURNED: the receiving desk hands the result to the applicant."""

    def change(dossier: Dossier) -> None:
        dossier.return_result(now=now)

    return _perform(
        dossier_id=dossier_id,
        actor=actor,
        action="return_result",
        now=now,
        note=note,
        change=change,
    )[0]


@transaction.atomic
def dossier_rate(
    *, dossier_id: int, actor: User, level: str, now: datetime, comment: str = ""
) -> SatisfactionRating:
    """The applicant rates a returned dossier, once."""
    if level not in SatisfactionLevel.values:
        raise DossierValidationError(_("Mức độ hài lòng không hợp lệ."), field="level")
    rating: list[SatisfactionRating] = []

    def change(dossier: Dossier) -> dict[str, Any]:
        if dossier.status != DossierStatus.RETURNED:
            raise TransitionNotAllowed()
        if SatisfactionRating.objects.filter(dossier=dossier).exists():
            raise TransitionForbidden(_("Hồ sơ này đã được đánh giá."))
        rating.append(
            SatisfactionRating.objects.create(dossier=dossier, level=level, comment=comment)
        )
        return {"level": level}

    _perform(
        dossier_id=dossier_id, actor=actor, action="rate", now=now, note=comment, change=change
    )
    return rating[0]


def _required_text(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DossierValidationError(_("Cần nêu lý do."), field=field)
    return value
