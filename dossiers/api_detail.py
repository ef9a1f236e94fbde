"""The dossier detail answer of the API, built as plain dicts.

DRF's nested ModelSerializers (DossierDetailOutput in dossiers.api, kept for the OpenAPI schema)
rebuilt their fields on every request and took about a third of the clerk's detail request;
this builds the same JSON directly. tests/dossiers/test_api_detail.py holds the two equal.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import JSONField, QuerySet, TextField
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from dossiers import selectors
from dossiers.models import (
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierLeg,
    dossier_status_label,
)
from dossiers.views.files import dossier_file_key
from procedures.compiled import CompiledQuery
from procedures.models import Procedure


def _only_the_name(*relations: str) -> list[str]:
    """The related rows read for their name alone: every other column of theirs deferred."""
    return [
        f"{relation}__{field.name}"
        for relation in relations
        for field in _related_model(relation)._meta.concrete_fields
        if field.name not in ("id", "name")
    ]


def _related_model(relation: str):
    return Dossier._meta.get_field(relation).related_model


# The catalog's long texts (steps, conditions, legal basis...) are not part of a dossier's
# answer: leaving them out of the join keeps the row small and skips their JSON decoding.
PROCEDURE_FIELDS_NOT_SHOWN = tuple(
    field.name
    for field in Procedure._meta.concrete_fields
    if isinstance(field, TextField | JSONField) and field.name != "name"
)
LEG_FIELDS = (
    *(f.name for f in DossierLeg._meta.concrete_fields),
    *(f"{side}__name" for side in ("from_desk", "to_desk", "from_agency", "to_agency")),
)
EVENT_FIELDS = (
    *(f.name for f in DossierEvent._meta.concrete_fields if f.name not in ("prev_hash", "hash")),
    "actor__full_name",
    "actor__username",
    "desk__name",
    "agency__name",
)


def dossier_detail_queryset(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What the detail answer reads of the dossier row, on top of a visibility-scoped queryset
    (dossier_detail_data reads its documents, legs and events)."""
    return queryset.defer(
        *(f"procedure__{name}" for name in PROCEDURE_FIELDS_NOT_SHOWN),
        *_only_the_name("desk", "current_desk", "handling_agency"),
    )


# The detail's reads, compiled once per shape (procedures.compiled): Django's compilation of
# these querysets was most of the request's CPU. Within one dossier, the models' own ordering.
DOCUMENTS = CompiledQuery(
    lambda shape, dossier_id: DossierDocument.objects.filter(dossier_id=dossier_id).order_by("id"),
    ints=("dossier_id",),
)
LEGS = CompiledQuery(
    lambda shape, dossier_id: (
        DossierLeg.objects.select_related("from_desk", "to_desk", "from_agency", "to_agency")
        .only(*LEG_FIELDS)
        .filter(dossier_id=dossier_id)
        .order_by("position")
    ),
    ints=("dossier_id",),
)
# selectors.dossier_timeline with only what the answer shows of the actor, desk, agency.
TIMELINE = CompiledQuery(
    lambda shape, dossier_id: (
        DossierEvent.objects.select_related("actor", "desk", "agency")
        .only(*EVENT_FIELDS)
        .filter(dossier_id=dossier_id)
        .order_by("at", "id")
    ),
    ints=("dossier_id",),
)

# Viewers whose visibility rule (dossiers.services.permissions.dossier_visible_q) depends on
# their role, id, desk and agency alone (a leader's also on the path of their unit: not these).
COMPILED_VIEWER_ROLES = frozenset(
    {Role.CITIZEN, Role.BUSINESS, Role.CLERK, Role.DESK_HEAD, Role.SPECIALIST, Role.ADMIN}
)


def _visible_detail(shape, code, user_id, desk_id, agency_id) -> QuerySet[Dossier]:
    role, is_superuser, has_desk, has_agency = shape
    viewer = User(
        pk=user_id,
        role=role,
        is_superuser=is_superuser,
        desk_id=desk_id if has_desk else None,
        agency_id=agency_id if has_agency else None,
    )
    visible = selectors.dossier_list_for_user(user=viewer).filter(code=code)
    return dossier_detail_queryset(visible)[:1]


VISIBLE_DETAIL = CompiledQuery(
    _visible_detail, ints=("user_id", "desk_id", "agency_id"), texts=("code",)
)


def dossier_detail_for_user(*, user: User, code: str) -> Dossier | None:
    """The dossier `code` as the detail answer reads it, or None when unknown or not visible
    to `user`: selectors.dossier_list_for_user's rule, in the same query."""
    if not user.is_authenticated:
        return None
    if user.role in COMPILED_VIEWER_ROLES or user.is_superuser:
        shape = (user.role, user.is_superuser, bool(user.desk_id), bool(user.agency_id))
        found = VISIBLE_DETAIL.instances(
            shape, code=code, user_id=user.pk, desk_id=user.desk_id, agency_id=user.agency_id
        )
        return found[0] if found else None
    visible = selectors.dossier_list_for_user(user=user).filter(code=code)
    return dossier_detail_queryset(visible).first()


