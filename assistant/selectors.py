"""Reads the assistant needs from the layers below: dossier counts, desks, one procedure."""

import time

from django.db.models import Count

from dossiers.models import Dossier
from onestop.models import Desk
from procedures.models import ProcedureLevel

POPULARITY_TTL_SECONDS = 600
_popularity: tuple[float, dict[int, int]] = (0.0, {})


def procedure_popularity() -> dict[int, int]:
    """{procedure id: dossiers}, refreshed every 10 minutes (one grouped count)."""
    global _popularity
    now = time.monotonic()
    if now - _popularity[0] > POPULARITY_TTL_SECONDS:
        counts = dict(
            Dossier.objects.order_by()
            .values_list("procedure_id")
            .annotate(n=Count("id"))
            .values_list("procedure_id", "n")
        )
        _popularity = (now, counts)
    return _popularity[1]


def desk_for_level(*, level: str) -> Desk | None:
    """The desk whose hours and phone stand for a level: the province's centre, else the first
    active desk of that level (communes and districts keep the same hours by default)."""
    return (
        Desk.objects.select_related("unit")
        .filter(is_active=True, unit__level=level or ProcedureLevel.PROVINCE)
        .order_by("unit__code")
        .first()
    )


def help_desk() -> Desk | None:
    """The province's public administration service centre: its phone is the help line."""
    return desk_for_level(level=ProcedureLevel.PROVINCE)
