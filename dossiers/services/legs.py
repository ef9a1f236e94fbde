"""Legs of a dossier (liên thông): which desk or agency holds it, and each leg's due date."""

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from dossiers.models import Dossier, DossierLeg
from dossiers.services.clock import deadline_extend, outcome_for
from dossiers.services.errors import DossierValidationError
from onestop.models import Agency, Desk


def _open_leg(dossier: Dossier) -> DossierLeg | None:
    return dossier.legs.filter(finished_at__isnull=True).order_by("-position").first()


def open_leg_extend(*, dossier: Dossier, resumed_at: datetime) -> None:
    leg = _open_leg(dossier)
    if leg and leg.due_at and dossier.paused_at:
        leg.due_at = deadline_extend(
            dossier=dossier,
            due_at=leg.due_at,
            paused_at=dossier.paused_at,
            resumed_at=resumed_at,
        )
        leg.save(update_fields=["due_at"])


def open_leg_restart(*, dossier: Dossier, due_at: datetime) -> None:
    """A leg that had the whole processing time gets the restarted one too."""
    leg = _open_leg(dossier)
    if leg and leg.due_at == dossier.due_at:
        leg.due_at = due_at
        leg.save(update_fields=["due_at"])


def open_leg_close(*, dossier: Dossier, now: datetime) -> DossierLeg | None:
    leg = _open_leg(dossier)
    if leg:
        leg.finished_at = now
        leg.outcome = outcome_for(finished_at=now, due_at=leg.due_at) if leg.due_at else ""
        leg.save(update_fields=["finished_at", "outcome"])
    return leg


def leg_target(
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


def agency_for_sector(*, unit_id: int, sector_id: int | None) -> Agency | None:
    """The agency of a unit in charge of a sector, if any (the first by id when several)."""
    if sector_id is None:
        return None
    return Agency.objects.filter(unit_id=unit_id, sectors=sector_id).order_by("pk").first()


def default_agency(*, dossier: Dossier) -> Agency | None:
    """The agency of the receiving desk's unit in charge of the procedure's sector, if any
    (none: the desk's own staff process it)."""
    return agency_for_sector(unit_id=dossier.desk.unit_id, sector_id=dossier.procedure.sector_id)


def open_leg_create(
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


def leg_data(leg: DossierLeg, closed: DossierLeg | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "leg": leg.position,
        "to_desk": leg.to_desk_id,
        "to_agency": leg.to_agency_id,
        "leg_due_at": leg.due_at.isoformat() if leg.due_at else None,
    }
    if closed:
        data["closed_leg"] = {"leg": closed.position, "outcome": closed.outcome}
    return data
