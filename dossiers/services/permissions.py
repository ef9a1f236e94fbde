"""Who sees which dossier, and in which capacity (scope) a user may act on it."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from accounts.models import Role, User
from dossiers.models import Dossier, DossierLeg, DossierStatus
from dossiers.workflow import AGENCY, APPLICANT, CURRENT_DESK, RECEIVING_DESK

DESK_ROLES = {Role.CLERK, Role.DESK_HEAD}
# A desk head may also lead a small agency (commune civil servants): both scopes apply.
AGENCY_ROLES = {Role.SPECIALIST, Role.DESK_HEAD}


def dossier_visible_q(*, user: User) -> Q | None:
    """A Q of the dossiers `user` may read, or None when there are none.

    Citizens: their own. Clerks and desk heads: received at, held by, or handed to their desk.
    Specialists (and desk heads with an agency): handled by or handed to their agency.
    Leaders: received or held within their unit's subtree. Administrators: all but drafts.
    Anyone also sees the dossiers they applied for themselves.
    """
    if not user.is_authenticated:
        return None
    if user.role == Role.ADMIN or user.is_superuser:
        return ~Q(status=DossierStatus.DRAFT) | Q(applicant_id=user.pk)
    staff = Q(pk__in=[])
    if user.role in DESK_ROLES and user.desk_id:
        handed = DossierLeg.objects.filter(dossier=OuterRef("pk"), to_desk_id=user.desk_id)
        staff |= Q(desk_id=user.desk_id) | Q(current_desk_id=user.desk_id) | Exists(handed)
    if user.role in AGENCY_ROLES and user.agency_id:
        handed = DossierLeg.objects.filter(dossier=OuterRef("pk"), to_agency_id=user.agency_id)
        staff |= Q(handling_agency_id=user.agency_id) | Exists(handed)
    if user.role == Role.LEADER and user.unit_id:
        staff |= user.unit.subtree_q("desk__unit__") | user.unit.subtree_q("current_desk__unit__")
    # Drafts belong to their applicant only.
    return Q(applicant_id=user.pk) | (staff & ~Q(status=DossierStatus.DRAFT))


def dossier_visible_to(*, user: User, dossier: Dossier) -> bool:
    q = dossier_visible_q(user=user)
    if q is None:
        return False
    return Dossier.objects.filter(q, pk=dossier.pk).exists()


def actor_scopes(*, user: User, dossier: Dossier) -> set[str]:
    """The capacities in which `user` may act on `dossier`, whatever its state."""
    scopes: set[str] = set()
    if not user.is_authenticated:
        return scopes
    if dossier.applicant_id and dossier.applicant_id == user.pk:
        scopes.add(APPLICANT)
    if user.role == Role.ADMIN or user.is_superuser:
        return scopes | {RECEIVING_DESK, CURRENT_DESK, AGENCY}
    if user.role in DESK_ROLES and user.desk_id:
        if user.desk_id == dossier.desk_id:
            scopes.add(RECEIVING_DESK)
        if user.desk_id == (dossier.current_desk_id or dossier.desk_id):
            scopes.add(CURRENT_DESK)
    if (
        user.role in AGENCY_ROLES
        and user.agency_id
        and user.agency_id == dossier.handling_agency_id
    ):
        scopes.add(AGENCY)
    return scopes


def permission_message() -> str:
    return _("Bạn không có quyền thực hiện thao tác này đối với hồ sơ.")
