"""Writes to the catalog: importing records, publishing decisions, administrator time values."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from procedures.models import Procedure, RequiredDocument, Sector, SubmissionMethod
from procedures.parsing import applicant_kinds, first_agency
from procedures.records import (
    CATALOG_KEYS,
    ProcedureRecord,
    RecordError,
    normalise_record,
    search_texts,
    sector_code,
)

DOCUMENT_FIELDS = (
    "position",
    "group",
    "name",
    "quantity",
    "original_or_copy",
    "template_url",
    "is_required",
    "is_note",
    "is_shown",
    "short_name",
)
METHOD_FIELDS = (
    "channel",
    "processing_time_text",
    "processing_time_amount",
    "processing_time_unit",
    "fee",
    "details",
)
BATCH_SIZE = 500
ADMIN_TIME_FIELDS = ("processing_time_amount", "processing_time_unit", "same_day_cutoff")


class ImportAborted(Exception):
    """The file has a broken record: nothing of it was imported."""

    def __init__(self, *, index: int, code: str, reason: str) -> None:
        self.index, self.code, self.reason = index, code, reason
        label = f"mã {code}" if code else "không có mã"
        super().__init__(f"Bản ghi số {index} ({label}): {reason}. Không nhập bản ghi nào của tệp.")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    unparsed_times: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def records_normalise(raw_records: Iterable[Any]) -> tuple[list[ProcedureRecord], ImportReport]:
    """Validate every record first; a broken one raises ImportAborted naming it."""
    report = ImportReport()
    records: dict[str, ProcedureRecord] = {}
    for index, raw in enumerate(raw_records, 1):
        raw_code = str(raw.get("code") or "").strip() if isinstance(raw, dict) else ""
        try:
            record = normalise_record(raw)
        except RecordError as exc:
            raise ImportAborted(index=index, code=raw_code, reason=str(exc)) from exc
        previous = records.get(record.code)
        if previous is not None:
            if previous.source_hash != record.source_hash or previous.catalog != record.catalog:
                raise ImportAborted(
                    index=index,
                    code=record.code,
                    reason="trùng mã với một bản ghi trước đó nhưng nội dung khác",
                )
            report.skipped.append((record.code, f"bản ghi số {index} trùng lặp hoàn toàn"))
            continue
        records[record.code] = record
    return list(records.values()), report


def _sectors(records: list[ProcedureRecord]) -> dict[str, Sector]:
    names = {r.sector_name for r in records}
    existing = {s.name: s for s in Sector.objects.filter(name__in=names)}
    missing = [Sector(name=n, code=sector_code(n)) for n in sorted(names - existing.keys())]
    taken = set(
        Sector.objects.filter(code__in=[s.code for s in missing]).values_list("code", flat=True)
    )
    for sector in missing:
        base, n = sector.code, 2
        while sector.code in taken:
            sector.code, n = f"{base[:115]}-{n}", n + 1
        taken.add(sector.code)
    Sector.objects.bulk_create(missing)
    existing.update({s.name: s for s in Sector.objects.filter(name__in=[s.name for s in missing])})
    return existing


def _document_rows(procedure: Procedure, record: ProcedureRecord) -> list[RequiredDocument]:
    return [RequiredDocument(procedure=procedure, **doc) for doc in record.documents]


def _method_rows(procedure: Procedure, record: ProcedureRecord) -> list[SubmissionMethod]:
    return [SubmissionMethod(procedure=procedure, **method) for method in record.methods]


def _children_differ(rows: list, wanted: list[dict[str, Any]], names: tuple[str, ...]) -> bool:
    current = [tuple(getattr(row, n) for n in names) for row in rows]
    return current != [tuple(item[n] for n in names) for item in wanted]


def _catalog_differs(procedure: Procedure, catalog: dict[str, Any]) -> bool:
    return any(getattr(procedure, key) != value for key, value in catalog.items())


def _apply(procedure: Procedure, record: ProcedureRecord, sector: Sector) -> None:
    keep_admin_time = (
        not record.fields["processing_time_unit"]
        and procedure.processing_time_unit
        and procedure.processing_time_text == record.fields["processing_time_text"]
    )
    for key, value in record.fields.items():
        if keep_admin_time and key in ADMIN_TIME_FIELDS:
            continue
        setattr(procedure, key, value)
    for key, value in record.catalog.items():
        setattr(procedure, key, value)
    procedure.sector = sector
    procedure.source_hash = record.source_hash


def _update_children(changed: list[tuple[Procedure, ProcedureRecord]]) -> None:
    """Rewrite the channels and documents that differ, in a few bulk queries.

    Documents are updated in place by position, so dossier documents keep their link to them.
    """
    ids = [procedure.pk for procedure, _ in changed]
    methods: dict[int, list[SubmissionMethod]] = defaultdict(list)
    for method in SubmissionMethod.objects.filter(procedure_id__in=ids).order_by("id"):
        methods[method.procedure_id].append(method)
    documents: dict[int, list[RequiredDocument]] = defaultdict(list)
    for document in RequiredDocument.objects.filter(procedure_id__in=ids).order_by("position"):
        documents[document.procedure_id].append(document)
    stale_methods, new_methods = [], []
    stale_documents, new_documents, edited_documents = [], [], []
    for procedure, record in changed:
        if _children_differ(methods[procedure.pk], record.methods, METHOD_FIELDS):
            stale_methods += [m.pk for m in methods[procedure.pk]]
            new_methods += _method_rows(procedure, record)
        rows = documents[procedure.pk]
        if _children_differ(rows, record.documents, DOCUMENT_FIELDS):
            for row, doc in zip(rows, record.documents, strict=False):
                for key, value in doc.items():
                    setattr(row, key, value)
                edited_documents.append(row)
            stale_documents += [r.pk for r in rows[len(record.documents) :]]
            new_documents += _document_rows(procedure, record)[len(rows) :]
    SubmissionMethod.objects.filter(pk__in=stale_methods).delete()
    SubmissionMethod.objects.bulk_create(new_methods, batch_size=BATCH_SIZE)
    RequiredDocument.objects.filter(pk__in=stale_documents).delete()
    RequiredDocument.objects.bulk_update(edited_documents, DOCUMENT_FIELDS, batch_size=BATCH_SIZE)
    RequiredDocument.objects.bulk_create(new_documents, batch_size=BATCH_SIZE)


@transaction.atomic
def procedures_import(
    *, raw_records: Iterable[Any], progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Upsert records by code, all or nothing; unchanged records are not written at all."""
    records, report = records_normalise(raw_records)
    sectors = _sectors(records)
    existing = {
        p.code: p
        for p in Procedure.objects.filter(code__in=[r.code for r in records]).only(
            "id",
            "code",
            "source_hash",
            "processing_time_text",
            "processing_time_unit",
            *CATALOG_KEYS,
        )
    }
    to_create: list[tuple[Procedure, ProcedureRecord]] = []
    changed: list[tuple[Procedure, ProcedureRecord]] = []
    total = len(records)
    for done, record in enumerate(records, 1):
        if record.unparsed_time is not None:
            report.unparsed_times.append((record.code, record.unparsed_time))
        current = existing.get(record.code)
        sector = sectors[record.sector_name]
        if current is None:
            procedure = Procedure()
            _apply(procedure, record, sector)
            to_create.append((procedure, record))
            report.created.append(record.code)
        elif current.source_hash == record.source_hash and not _catalog_differs(
            current, record.catalog
        ):
            report.unchanged.append(record.code)
        else:
            _apply(current, record, sector)
            changed.append((current, record))
            report.updated.append(record.code)
        if progress:
            progress(done, total)
    if changed:
        now = timezone.now()
        for procedure, _ in changed:
            procedure.updated_at = now
        names = {"sector", "source_hash", "updated_at", *CATALOG_KEYS}
        names.update(*(record.fields for _, record in changed))
        Procedure.objects.bulk_update(
            [p for p, _ in changed], sorted(names), batch_size=BATCH_SIZE // 5
        )
        _update_children(changed)
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = to_create[start : start + BATCH_SIZE]
        Procedure.objects.bulk_create([p for p, _ in batch])
        SubmissionMethod.objects.bulk_create(
            [m for p, r in batch for m in _method_rows(p, r)], batch_size=BATCH_SIZE
        )
        RequiredDocument.objects.bulk_create(
            [d for p, r in batch for d in _document_rows(p, r)], batch_size=BATCH_SIZE
        )
    return report


