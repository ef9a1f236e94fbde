"""Validation and normalisation of procedure records (national-portal JSON or the portal's CSV).

A record becomes a `ProcedureRecord`: the model field values, its submission methods and required
documents, and the catalog decisions the file carries (only in the portal's own exports).
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.text import slugify

from procedures.models import OnlineLevel, ProcedureLevel, SupplementClock, TimeUnit
from procedures.parsing import (
    applicant_kinds,
    document_is_conditional,
    document_is_shown,
    document_short_name,
    first_agency,
    fold,
    fold_name,
    local_code,
    parse_channel,
    parse_processing_time,
    parse_quantity,
)

OTHER_SECTOR = "Lĩnh vực khác"
# Keys of the portal's own exports that carry catalog decisions (absent from national data).
CATALOG_KEYS = (
    "level",
    "is_published",
    "is_active",
    "online_level",
    "same_day_cutoff",
    "supplement_clock",
    "processing_time_amount",
    "processing_time_unit",
)


class RecordError(ValueError):
    """A record that cannot be imported; the message names it and says why (in Vietnamese)."""


@dataclass
class ProcedureRecord:
    code: str
    sector_name: str
    fields: dict[str, Any]
    methods: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    catalog: dict[str, Any] = field(default_factory=dict)
    unparsed_time: str | None = None
    source_hash: str = ""


def sector_code(name: str) -> str:
    return slugify(fold(name))[:120] or "khac"


def _text(raw: dict, key: str, label: str, *, max_length: int | None = None) -> str:
    value = raw.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"trường “{label}” phải là chuỗi ký tự")
    value = value.strip()
    if max_length and len(value) > max_length:
        raise RecordError(f"trường “{label}” dài quá {max_length} ký tự")
    return value


def _list(raw: dict, key: str, label: str) -> list:
    value = raw.get(key) or []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except json.JSONDecodeError as exc:
            raise RecordError(f"trường “{label}” không phải JSON hợp lệ") from exc
    if not isinstance(value, list):
        raise RecordError(f"trường “{label}” phải là danh sách")
    return value


def _bool(value: Any, label: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "có"}:
        return True
    if text in {"0", "false", "no", "không", ""}:
        return False
    raise RecordError(f"trường “{label}” phải là true/false")


def _time_value(amount: Any, unit: Any, label: str) -> tuple[Decimal | None, str]:
    unit = (unit or "").strip()
    if unit and unit not in TimeUnit.values:
        raise RecordError(f"đơn vị thời hạn “{unit}” ({label}) không hợp lệ")
    if amount in (None, ""):
        return None, unit
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise RecordError(f"thời hạn “{amount}” ({label}) không phải là số") from exc
    if value < 0 or value >= 100000:
        raise RecordError(f"thời hạn “{amount}” ({label}) nằm ngoài khoảng cho phép")
    return value.quantize(Decimal("0.01")), unit


def _catalog(raw: dict) -> dict[str, Any]:
    catalog: dict[str, Any] = {}
    if "level" in raw:
        level = (raw["level"] or "").strip()
        if level and level not in ProcedureLevel.values:
            raise RecordError(f"cấp thực hiện “{level}” không hợp lệ")
        catalog["level"] = level
    for key, label in (("is_published", "công bố"), ("is_active", "còn hiệu lực")):
        if key in raw:
            catalog[key] = _bool(raw[key], label)
    if "online_level" in raw:
        online = (raw["online_level"] or "").strip() or OnlineLevel.NONE
        if online not in OnlineLevel.values:
            raise RecordError(f"mức độ trực tuyến “{online}” không hợp lệ")
        catalog["online_level"] = online
    if "supplement_clock" in raw:
        clock = (raw["supplement_clock"] or "").strip()
        if clock not in SupplementClock.values:
            raise RecordError(f"cách tính thời hạn khi bổ sung “{clock}” không hợp lệ")
        catalog["supplement_clock"] = clock
    if "same_day_cutoff" in raw:
        cutoff = (raw["same_day_cutoff"] or "").strip()
        try:
            catalog["same_day_cutoff"] = datetime.time.fromisoformat(cutoff) if cutoff else None
        except ValueError as exc:
            raise RecordError(f"giờ chốt nhận “{cutoff}” không hợp lệ (HH:MM)") from exc
    if "processing_time_unit" in raw or "processing_time_amount" in raw:
        amount, unit = _time_value(
            raw.get("processing_time_amount"), raw.get("processing_time_unit"), "thủ tục"
        )
        catalog["processing_time_amount"], catalog["processing_time_unit"] = amount, unit
    return catalog


def _methods(raw: dict, context: str) -> list[dict[str, Any]]:
    methods = []
    for position, item in enumerate(_list(raw, "submission_methods", "cách thức thực hiện"), 1):
        if not isinstance(item, dict):
            raise RecordError(f"cách thức thực hiện thứ {position} không đúng cấu trúc")
        channel = parse_channel(str(item.get("channel") or ""))
        if channel is None:
            raise RecordError(f"kênh nộp “{item.get('channel')}” không được hỗ trợ")
        text = str(item.get("processing_time") or "").strip()[:500]
        if "processing_time_unit" in item or "processing_time_amount" in item:
            amount, unit = _time_value(
                item.get("processing_time_amount"), item.get("processing_time_unit"), channel
            )
        else:
            parsed = parse_processing_time(text, context=context)
            amount, unit = (parsed.amount, parsed.unit) if parsed else (None, "")
            amount = amount.quantize(Decimal("0.01")) if amount is not None else None
        methods.append(
            {
                "channel": channel,
                "processing_time_text": text,
                "processing_time_amount": amount,
                "processing_time_unit": unit,
                "fee": str(item.get("fee") or "").strip(),
                "details": str(item.get("details") or "").strip(),
            }
        )
    return methods


def _documents(raw: dict) -> list[dict[str, Any]]:
    documents = []
    for position, item in enumerate(_list(raw, "required_documents", "thành phần hồ sơ"), 1):
        if not isinstance(item, dict):
            raise RecordError(f"giấy tờ thứ {position} không đúng cấu trúc")
        name = str(item.get("name") or "").strip()
        if not name:
            raise RecordError(f"giấy tờ thứ {position} không có tên")
        quantity_text = str(item.get("quantity") or "").strip()
        if "original_or_copy" in item:
            quantity, original_or_copy = quantity_text, str(item["original_or_copy"] or "")
            is_required = _bool(item.get("is_required", True), "bắt buộc")
            # Exports made before `is_note` existed marked notes as not required.
            is_note = _bool(item["is_note"], "lưu ý") if "is_note" in item else not is_required
        else:
            quantity, original_or_copy, copies = parse_quantity(quantity_text)
            group = fold(str(item.get("group") or ""))
            # "0 bản chính" lines and the "Lưu ý" group are notes, not papers to hand in.
            is_note = copies == 0 or "luu y" in group
            is_required = not is_note and not document_is_conditional(name)
        if is_note:
            is_required = False
        group_text = str(item.get("group") or "")
        is_shown = (
            _bool(item["is_shown"], "xuất trình")
            if "is_shown" in item
            else not is_note and document_is_shown(group=group_text, name=name)
        )
        short_name = str(item.get("short_name") or "").strip() or document_short_name(name)
        template_url = str(item.get("template_url") or item.get("form_url") or "").strip()
        if template_url and not template_url.startswith(("http://", "https://")):
            raise RecordError(f"đường dẫn mẫu đơn của giấy tờ thứ {position} không hợp lệ")
        documents.append(
            {
                "position": position,
                "group": str(item.get("group") or "").strip()[:500],
                "name": name,
                "quantity": quantity[:255],
                "original_or_copy": original_or_copy[:255],
                "template_url": template_url[:500],
                "is_required": is_required,
                "is_note": is_note,
                "is_shown": is_shown,
                "short_name": short_name[:255],
            }
        )
    return documents


def _procedure_time(methods: list[dict[str, Any]], context: str) -> tuple[Decimal | None, str, Any]:
    """(amount, unit, same-day cutoff): the direct channel's time when parsed, else the first
    parsed channel's; the cutoff is the hour its text or the steps give ("sau 15 giờ")."""
    parsed = [m for m in methods if m["processing_time_unit"]]
    parsed.sort(key=lambda m: m["channel"] != "direct")
    if not parsed:
        return None, "", None
    chosen = parsed[0]
    cutoff = None
    if chosen["processing_time_unit"] == TimeUnit.SAME_DAY:
        again = parse_processing_time(chosen["processing_time_text"], context=context)
        cutoff = again.same_day_cutoff if again else None
    return chosen["processing_time_amount"], chosen["processing_time_unit"], cutoff


