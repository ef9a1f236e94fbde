"""Reads about users: which units and desks a signed-in person may see.

Scope rules:
- administrators (role admin, or superusers) see every unit;
- a leader sees the unit they are assigned to and everything under it;
- desk staff (clerk, desk head) see the unit of their desk; a specialist sees the unit of their
  agency (or of their desk);
- citizens and businesses see no unit's internal data.
"""

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.validators import normalize_phone
from onestop.models import AdministrativeUnit, Desk
from onestop.selectors import unit_subtree

DESK_ROLES = {Role.CLERK, Role.DESK_HEAD, Role.SPECIALIST}


def user_is_admin(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def user_visible_units(user: User) -> QuerySet[AdministrativeUnit]:
    """Units whose dossiers and figures the user may see (see the module docstring)."""
    if not user.is_authenticated:
        return AdministrativeUnit.objects.none()
    if user_is_admin(user):
        return AdministrativeUnit.objects.all()
    if user.role == Role.LEADER:
        return unit_subtree(user.unit) if user.unit_id else AdministrativeUnit.objects.none()
    if user.role in DESK_ROLES:
        unit_ids = set()
        if user.desk_id:
            unit_ids.add(user.desk.unit_id)
        if user.role == Role.SPECIALIST and user.agency_id:
            unit_ids.add(user.agency.unit_id)
        return AdministrativeUnit.objects.filter(pk__in=unit_ids)
    return AdministrativeUnit.objects.none()


def user_can_see_unit(user: User, unit: AdministrativeUnit) -> bool:
    return user_visible_units(user).filter(pk=unit.pk).exists()


def user_visible_desks(user: User) -> QuerySet[Desk]:
    """Desks of the units the user may see."""
    return Desk.objects.filter(unit__in=user_visible_units(user)).select_related("unit")


def user_identifier_match(identifier: str) -> Q:
    """Accounts an identifier names: username or email (any case), CCCD, phone in any spelling."""
    identifier = (identifier or "").strip()
    match = Q(username__iexact=identifier) | Q(email__iexact=identifier) | Q(cccd=identifier)
    phone = normalize_phone(identifier)
    if phone.isdigit() and phone.isascii():
        match |= Q(phone=phone)
    return match


def user_get_by_identifier(identifier: str) -> User | None:
    """The one account the identifier names; None when it names none or two."""
    if not (identifier or "").strip():
        return None
    candidates = list(User.objects.filter(user_identifier_match(identifier))[:2])
    return candidates[0] if len(candidates) == 1 else None
