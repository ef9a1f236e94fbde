"""The audit trail: one function writes every DossierEvent (append-only)."""

from datetime import datetime
from typing import Any

from accounts.models import User
from dossiers.models import Dossier, DossierEvent


def event_record(
    *,
    dossier: Dossier,
    action: str,
    actor: User | None,
    from_status: str,
    now: datetime,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Write the event of one action: the desk is the actor's, else where the dossier is."""
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        actor=actor,
        actor_role=actor.role if actor else "",
        desk_id=(actor.desk_id if actor and actor.desk_id else dossier.current_desk_id)
        or dossier.desk_id,
        agency_id=actor.agency_id if actor else None,
        from_status=from_status,
        to_status=dossier.status,
        at=now,
        note=note,
        data=data or {},
    )
