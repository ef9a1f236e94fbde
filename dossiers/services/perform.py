"""The steps every dossier transition runs through: lock, check, change, save, event.

Each transition service (reception, processing, closing) calls `action_perform` inside its
transaction: it locks the row, checks who acts (dossiers.workflow scopes), applies the
transition, saves, writes a DossierEvent and its side effects (outbox rows, delivered after
commit: see `dossiers.side_effects`).
"""

import copy
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from accounts.models import User
from dossiers import side_effects
from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStatus
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
from procedures.compiled import CompiledQuery, update_row
from procedures.models import PROCEDURE_LONG_FIELDS

Change = Callable[[Dossier], dict[str, Any] | None]


def schedule_side_effects(*, dossier: Dossier, event: DossierEvent) -> None:
    """Write the event's side effects to the outbox, in the caller's transaction."""
    side_effects.dossier_event_publish(dossier=dossier, event=event)


def forbidden_message(*, action: str, status: str) -> str:
    return _("Hồ sơ đang ở trạng thái “%(status)s”, không thể thực hiện “%(action)s”.") % {
        "status": DossierStatus(status).label,
        "action": ACTIONS[action].label,
    }


# The row an action locks, with what actions read of its desk, procedure (not the catalog's long
# texts) and applicant: compiled once (procedures.compiled), run inside the action's transaction.
_LOCKED_DOSSIER = CompiledQuery(
    lambda shape, dossier_id: (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("desk", "procedure", "applicant")
        .defer(*(f"procedure__{name}" for name in PROCEDURE_LONG_FIELDS))
        .filter(pk=dossier_id)
    ),
    ints=("dossier_id",),
)


def dossier_lock(*, dossier_id: int, actor: User, action: str) -> Dossier:
    """Lock the row; 404 when unknown or invisible to `actor`, 403 when they may not act."""
    found = _LOCKED_DOSSIER.instances(dossier_id=dossier_id)
    if not found:
        raise DossierNotFound()
    dossier = found[0]
    if actor_scopes(user=actor, dossier=dossier) & ACTIONS[action].scopes:
        return dossier  # every scope implies visibility: no need to ask the database
    if not dossier_visible_to(user=actor, dossier=dossier):
        raise DossierNotFound()
    raise DossierPermissionDenied(permission_message())


@cache
def _columns() -> tuple[Field, ...]:
    """Every column an action may change: all but the key and `updated_at`."""
    return tuple(
        field
        for field in Dossier._meta.concrete_fields
        if not field.primary_key and field.name != "updated_at"
    )


def _column_values(dossier: Dossier) -> list[Any]:
    # JSON values are copied: a change may edit them in place.
    values = (getattr(dossier, field.attname) for field in _columns())
    return [copy.deepcopy(v) if isinstance(v, dict | list) else v for v in values]


def _save_changes(dossier: Dossier, before: list[Any]) -> None:
    """Write the columns that differ from `before`, and `updated_at`, in one UPDATE: the two or
    three columns a transition changes, not all forty, written out (procedures.compiled). The
    row is locked: nothing else changed it since it was read."""
    dossier.updated_at = timezone.now()
    changed = {
        field.name: getattr(dossier, field.attname)
        for field, old in zip(_columns(), before, strict=True)
        if getattr(dossier, field.attname) != old
    }
    update_row(Dossier, dossier.pk, {**changed, "updated_at": dossier.updated_at})


def action_perform(
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
    before = _column_values(dossier)
    try:
        data = change(dossier) or {}
    except TransitionNotAllowed:
        raise TransitionForbidden(forbidden_message(action=action, status=old)) from None
    _save_changes(dossier, before)
    event = event_record(
        dossier=dossier,
        action=action,
        actor=actor,
        from_status=old,
        now=now,
        note=note,
        data=data,
    )
    schedule_side_effects(dossier=dossier, event=event)
    return dossier, event


def with_documents(
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

        dossier, event = action_perform(
            dossier_id=dossier_id,
            actor=actor,
            action=action,
            now=now,
            note=note,
            change=change_and_store,
        )
        DossierDocument.objects.filter(pk__in=event.data.get("documents", [])).update(event=event)
    return dossier


def required_text(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DossierValidationError(_("Cần nêu lý do."), field=field)
    return value