def api_moment(value: datetime | None) -> str | None:
    """DRF's DateTimeField output: ISO 8601 in the current time zone."""
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal(1)))


def _name(related: Any) -> str:
    return related.name if related is not None else ""


def dossier_list_data(dossier: Dossier, *, now: datetime) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "desk": dossier.desk_id,
        "desk_name": dossier.desk.name,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": dossier_status_label(dossier.status),
        "national_status_number": dossier.national_status_number,
        "applicant_name": dossier.applicant_name,
        "submitted_at": api_moment(dossier.submitted_at),
        "received_at": api_moment(dossier.received_at),
        "due_at": api_moment(dossier.due_at),
        "appointment_at": api_moment(dossier.appointment_at),
        "finished_at": api_moment(dossier.finished_at),
        "returned_at": api_moment(dossier.returned_at),
        "outcome": dossier.outcome,
        "result": dossier.result,
        "is_overdue": dossier.is_overdue(now),
    }


def _event_data(event: DossierEvent) -> dict[str, Any]:
    return {
        "at": api_moment(event.at),
        "action": event.action,
        "actor": str(event.actor) if event.actor is not None else "",
        "actor_role": event.actor_role,
        "desk": _name(event.desk),
        "agency": _name(event.agency),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "note": event.note,
        "data": event.data,
    }


def _document_data(document: DossierDocument, file_key: str) -> dict[str, Any]:
    return {
        "id": document.pk,
        "kind": document.kind,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        # The API route: it answers token clients as well as browsers with a session.
        "url": reverse(
            "api-dossier-document", kwargs={"code": file_key, "document_id": document.pk}
        ),
    }


def _leg_data(leg: DossierLeg) -> dict[str, Any]:
    return {
        "position": leg.position,
        "from_desk": _name(leg.from_desk),
        "from_agency": _name(leg.from_agency),
        "to_desk": _name(leg.to_desk),
        "to_agency": _name(leg.to_agency),
        "started_at": api_moment(leg.started_at),
        "due_at": api_moment(leg.due_at),
        "finished_at": api_moment(leg.finished_at),
        "outcome": leg.outcome,
        "note": leg.note,
    }


def applicant_data(dossier: Dossier) -> dict[str, str]:
    return {
        "name": dossier.applicant_name,
        "cccd": dossier.applicant_cccd,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
        "organisation": dossier.applicant_organisation,
    }


def dossier_detail_data(dossier: Dossier, *, user: User, now: datetime) -> dict[str, Any]:
    """The detail answer; `dossier` comes from dossier_detail_queryset."""
    file_key = dossier_file_key(dossier)
    actions = selectors.dossier_allowed_actions(dossier=dossier, user=user)
    return {
        **dossier_list_data(dossier, now=now),
        "applicant": applicant_data(dossier),
        "form_data": dossier.form_data,
        "current_desk_name": _name(dossier.current_desk),
        "handling_agency_name": _name(dossier.handling_agency),
        "rescheduled_due_at": api_moment(dossier.rescheduled_due_at),
        "paused_at": api_moment(dossier.paused_at),
        "supplement_items": dossier.supplement_items,
        "refusal_reason": dossier.refusal_reason,
        "stop_reason": dossier.stop_reason,
        "apology_reason": dossier.apology_reason,
        "fee_amount": _amount(dossier.fee_amount),
        "paid_online": dossier.paid_online,
        "result_note": dossier.result_note,
        "deadline": (
            None
            if dossier.due_at is None
            else {
                "due_at": dossier.due_at.isoformat(),
                "appointment_at": dossier.appointment_at.isoformat(),
                "explanation": dossier.deadline_explanation.splitlines(),
            }
        ),
        "timeline": [_event_data(e) for e in TIMELINE.instances(dossier_id=dossier.pk)],
        "documents": [
            _document_data(d, file_key) for d in DOCUMENTS.instances(dossier_id=dossier.pk)
        ],
        "legs": [_leg_data(leg) for leg in LEGS.instances(dossier_id=dossier.pk)],
        "allowed_actions": [
            {
                "name": spec.name,
                "label": str(spec.label),
                "inputs": [
                    {"name": f.name, "label": str(f.label), "kind": f.kind, "required": f.required}
                    for f in spec.fields
                ],
            }
            for spec in actions
        ],
    }


LOOKUP_MOMENTS = (
    "submitted_at",
    "received_at",
    "due_at",
    "appointment_at",
    "finished_at",
    "returned_at",
)


def lookup_answer(found: dict[str, Any]) -> dict[str, Any]:
    """The public lookup's answer (DossierLookupOutput's shape) from dossier_public_lookup."""
    return {**found, **{name: api_moment(found[name]) for name in LOOKUP_MOMENTS}}
