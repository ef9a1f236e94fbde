"""Transitions at reception: receive, refuse, and supplements (asked at reception or during
processing, Decree 61/2018), one service per transition."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from accounts.models import User
from dossiers.models import Dossier, DossierDocument, DossierStatus, SupplementStage
from dossiers.services.clock import deadline_compute, deadline_data, deadline_extend
from dossiers.services.documents import UploadedDocument
from dossiers.services.errors import DossierValidationError, TransitionForbidden
from dossiers.services.legs import open_leg_extend, open_leg_restart
from dossiers.services.perform import action_perform, required_text, with_documents
from procedures.models import SupplementClock


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

    return action_perform(
        dossier_id=dossier_id, actor=actor, action="receive", now=now, note=note, change=change
    )[0]


@transaction.atomic
def dossier_refuse_reception(
    *, dossier_id: int, actor: User, reason: str, now: datetime
) -> Dossier:
    """NEW -> NOT_ACCEPTED with the reasons (Mẫu 03)."""
    reason = required_text(reason, field="reason")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.refuse_reception(reason=reason, now=now)
        return {"reason": reason}

    return action_perform(
        dossier_id=dossier_id,
        actor=actor,
        action="refuse_reception",
        now=now,
        note=reason,
        change=change,
    )[0]


def _clean_items(items: list[dict]) -> list[dict[str, str]]:
    cleaned = []
    if items is not None and (
        not isinstance(items, list | tuple) or not all(isinstance(i, dict | None) for i in items)
    ):
        raise DossierValidationError(
            _("Danh sách giấy tờ cần bổ sung không hợp lệ."), field="items"
        )
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

    return action_perform(
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
                open_leg_restart(dossier=dossier, due_at=due_at)
            elif dossier.due_at and dossier.paused_at:
                due_at = deadline_extend(
                    dossier=dossier,
                    due_at=dossier.due_at,
                    paused_at=dossier.paused_at,
                    resumed_at=now,
                )
                open_leg_extend(dossier=dossier, resumed_at=now)
            if due_at:
                data["due_at"] = due_at.isoformat()
        dossier.submit_supplement(due_at=due_at)
        return data

    return with_documents(
        dossier_id=dossier_id,
        actor=actor,
        action="submit_supplement",
        now=now,
        note=note,
        change=change,
        documents=documents,
        kind=DossierDocument.Kind.SUPPLEMENT,
    )
