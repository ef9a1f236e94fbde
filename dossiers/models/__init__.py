"""Dossiers and what surrounds them. Each concern has its own module; import from `dossiers.models`."""
from dossiers.models.calendar import CalendarDay, CalendarDayKind
from dossiers.models.dossier import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierOutcome,
    DossierResult,
    DossierStatus,
    SatisfactionLevel,
    SatisfactionRating,
)

__all__ = [
    "CalendarDay",
    "CalendarDayKind",
    "Dossier",
    "DossierDocument",
    "DossierEvent",
    "DossierOutcome",
    "DossierResult",
    "DossierStatus",
    "SatisfactionLevel",
    "SatisfactionRating",
]
