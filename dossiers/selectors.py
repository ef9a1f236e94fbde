"""Reads of the dossier engine: scoped lists, one dossier, allowed actions, public lookup."""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_fsm import can_proceed

from accounts.models import Role, User
from dossiers.models import (
    PENDING_STATUSES,
    Dossier,
    DossierEvent,
    DossierStatus,
    dossier_status_label,
)
from dossiers.services.permissions import actor_scopes, dossier_visible_q
from dossiers.workflow import ACTIONS, ActionSpec
from onestop.models import Desk, UnitLevel
from procedures.compiled import CompiledQuery
from procedures.models import PROCEDURE_LONG_FIELDS, Procedure

LIST_RELATED = ("procedure", "desk", "current_desk", "handling_agency")


def dossier_list_for_user(*, user: User) -> QuerySet[Dossier]:
    """The dossiers `user` may see (see dossiers.services.permissions for the rules)."""
    q = dossier_visible_q(user=user)
    if q is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(q).select_related(*LIST_RELATED)


# Viewers whose visibility rule (dossiers.services.permissions.dossier_visible_q) depends on
# their role, id, desk and agency alone (a leader's also on the path of their unit: not these):
# their scoped reads compile once per shape (procedures.compiled) and run with their values.
COMPILED_VIEWER_ROLES = frozenset(
    {Role.CITIZEN, Role.BUSINESS, Role.CLERK, Role.DESK_HEAD, Role.SPECIALIST, Role.ADMIN}
)


def viewer_shape(user: User) -> tuple | None:
    """What a compiled scoped read depends on besides the viewer's values; None when the
    viewer's rule cannot be compiled (build the queryset each time)."""
    if user.role in COMPILED_VIEWER_ROLES or user.is_superuser:
        return (user.role, user.is_superuser, bool(user.desk_id), bool(user.agency_id))
    return None


def viewer_values(user: User) -> dict[str, int | None]:
    return {"user_id": user.pk, "desk_id": user.desk_id, "agency_id": user.agency_id}


def dossier_list_for_shape(
    shape: tuple, *, user_id: int, desk_id: int | None, agency_id: int | None
) -> QuerySet[Dossier]:
    """dossier_list_for_user for a viewer given by shape and values (see viewer_shape)."""
    role, is_superuser, has_desk, has_agency = shape
    viewer = User(
        pk=user_id,
        role=role,
        is_superuser=is_superuser,
        desk_id=desk_id if has_desk else None,
        agency_id=agency_id if has_agency else None,
    )
    return dossier_list_for_user(user=viewer)


VISIBLE_ID = CompiledQuery(
    lambda shape, code, **viewer: (
        dossier_list_for_shape(shape, **viewer).filter(code=code).values("pk")[:1]
    ),
    ints=("user_id", "desk_id", "agency_id"),
    texts=("code",),
)


def dossier_visible_id(*, user: User, code: str) -> int | None:
    """The id of dossier `code` when `user` may see it (one compiled query for most viewers)."""
    shape = viewer_shape(user)
    if shape is None:
        return (
            dossier_list_for_user(user=user).filter(code=code).values_list("pk", flat=True).first()
        )
    found = VISIBLE_ID.rows(shape, code=code, **viewer_values(user))
    return found[0]["pk"] if found else None


def dossier_list_filtered(
    *,
    user: User,
    now: datetime,
    status: str | None = None,
    desk_id: int | None = None,
    procedure_code: str | None = None,
    overdue: bool | None = None,
    due_before: datetime | None = None,
) -> QuerySet[Dossier]:
    """The scoped list with the API's filters; `overdue` = pending and past the appointment."""
    dossiers = dossier_list_for_user(user=user)
    if status:
        dossiers = dossiers.filter(status=status)
    if desk_id:
        dossiers = dossiers.filter(Q(desk_id=desk_id) | Q(current_desk_id=desk_id))
    if procedure_code:
        dossiers = dossiers.filter(procedure__code=procedure_code)
    if overdue is not None:
        late = Q(status__in=PENDING_STATUSES, due_at__lt=now)
        dossiers = dossiers.filter(late if overdue else ~late)
    if due_before:
        dossiers = dossiers.filter(due_at__lt=due_before)
    return dossiers


def dossier_get_for_user(*, user: User, code: str) -> Dossier | None:
    """One dossier by code, or None when unknown or not visible to `user` (same answer)."""
    return dossier_list_for_user(user=user).filter(code=code).first()


def dossier_list_overdue(*, now: datetime) -> QuerySet[Dossier]:
    """Pending dossiers past their appointment ("overdue in progress")."""
    return Dossier.objects.filter(status__in=PENDING_STATUSES, due_at__lt=now)


def dossier_timeline(*, dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "desk", "agency").order_by("at", "id")