@dataclass(frozen=True)
class CatalogDecision:
    """Where the province publishes a procedure and how (computed by procedures.seed_catalog)."""

    level: str
    is_published: bool
    is_active: bool
    online_level: str
    same_day_cutoff: Any = None


def catalog_apply(*, decisions: dict[str, CatalogDecision]) -> int:
    """Write the decisions that differ from the rows; returns how many rows changed."""
    names = ("level", "is_published", "is_active", "online_level", "same_day_cutoff")
    changed = []
    for procedure in Procedure.objects.filter(code__in=decisions.keys()).only("id", "code", *names):
        decision = decisions[procedure.code]
        if any(getattr(procedure, n) != getattr(decision, n) for n in names):
            for n in names:
                setattr(procedure, n, getattr(decision, n))
            changed.append(procedure)
    Procedure.objects.bulk_update(changed, names, batch_size=BATCH_SIZE)
    return len(changed)


def procedure_save(*, procedure: Procedure) -> Procedure:
    """Save an edited procedure (admin), keeping its derived search and filter fields in step."""
    procedure.agency_name = first_agency(procedure.implementing_agency)
    procedure.applicant_kinds = "," + ",".join(applicant_kinds(procedure.applicant_types)) + ","
    procedure.search_name, procedure.search_text = search_texts(
        {
            "code": procedure.code,
            "name": procedure.name,
            "agency_name": procedure.agency_name,
            "competent_authority": procedure.competent_authority,
            "implementing_agency": procedure.implementing_agency,
            "applicant_types": procedure.applicant_types,
            "results": procedure.results,
            "decision_number": procedure.decision_number,
        },
        procedure.sector.name,
    )
    procedure.save()
    return procedure