def search_texts(fields: dict[str, Any], sector_name: str) -> tuple[str, str]:
    """(search_name, search_text). search_text keeps each word once: the search matches words
    and word prefixes there (phrases only in the name), and a short text scans fast."""
    result_names = " ".join(
        str(r.get("name", "")) for r in fields["results"] if isinstance(r, dict)
    )
    parts = [
        fields["code"],
        fields["name"],
        sector_name,
        fields["agency_name"],
        fields["competent_authority"][:300],
        fields["implementing_agency"][:300],
        result_names,
        fields["decision_number"],
    ]
    words = " ".join(dict.fromkeys(fold(" ".join(parts)).split()))
    return f" {fold_name(fields['name'])} ", f" {words} "


def _hash(payload: dict[str, Any]) -> str:
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def normalise_record(raw: Any) -> ProcedureRecord:
    """Validate one record and turn it into model values; raises RecordError with the reason."""
    if not isinstance(raw, dict):
        raise RecordError("bản ghi không phải là một đối tượng JSON")
    name = " ".join(_text(raw, "name", "tên thủ tục").split())
    if not name:
        raise RecordError("thiếu tên thủ tục")
    implementing = _text(raw, "implementing_agency", "cơ quan thực hiện")
    code = _text(raw, "code", "mã thủ tục", max_length=32) or local_code(
        name=name, agency=implementing
    )
    sector_name = " ".join(_text(raw, "field", "lĩnh vực").split()) or OTHER_SECTOR
    if len(sector_name) > 255:
        raise RecordError("tên lĩnh vực dài quá 255 ký tự")
    steps = _text(raw, "steps", "trình tự thực hiện")
    conditions = _text(raw, "conditions", "yêu cầu, điều kiện")
    items = _list(raw, "submission_methods", "cách thức thực hiện")
    context = " ".join(
        [steps, conditions] + [str(m.get("details") or "") for m in items if isinstance(m, dict)]
    )
    methods = _methods(raw, context)
    documents = _documents(raw)
    applicant_types = [str(t).strip() for t in _list(raw, "applicant_types", "đối tượng")]
    source_url = _text(raw, "source_url", "đường dẫn nguồn", max_length=500)
    if source_url and not source_url.startswith(("http://", "https://")):
        raise RecordError("đường dẫn nguồn không hợp lệ")
    fields: dict[str, Any] = {
        "code": code,
        "name": name,
        "decision_number": _text(raw, "decision_number", "số quyết định", max_length=255),
        "implementation_levels": [str(v) for v in _list(raw, "implementation_levels", "cấp")],
        "procedure_type": _text(raw, "procedure_type", "loại thủ tục", max_length=255),
        "applicant_types": applicant_types,
        "competent_authority": _text(raw, "competent_authority", "cơ quan có thẩm quyền"),
        "implementing_agency": implementing,
        "delegated_agency": _text(raw, "delegated_agency", "cơ quan được ủy quyền"),
        "coordinating_agency": _text(raw, "coordinating_agency", "cơ quan phối hợp"),
        "receiving_address": _text(raw, "receiving_address", "địa chỉ tiếp nhận"),
        "related_procedures": _text(raw, "related_procedures", "thủ tục liên quan"),
        "steps": steps,
        "conditions": conditions,
        "results": _list(raw, "results", "kết quả"),
        "results_description": _text(raw, "results_description", "mô tả kết quả"),
        "legal_basis": _text(raw, "legal_basis_raw", "căn cứ pháp lý")
        or _text(raw, "legal_basis", "căn cứ pháp lý"),
        "legal_basis_codes": [str(v) for v in _list(raw, "legal_basis_codes", "số hiệu văn bản")],
        "processing_time_text": _text(raw, "processing_time", "thời hạn giải quyết")[:500],
        "source": _text(raw, "source", "nguồn", max_length=255),
        "source_url": source_url,
        "as_of": _text(raw, "as_of", "thời điểm dữ liệu", max_length=20),
        "agency_name": first_agency(implementing),
        "applicant_kinds": "," + ",".join(applicant_kinds(applicant_types)) + ",",
    }
    if not fields["processing_time_text"]:
        fields["processing_time_text"] = "; ".join(
            dict.fromkeys(m["processing_time_text"] for m in methods if m["processing_time_text"])
        )[:500]
    amount, unit, cutoff = _procedure_time(methods, context)
    fields["processing_time_amount"], fields["processing_time_unit"] = amount, unit
    fields["same_day_cutoff"] = cutoff
    fields["search_name"], fields["search_text"] = search_texts(fields, sector_name)
    record = ProcedureRecord(
        code=code,
        sector_name=sector_name,
        fields=fields,
        methods=methods,
        documents=documents,
        catalog=_catalog(raw),
    )
    if not unit and "processing_time_unit" not in record.catalog:
        record.unparsed_time = fields["processing_time_text"] or "(trống)"
    record.source_hash = _hash(
        {"sector": sector_name, "fields": fields, "methods": methods, "documents": documents}
    )
    return record
