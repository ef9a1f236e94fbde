"""One entry point for every action by name (the API's actions endpoint and the clerk pages)."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Dossier, SatisfactionRating
from dossiers.services import closing, intake, processing, reception
from dossiers.services.errors import DossierValidationError
from dossiers.workflow import ACTIONS


def _datetime(payload: dict[str, Any], name: str) -> datetime | None:
    value = payload.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, datetime):
        raise DossierValidationError(_("Thời điểm không hợp lệ."), field=name)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _text(payload: dict[str, Any], name: str) -> str:
    return str(payload.get(name) or "").strip()


_DISPATCH: dict[str, Callable[[int, User, dict[str, Any], datetime], Any]] = {
    "submit": lambda i, u, p, n: intake.dossier_submit_draft(
        dossier_id=i, actor=u, now=n, documents=p.get("documents") or []
    ),
    "receive": lambda i, u, p, n: reception.dossier_receive(
        dossier_id=i, actor=u, now=n, note=_text(p, "note")
    ),
    "refuse_reception": lambda i, u, p, n: reception.dossier_refuse_reception(
        dossier_id=i, actor=u, reason=_text(p, "reason") or _text(p, "note"), now=n
    ),
    "request_supplement": lambda i, u, p, n: reception.dossier_request_supplement(
        dossier_id=i, actor=u, items=p.get("items") or [], now=n, note=_text(p, "note")
    ),
    "submit_supplement": lambda i, u, p, n: reception.dossier_submit_supplement(
        dossier_id=i, actor=u, documents=p.get("documents") or [], now=n, note=_text(p, "note")
    ),
    "start_processing": lambda i, u, p, n: processing.dossier_start_processing(
        dossier_id=i,
        actor=u,
        now=n,
        to_agency=p.get("to_agency"),
        to_desk=p.get("to_desk"),
        leg_due_at=_datetime(p, "leg_due_at"),
        note=_text(p, "note"),
    ),
    "hand_off": lambda i, u, p, n: processing.dossier_hand_off(
        dossier_id=i,
        actor=u,
        now=n,
        to_agency=p.get("to_agency"),
        to_desk=p.get("to_desk"),
        leg_due_at=_datetime(p, "leg_due_at"),
        note=_text(p, "note"),
    ),
    "request_payment": lambda i, u, p, n: processing.dossier_request_payment(
        dossier_id=i,
        actor=u,
        fee_amount=p.get("fee_amount") or 0,
        now=n,
        note=_text(p, "note"),
    ),
    "confirm_payment": lambda i, u, p, n: processing.dossier_confirm_payment(
        dossier_id=i, actor=u, now=n, note=_text(p, "note")
    ),
    "request_withdrawal": lambda i, u, p, n: closing.dossier_request_withdrawal(
        dossier_id=i, actor=u, reason=_text(p, "reason") or _text(p, "note"), now=n
    ),
    "withdraw": lambda i, u, p, n: closing.dossier_withdraw(
        dossier_id=i, actor=u, now=n, note=_text(p, "note")
    ),
    "stop": lambda i, u, p, n: processing.dossier_stop(
        dossier_id=i, actor=u, reason=_text(p, "reason") or _text(p, "note"), now=n
    ),
    "apologize": lambda i, u, p, n: processing.dossier_apologize(
        dossier_id=i,
        actor=u,
        reason=_text(p, "reason") or _text(p, "note"),
        new_due_at=_datetime(p, "new_due_at"),
        now=n,
    ),
    "resolve": lambda i, u, p, n: closing.dossier_resolve(
        dossier_id=i,
        actor=u,
        result=_text(p, "result"),
        note=_text(p, "note"),
        now=n,
        result_documents=p.get("result_documents") or p.get("documents") or [],
    ),
    "return_result": lambda i, u, p, n: closing.dossier_return_result(
        dossier_id=i, actor=u, now=n, note=_text(p, "note")
    ),
    "rate": lambda i, u, p, n: closing.dossier_rate(
        dossier_id=i, actor=u, level=_text(p, "level"), comment=_text(p, "comment"), now=n
    ),
}


def dossier_perform_action(
    *, dossier_id: int, actor: User, action: str, payload: dict[str, Any], now: datetime
) -> Dossier:
    """Run the action named in dossiers.workflow.ACTIONS with its input; return the dossier."""
    if action not in ACTIONS:
        raise DossierValidationError(
            _("Thao tác “%(action)s” không tồn tại.") % {"action": action}, field="action"
        )
    result = _DISPATCH[action](dossier_id, actor, payload, now)
    if isinstance(result, SatisfactionRating):
        return Dossier.objects.get(pk=dossier_id)
    return result
