"""Reads of administrative units and their one-stop desks."""

from django.db.models import Q, QuerySet

from onestop.models import AdministrativeUnit, Desk


def unit_subtree(unit: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The unit and every unit under it (by GSO code path), in path order."""
    return AdministrativeUnit.objects.filter(unit.subtree_q())


def unit_get(code: str) -> AdministrativeUnit:
    """One unit by its GSO code; raises AdministrativeUnit.DoesNotExist."""
    return AdministrativeUnit.objects.select_related("parent").get(code=code)


def unit_list(
    *, level: str | None = None, parent_code: str | None = None, query: str | None = None
) -> QuerySet[AdministrativeUnit]:
    """Units filtered by level, direct parent code and a name/code search, in path order."""
    units = AdministrativeUnit.objects.select_related("parent")
    if level:
        units = units.filter(level=level)
    if parent_code:
        units = units.filter(parent__code=parent_code)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(code=query.strip()))
    return units.order_by("path")


def desk_list(
    *, level: str | None = None, unit_code: str | None = None, parent_code: str | None = None
) -> QuerySet[Desk]:
    """Active and inactive desks, filtered by their unit's level, own code or parent's code."""
    desks = Desk.objects.select_related("unit", "unit__parent").prefetch_related("counters")
    if level:
        desks = desks.filter(unit__level=level)
    if unit_code:
        desks = desks.filter(unit__code=unit_code)
    if parent_code:
        desks = desks.filter(unit__parent__code=parent_code)
    return desks.order_by("unit__path")


def desk_get(desk_id: int) -> Desk:
    """One desk with its unit and counters; raises Desk.DoesNotExist."""
    return (
        Desk.objects.select_related("unit", "unit__parent")
        .prefetch_related("counters")
        .get(pk=desk_id)
    )


def desk_count() -> int:
    return Desk.objects.filter(is_active=True).count()


def unit_ancestor_at(unit: AdministrativeUnit | None, level: str) -> AdministrativeUnit | None:
    """`unit` or the unit above it at `level` (a commune's district, province...), else None."""
    while unit is not None and unit.level != level:
        unit = unit.parent
    return unit


def desk_default_for(
    *, desks: QuerySet[Desk], residence: AdministrativeUnit | None, level: str | None
) -> Desk | None:
    """The desk a resident of `residence` uses for a procedure of `level`, among `desks`.

    A commune procedure goes to the desk of the commune itself, a district one to the desk of
    its district, a province one to the province centre. Unknown residence: the only desk if
    there is exactly one, else none (the applicant chooses).
    """
    if residence is not None:
        if not level:
            unit = residence
            while unit is not None:
                desk = desks.filter(unit=unit).first()
                if desk is not None:
                    return desk
                unit = unit.parent
        else:
            home = unit_ancestor_at(residence, level)
            if home is not None:
                desk = desks.filter(unit=home).first()
                if desk is not None:
                    return desk
    only = list(desks[:2])
    return only[0] if len(only) == 1 else None
