"""What the forms print, read from a dossier and its audit events (no writes here)."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_noop

from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierLeg, DossierStatus
from dossiers.pdf.base import Letterhead, short_date, short_moment
from onestop.models import Desk

RECEPTION_OFFICE = "Bộ phận tiếp nhận và trả kết quả"


def letterhead_for(desk: Desk) -> Letterhead:
    """The governing People's Committee (or the desk's own name for the province centre)."""
    unit = desk.unit
    office = RECEPTION_OFFICE
    if "trung tâm" in desk.name.lower():
        office = desk.name
    # "Phường 1" has the short name "1": a place name must be words.
    short = unit.short_name if unit.short_name and not unit.short_name.isdigit() else unit.name
    return Letterhead(parent=f"UBND {unit.name}", office=office, place=short)


@dataclass(frozen=True)
class SupplementItem:
    document: str
    reason: str


@dataclass(frozen=True)
class Leg:
    """One hand-off on the control slip: who gave, who took, when, and how the leg ended."""

    giver: str
    taker: str
    at: datetime.datetime
    outcome: str = ""
    note: str = ""


@dataclass(frozen=True)
class FormBundle:
    dossier: Dossier
    events: list[DossierEvent]
    documents: list[DossierDocument]
    legs: list[DossierLeg]


@dataclass
class EventFacts:
    """The facts the forms need, picked from the events once."""

    supplement_items: list[SupplementItem] = field(default_factory=list)
    supplement_at: datetime.datetime | None = None
    supplement_by: str = ""
    refusal_reason: str = ""
    refusal_items: list[SupplementItem] = field(default_factory=list)
    refusal_at: datetime.datetime | None = None
    refusal_by: str = ""
    apology_reason: str = ""
    apology_new_due_at: datetime.datetime | None = None
    apology_at: datetime.datetime | None = None
    received_by: str = ""
    legs: list[Leg] = field(default_factory=list)


def _items(data: dict) -> list[SupplementItem]:
    return [
        SupplementItem(document=str(item.get("document", "")), reason=str(item.get("reason", "")))
        for item in data.get("items", []) or []
        if isinstance(item, dict)
    ]


def _parse_moment(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and value:
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return None


def _actor_name(event: DossierEvent) -> str:
    return (event.actor.full_name or event.actor.username) if event.actor else ""


def _leg_outcome(leg: DossierLeg) -> str:
    if leg.outcome:
        return leg.get_outcome_display()
    return "Đang xử lý" if leg.finished_at is None else ""


def _side(desk, agency) -> str:
    if agency is not None:
        return agency.name
    return desk.name if desk is not None else ""


def event_facts(
    dossier: Dossier, events: list[DossierEvent], legs: list[DossierLeg] | None = None
) -> EventFacts:
    """Supplements, refusals and apologies from the events (oldest first); hand-offs from legs."""
    facts = EventFacts()
    for event in events:
        data = event.data or {}
        action = event.action or ""
        if event.to_status == DossierStatus.SUPPLEMENT_REQUESTED or "supplement_request" in action:
            facts.supplement_items = _items(data)
            facts.supplement_at = event.at
            facts.supplement_by = _actor_name(event)
        if event.to_status == DossierStatus.NOT_ACCEPTED or "refus" in action:
            facts.refusal_reason = data.get("reason") or event.note
            facts.refusal_items = _items(data)
            facts.refusal_at = event.at
            facts.refusal_by = _actor_name(event)
        if "apolog" in action:
            facts.apology_reason = data.get("reason") or event.note
            facts.apology_new_due_at = _parse_moment(data.get("new_due_at"))
            facts.apology_at = event.at
        if event.to_status == DossierStatus.RECEIVED and event.from_status != event.to_status:
            facts.received_by = facts.received_by or _actor_name(event)
    if not facts.supplement_items and dossier.supplement_items:
        facts.supplement_items = _items({"items": dossier.supplement_items})
    facts.refusal_reason = facts.refusal_reason or dossier.refusal_reason
    facts.apology_reason = facts.apology_reason or dossier.apology_reason
    facts.apology_new_due_at = facts.apology_new_due_at or dossier.rescheduled_due_at
    facts.apology_at = facts.apology_at or dossier.apologized_at
    for leg in legs or []:
        facts.legs.append(
            Leg(
                giver=_side(leg.from_desk, leg.from_agency) or dossier.desk.name,
                taker=_side(leg.to_desk, leg.to_agency) or "—",
                at=leg.started_at,
                outcome=_leg_outcome(leg),
                note=leg.note,
            )
        )
    return facts


def dossier_for_forms(dossier_id: int) -> FormBundle:
    """The dossier with what every form prints, in a fixed number of queries."""
    dossier = Dossier.objects.select_related(
        "procedure", "desk__unit", "current_desk", "handling_agency"
    ).get(pk=dossier_id)
    events = list(
        DossierEvent.objects.filter(dossier=dossier).select_related("actor", "desk", "agency")
    )
    documents = list(
        DossierDocument.objects.filter(dossier=dossier).select_related("required_document")
    )
    legs = list(
        DossierLeg.objects.filter(dossier=dossier).select_related(
            "from_desk", "from_agency", "to_desk", "to_agency"
        )
    )
    return FormBundle(dossier=dossier, events=events, documents=documents, legs=legs)


# Mẫu 06's own column headings (Vietnamese on the PDF and XLSX record); the HTML page shows them
# translated: gettext_noop marks them for the catalog.
TRACKING_BOOK_HEADINGS = (
    gettext_noop("STT"),
    gettext_noop("Mã hồ sơ"),
    gettext_noop("Tên thủ tục hành chính"),
    gettext_noop("Số lượng hồ sơ (bộ)"),
    gettext_noop("Tên cá nhân, tổ chức"),
    gettext_noop("Địa chỉ, số điện thoại"),
    gettext_noop("Cơ quan chủ trì giải quyết"),
    gettext_noop("Nhận hồ sơ (ngày, tháng, năm)"),
    gettext_noop("Hẹn trả kết quả"),
    gettext_noop("Chuyển hồ sơ đến cơ quan giải quyết"),
    gettext_noop("Trả kết quả (ngày, tháng, năm)"),
    gettext_noop("Ghi chú"),
)


def tracking_book_row(index: int, dossier: Dossier) -> tuple[str, ...]:
    """One line of Mẫu 06, shared by the PDF, the XLSX and the printable page."""
    agency = dossier.handling_agency.name if dossier.handling_agency else dossier.desk.name
    contact = ", ".join(x for x in (dossier.applicant_address, dossier.applicant_phone) if x)
    return (
        str(index),
        dossier.code or "",
        dossier.procedure.name,
        "1",
        dossier.applicant_organisation or dossier.applicant_name,
        contact,
        agency,
        short_date(dossier.received_at),
        short_moment(dossier.due_at),
        agency if dossier.current_desk_id != dossier.desk_id or dossier.handling_agency_id else "",
        short_date(dossier.returned_at),
        dossier.get_status_display(),
    )
