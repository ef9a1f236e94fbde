"""Transitions that close a dossier: withdrawal, resolution, handing back the result, and the
applicant's rating; one service per transition."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from accounts.models import User
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierResult,
    DossierStatus,
    SatisfactionRating,
)
from dossiers.services.clock import outcome_for
from dossiers.services.documents import UploadedDocument
from dossiers.services.errors import DossierValidationError, TransitionForbidden
from dossiers.services.legs import open_leg_close
from dossiers.services.perform import action_perform, required_text, with_documents
from onestop.models import SatisfactionLevel


@transaction.atomic
def dossier_request_withdrawal(
    *, dossier_id: int, actor: User, reason: str, now: datetime
) -> Dossier:
    """The applicant asks to withdraw the dossier; the desk then accepts (`dossier_withdraw`)."""
    reason = required_text(reason, field="reason")

    def change(dossier: Dossier) -> dict[str, Any]:
        dossier.request_withdrawal(reason=reason)
        return {"reason": reason}

    return action_perform(
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
        open_leg_close(dossier=dossier, now=now)

    return action_perform(
        dossier_id=dossier_id, actor=actor, action="withdraw", now=now, note=note, change=change
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
        closed = open_leg_close(dossier=dossier, now=now)
        data: dict[str, Any] = {"result": result, "outcome": outcome}
        if closed:
            data["closed_leg"] = {"leg": closed.position, "outcome": closed.outcome}
        return data

    return with_documents(
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

    return action_perform(
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

    action_perform(
        dossier_id=dossier_id, actor=actor, action="rate", now=now, note=comment, change=change
    )
    return rating[0]