def dossier_allowed_actions(*, dossier: Dossier, user: User) -> list[ActionSpec]:
    """The actions `user` may perform now, in table order: what pages show as buttons."""
    scopes = actor_scopes(user=user, dossier=dossier)
    allowed = []
    for spec in ACTIONS.values():
        if not scopes & spec.scopes:
            continue
        if spec.method is None:
            ok = dossier.status == DossierStatus.RETURNED and not dossier_has_rating(dossier)
        else:
            ok = can_proceed(getattr(dossier, spec.method))
        if ok:
            allowed.append(spec)
    return allowed


def dossier_has_rating(dossier: Dossier) -> bool:
    try:
        return dossier.rating is not None
    except Dossier.rating.RelatedObjectDoesNotExist:
        return False


# What a submission reads of its procedure and desk, by the request's values, compiled once.
_PROCEDURE_BY_CODE = CompiledQuery(
    lambda shape, code: Procedure.objects.defer(*PROCEDURE_LONG_FIELDS).filter(code=code)[:1],
    texts=("code",),
)
_DESK_WITH_UNIT = CompiledQuery(
    lambda shape, desk_id: Desk.objects.select_related("unit").filter(pk=desk_id)[:1],
    ints=("desk_id",),
)


def procedure_for_intake(*, code: str) -> Procedure | None:
    """The procedure a dossier is submitted for, without the catalog's long texts."""
    found = _PROCEDURE_BY_CODE.instances(code=code)
    return found[0] if found else None


def desk_for_intake(*, desk_id: int) -> Desk | None:
    found = _DESK_WITH_UNIT.instances(desk_id=desk_id)
    return found[0] if found else None


def procedure_default_desk(*, procedure: Procedure) -> Desk | None:
    """The desk that receives a procedure when there is only one (province-level procedures)."""
    if procedure.level != UnitLevel.PROVINCE:
        return None
    desks = list(Desk.objects.filter(unit__level=UnitLevel.PROVINCE, is_active=True)[:2])
    return desks[0] if len(desks) == 1 else None


LOOKUP_FIELDS = (
    "code",
    "status",
    "applicant_phone",
    "applicant_cccd",
    "submitted_at",
    "received_at",
    "due_at",
    "rescheduled_due_at",
    "finished_at",
    "returned_at",
    "result",
    "outcome",
    "procedure__code",
    "procedure__name",
    "desk__name",
)


# The public lookup in one read, compiled once (procedures.compiled): the dossier with only the
# columns the answer needs (its row, the procedure's and the desk's are wide) joined to its
# events, one row per event (a single row of empty event columns when it has none).
LOOKUP_EVENT_FIELDS = ("events__id", "events__at", "events__action", "events__to_status")
PUBLIC_LOOKUP = CompiledQuery(
    lambda shape, code: (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .filter(code=code)
        .values("pk", *LOOKUP_FIELDS, *LOOKUP_EVENT_FIELDS, "events__desk__name")
        .order_by("pk", "events__at", "events__id")
    ),
    texts=("code",),
)


def _verifier_matches(dossier: Dossier, verifier: str) -> bool:
    verifier = (verifier or "").strip()
    if len(verifier) != 4 or not (verifier.isdigit() and verifier.isascii()):
        return False
    return any(
        value and value[-4:] == verifier
        for value in (dossier.applicant_phone, dossier.applicant_cccd)
    )


def dossier_public_lookup(*, code: str, verifier: str) -> dict[str, Any] | None:
    """Public progress: status, procedure, appointment, timeline, with no personal data.

    `verifier` is the last 4 digits of the applicant's phone or CCCD; a wrong one returns None,
    exactly like an unknown code.
    """
    rows = PUBLIC_LOOKUP.rows(code=(code or "").strip())
    rows = [row for row in rows if row["pk"] == rows[0]["pk"]]  # the code is unique
    if not rows:
        return None
    first = rows[0]
    # The model's own properties (appointment, national status number) from these columns.
    dossier = Dossier(**{name: first[name] for name in LOOKUP_FIELDS if "__" not in name})
    if not _verifier_matches(dossier, verifier):
        return None
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": dossier_status_label(dossier.status),
        "national_status_number": dossier.national_status_number,
        "procedure_code": first["procedure__code"],
        "procedure_name": first["procedure__name"],
        "desk_name": first["desk__name"],
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "appointment_at": dossier.appointment_at,
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "result": dossier.result,
        "outcome": dossier.outcome,
        "timeline": [
            {
                "at": timezone.localtime(event["events__at"]),
                "action": event["events__action"],
                "action_label": str(ACTIONS[event["events__action"]].label)
                if event["events__action"] in ACTIONS
                else event["events__action"],
                "to_status": event["events__to_status"],
                "to_status_label": str(DossierStatus(event["events__to_status"]).label)
                if event["events__to_status"] in DossierStatus.values
                else "",
                "desk": event["events__desk__name"] or "",
            }
            for event in rows
            if event["events__id"] is not None
        ],
    }
