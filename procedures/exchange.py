"""Reading and writing procedure files: national-portal JSON (plain or .gz) and the portal's CSV.

CSV: one row per procedure; list columns (submission_methods, required_documents, results,
applicant_types, implementation_levels, legal_basis_codes) hold JSON. Exports carry the catalog
decisions (level, publication, online level, times), so export → import restores the catalog.
"""

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from procedures.models import Procedure

CSV_COLUMNS = [
    "code",
    "name",
    "decision_number",
    "field",
    "implementation_levels",
    "procedure_type",
    "applicant_types",
    "competent_authority",
    "implementing_agency",
    "delegated_agency",
    "coordinating_agency",
    "receiving_address",
    "related_procedures",
    "steps",
    "conditions",
    "results",
    "results_description",
    "legal_basis_raw",
    "legal_basis_codes",
    "processing_time",
    "submission_methods",
    "required_documents",
    "source",
    "source_url",
    "as_of",
    "level",
    "is_published",
    "is_active",
    "online_level",
    "same_day_cutoff",
    "supplement_clock",
    "processing_time_amount",
    "processing_time_unit",
]
JSON_LIST_COLUMNS = {
    "implementation_levels",
    "applicant_types",
    "results",
    "legal_basis_codes",
    "submission_methods",
    "required_documents",
}


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong format, not a list...)."""


def detect_format(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    return "csv" if ".csv" in suffixes else "json"


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115


def read_records(path: Path, *, fmt: str | None = None) -> list[dict[str, Any]]:
    """The raw records of a JSON or CSV file, unvalidated."""
    fmt = fmt or detect_format(path)
    with _open_text(path) as handle:
        if fmt == "csv":
            reader = csv.DictReader(handle)
            missing = {"code", "name"} - set(reader.fieldnames or [])
            if missing:
                raise FileFormatError(f"Tệp CSV thiếu cột: {', '.join(sorted(missing))}.")
            return [dict(row) for row in reader]
        try:
            data = json.load(handle)
        except json.JSONDecodeError as exc:
            raise FileFormatError(f"Tệp JSON không hợp lệ: {exc}.") from exc
    if not isinstance(data, list):
        raise FileFormatError("Tệp JSON phải là một danh sách các thủ tục.")
    return data


def procedure_record(procedure: Procedure) -> dict[str, Any]:
    """A procedure in the national-portal shape, plus the catalog keys of the portal."""
    cutoff = procedure.same_day_cutoff
    amount = procedure.processing_time_amount
    return {
        "code": procedure.code,
        "name": procedure.name,
        "decision_number": procedure.decision_number,
        "field": procedure.sector.name,
        "implementation_levels": procedure.implementation_levels,
        "procedure_type": procedure.procedure_type,
        "applicant_types": procedure.applicant_types,
        "competent_authority": procedure.competent_authority,
        "implementing_agency": procedure.implementing_agency,
        "delegated_agency": procedure.delegated_agency,
        "coordinating_agency": procedure.coordinating_agency,
        "receiving_address": procedure.receiving_address,
        "related_procedures": procedure.related_procedures,
        "steps": procedure.steps,
        "conditions": procedure.conditions,
        "results": procedure.results,
        "results_description": procedure.results_description,
        "legal_basis_raw": procedure.legal_basis,
        "legal_basis_codes": procedure.legal_basis_codes,
        "processing_time": procedure.processing_time_text,
        "submission_methods": [
            {
                "channel": m.channel,
                "processing_time": m.processing_time_text,
                "processing_time_amount": str(m.processing_time_amount)
                if m.processing_time_amount is not None
                else "",
                "processing_time_unit": m.processing_time_unit,
                "fee": m.fee,
                "details": m.details,
            }
            for m in procedure.submission_methods.all()
        ],
        "required_documents": [
            {
                "group": d.group,
                "name": d.name,
                "quantity": d.quantity,
                "original_or_copy": d.original_or_copy,
                "template_url": d.template_url,
                "is_required": d.is_required,
                "is_note": d.is_note,
                "is_shown": d.is_shown,
                "short_name": d.short_name,
            }
            for d in procedure.required_documents.all()
        ],
        "source": procedure.source,
        "source_url": procedure.source_url,
        "as_of": procedure.as_of,
        "level": procedure.level,
        "is_published": procedure.is_published,
        "is_active": procedure.is_active,
        "online_level": procedure.online_level,
        "same_day_cutoff": cutoff.strftime("%H:%M") if cutoff else "",
        "supplement_clock": procedure.supplement_clock,
        "processing_time_amount": str(amount) if amount is not None else "",
        "processing_time_unit": procedure.processing_time_unit,
    }


def _export_rows(queryset: QuerySet[Procedure]) -> Iterator[dict[str, Any]]:
    queryset = (
        queryset.select_related("sector")
        .prefetch_related("submission_methods", "required_documents")
        .order_by("code")
    )
    for procedure in queryset.iterator(chunk_size=500):
        yield procedure_record(procedure)


def write_records(path: Path, *, fmt: str, queryset: QuerySet[Procedure]) -> int:
    """Write every procedure of the queryset to path; returns how many."""
    rows = list(_export_rows(queryset))
    opener = gzip.open if path.suffix.lower() == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        if fmt == "json":
            json.dump(rows, handle, ensure_ascii=False, indent=1)
        else:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow(
                    {
                        key: json.dumps(value, ensure_ascii=False)
                        if key in JSON_LIST_COLUMNS
                        else ("true" if value is True else "false" if value is False else value)
                        for key, value in row.items()
                    }
                )
    return len(rows)
