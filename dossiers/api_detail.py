"""The dossier detail answer of the API, built as plain dicts.

DRF's nested ModelSerializers (DossierDetailOutput in dossiers.api, kept for the OpenAPI schema)
rebuilt their fields on every request and took about a third of the clerk's detail request;
this builds the same JSON directly. tests/dossiers/test_api_detail.py holds the two equal.

The dossier, its documents, legs and timeline are one statement: each list is a scalar
subquery of the dossier's row aggregating its rows to a JSON array (jsonb_agg on PostgreSQL,
json_group_array on SQLite), so the detail costs one round trip and one plan, not four.
"""

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from django.db.models import (
    Aggregate,
    F,
    Func,
    JSONField,
    Model,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
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


def _related(model: type[Model], relation: str, column: str = "name") -> Subquery:
    """One column of the row that `relation` (a foreign key of `model`) points to, NULL without
    one: a scalar subquery on the primary key rather than a join, which PostgreSQL plans anew
    on every request (about 0.04 ms each against 0.2 ms per join measured on the detail)."""
    target = model._meta.get_field(relation).related_model
    return Subquery(target.objects.filter(pk=OuterRef(f"{relation}_id")).order_by().values(column))


class JSONArrayAgg(Aggregate):
    """The rows' values as one JSON array, NULL over no row. In no set order: SQLite before
    3.44 (Debian 12 ships 3.40) cannot order inside an aggregate, so the reader sorts."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


class JSONColumn(Func):
    """A JSONField's column as JSON inside a JSON object: SQLite stores it as text and would
    embed it as a string; PostgreSQL's jsonb is embedded as it is."""

    function = "JSON"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


def _json_rows(model: type[Model], **columns: str | Func) -> Subquery:
    """The dossier's rows of `model` as one JSON array of {name: column} (None when it has
    none), a scalar subquery correlated with the dossier's row."""
    fields = {name: F(c) if isinstance(c, str) else c for name, c in columns.items()}
    return Subquery(
        model.objects.filter(dossier_id=OuterRef("pk"))
        .order_by()
        .values("dossier_id")
        .annotate(rows=JSONArrayAgg(JSONObject(**fields)))
        .values("rows"),
        output_field=JSONField(),
    )


def _detail_columns() -> dict[str, Subquery]:
    """What the detail reads beyond the dossier's own row, annotated onto it: the names of the
    rows it points to and its related lists (read by the *_data below)."""
    return {
        "detail_procedure_code": _related(Dossier, "procedure", "code"),
        "detail_procedure_name": _related(Dossier, "procedure"),
        "detail_desk_name": _related(Dossier, "desk"),
        "detail_current_desk_name": _related(Dossier, "current_desk"),
        "detail_handling_agency_name": _related(Dossier, "handling_agency"),
        "detail_documents": _json_rows(
            DossierDocument,
            id="id",
            kind="kind",
            original_name="original_name",
            content_type="content_type",
            size="size",
            sha256="sha256",
        ),
        "detail_legs": _json_rows(
            DossierLeg,
            position="position",
            from_desk=_related(DossierLeg, "from_desk"),
            from_agency=_related(DossierLeg, "from_agency"),
            to_desk=_related(DossierLeg, "to_desk"),
            to_agency=_related(DossierLeg, "to_agency"),
            started_at="started_at",
            due_at="due_at",
            finished_at="finished_at",
            outcome="outcome",
            note="note",
        ),
        "detail_timeline": _json_rows(
            DossierEvent,
            id="id",
            at="at",
            action="action",
            actor_full_name=_related(DossierEvent, "actor", "full_name"),
            actor_username=_related(DossierEvent, "actor", "username"),
            actor_role="actor_role",
            desk=_related(DossierEvent, "desk"),
            agency=_related(DossierEvent, "agency"),
            from_status="from_status",
            to_status="to_status",
            note="note",
            data=JSONColumn("data"),
        ),
    }


def dossier_detail_queryset(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """What the detail answer reads, on top of a visibility-scoped queryset: the dossier row
    with the names it shows and its documents, legs and events (dossier_detail_data reads
    them), one statement without joins."""
    return queryset.select_related(None).annotate(**_detail_columns())


# The detail's reads, compiled once per shape (procedures.compiled): Django's compilation of
# these querysets was most of the request's CPU.
DETAIL_BY_ID = CompiledQuery(
    lambda shape, dossier_id: dossier_detail_queryset(Dossier.objects.filter(pk=dossier_id))[:1],
    ints=("dossier_id",),
)


def dossier_detail_by_id(dossier_id: int) -> Dossier:
    """The dossier as the detail answer reads it, whoever may see it (the answer to a write)."""
    found = DETAIL_BY_ID.instances(dossier_id=dossier_id)
    if not found:
        raise Dossier.DoesNotExist(f"Dossier {dossier_id}")
    return found[0]


def _visible_detail(shape, code, **viewer) -> QuerySet[Dossier]:
    visible = selectors.dossier_list_for_shape(shape, **viewer).filter(code=code)
    return dossier_detail_queryset(visible)[:1]


VISIBLE_DETAIL = CompiledQuery(
    _visible_detail, ints=("user_id", "desk_id", "agency_id"), texts=("code",)
)


def dossier_detail_for_user(*, user: User, code: str) -> Dossier | None:
    """The dossier `code` as the detail answer reads it, or None when unknown or not visible
    to `user`: selectors.dossier_list_for_user's rule, in the same query."""
    if not user.is_authenticated:
        return None
    shape = selectors.viewer_shape(user)
    if shape is not None:
        found = VISIBLE_DETAIL.instances(shape, code=code, **selectors.viewer_values(user))
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


def dossier_list_data(dossier: Dossier, *, now: datetime) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure": dossier.detail_procedure_code,
        "procedure_name": dossier.detail_procedure_name,
        "desk": dossier.desk_id,
        "desk_name": _text(dossier.detail_desk_name),
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


def _stored_moment(text: str | None) -> datetime | None:
    """A datetime as the database writes it in JSON: ISO 8601 with its offset (PostgreSQL) or
    the UTC text Django stores without one (SQLite)."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _json_moment(text: str | None) -> str | None:
    return api_moment(_stored_moment(text))


def _text(value: str | None) -> str:
    """A related row's name, "" without the row (a left join's NULL)."""
    return value if value is not None else ""


def _actor_name(full_name: str | None, username: str | None) -> str:
    """str(event.actor): User.__str__ (the full name, else the username); "" without one."""
    if username is None:
        return ""
    return full_name or username


def _event_data(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "at": _json_moment(row["at"]),
        "action": row["action"],
        "actor": _actor_name(row["actor_full_name"], row["actor_username"]),
        "actor_role": row["actor_role"],
        "desk": _text(row["desk"]),
        "agency": _text(row["agency"]),
        "from_status": row["from_status"],
        "to_status": row["to_status"],
        "note": row["note"],
        "data": row["data"],
    }


def _document_data(row: dict[str, Any], file_key: str) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "original_name": row["original_name"],
        "content_type": row["content_type"],
        "size": row["size"],
        "sha256": row["sha256"],
        # The API route: it answers token clients as well as browsers with a session.
        "url": reverse("api-dossier-document", kwargs={"code": file_key, "document_id": row["id"]}),
    }


def _leg_data(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "position": row["position"],
        "from_desk": _text(row["from_desk"]),
        "from_agency": _text(row["from_agency"]),
        "to_desk": _text(row["to_desk"]),
        "to_agency": _text(row["to_agency"]),
        "started_at": _json_moment(row["started_at"]),
        "due_at": _json_moment(row["due_at"]),
        "finished_at": _json_moment(row["finished_at"]),
        "outcome": row["outcome"],
        "note": row["note"],
    }


def _timeline(rows: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """The events in the model's order (at, id)."""
    keyed = [((_stored_moment(row["at"]), row["id"]), row) for row in rows or ()]
    return [_event_data(row) for _key, row in sorted(keyed, key=lambda pair: pair[0])]


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
        "current_desk_name": _text(dossier.detail_current_desk_name),
        "handling_agency_name": _text(dossier.detail_handling_agency_name),
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
        # Within one dossier, the models' own ordering (the JSON arrays come unordered).
        "timeline": _timeline(dossier.detail_timeline),
        "documents": [
            _document_data(row, file_key)
            for row in sorted(dossier.detail_documents or (), key=lambda row: row["id"])
        ],
        "legs": [
            _leg_data(row)
            for row in sorted(dossier.detail_legs or (), key=lambda row: row["position"])
        ],
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
