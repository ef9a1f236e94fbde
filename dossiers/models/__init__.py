"""Dossiers and what surrounds them, one module per concern; import from `dossiers.models`."""

from dossiers.models.calendar import CalendarDay, CalendarDayKind
from dossiers.models.dossier import (
    OPEN_STATUSES,
    PENDING_STATUSES,
    WITHDRAWABLE_STATUSES,
    AuditChainHead,
    DailySequence,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierLeg,
    DossierOutcome,
    DossierResult,
    DossierStatus,
    SatisfactionRating,
    SupplementStage,
    dossier_status_label,
)

__all__ = [
    "OPEN_STATUSES",
    "PENDING_STATUSES",
    "WITHDRAWABLE_STATUSES",
    "AuditChainHead",
    "DailySequence",
    "DossierLeg",
    "SupplementStage",
    "CalendarDay",
    "CalendarDayKind",
    "Dossier",
    "DossierDocument",
    "DossierEvent",
    "DossierOutcome",
    "DossierResult",
    "DossierStatus",
    "SatisfactionRating",
    "dossier_status_label",
]
