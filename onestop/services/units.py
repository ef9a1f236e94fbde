"""Writes of administrative units and one-stop desks: the loader and the desk set-up.

Units come from GSO data files. Three shapes are accepted (levels are data, never code):
- the province file data/ba-ria-vung-tau-units.json: {"province": {...}, "districts": [...]};
- a two-tier province (after the 2025 reform): {"province": {...}, "communes": [...]};
- the national list data/vn-admin-units.json(.gz): [{province..., "districts": [...]}, ...],
  from which one province is picked by its code (a province there may also list "communes").
Every unit is {"code", "name", "short_name", "type"}; units nested under "districts" are
district-level, under "communes" commune-level. Units are upserted by GSO code; loading the same
file twice changes nothing. Units missing from a later file are kept (dossiers refer to them).
"""

import datetime
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from onestop.models import AdministrativeUnit, Counter, Desk, UnitLevel

DEFAULT_UNITS_FILE = settings.BASE_DIR / "data" / "ba-ria-vung-tau-units.json"
NATIONAL_UNITS_FILE = settings.BASE_DIR / "data" / "vn-admin-units.json.gz"

CHILD_KEYS = {"districts": UnitLevel.DISTRICT, "communes": UnitLevel.COMMUNE}


class UnitDataError(ValueError):
    """The data file does not have a shape the loader understands, or lacks the province."""


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def units_read_file(path: Path) -> dict | list:
    """Parse a .json or .json.gz data file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def _province_record(data: dict | list, province_code: str | None) -> dict:
    """The province node (with its "districts" or "communes") out of any accepted shape."""
    if isinstance(data, dict) and "province" in data:
        province = dict(data["province"])
        for key in CHILD_KEYS:
            if key in data:
                province[key] = data[key]
    elif isinstance(data, list):
        if not province_code:
            raise UnitDataError("Tệp có nhiều tỉnh: hãy chỉ rõ mã tỉnh (--province).")
        province = next((item for item in data if item.get("code") == province_code), None)
        if province is None:
            raise UnitDataError(f"Không có tỉnh mã {province_code} trong tệp dữ liệu.")
    else:
        raise UnitDataError("Cấu trúc tệp đơn vị hành chính không được hỗ trợ.")
    if province_code and province.get("code") != province_code:
        raise UnitDataError(
            f"Tệp chứa tỉnh mã {province.get('code')}, không phải tỉnh mã {province_code}."
        )
    return province


def _walk(node: dict, *, level: str, parent_path: str) -> Iterator[tuple[dict, str, str, str]]:
    """Yield (record, level, path, parent_path) depth-first, parents before children."""
    path = f"{parent_path}/{node['code']}" if parent_path else node["code"]
    yield node, level, path, parent_path
    for key, child_level in CHILD_KEYS.items():
        for child in node.get(key) or []:
            yield from _walk(child, level=child_level, parent_path=path)


@transaction.atomic
def units_load(*, data: dict | list, province_code: str | None = None) -> LoadResult:
    """Upsert one province and every unit under it (see the module docstring)."""
    province = _province_record(data, province_code)
    existing = {unit.code: unit for unit in AdministrativeUnit.objects.all()}
    by_path: dict[str, AdministrativeUnit] = {}
    result = LoadResult()
    for record, level, path, parent_path in _walk(
        province, level=UnitLevel.PROVINCE, parent_path=""
    ):
        values = {
            "name": " ".join(record["name"].split()),
            "short_name": " ".join(record.get("short_name", record["name"]).split()),
            "type_label": record.get("type", ""),
            "level": level,
            "parent": by_path.get(parent_path),
            "path": path,
        }
        unit = existing.get(record["code"])
        if unit is None:
            unit = AdministrativeUnit.objects.create(code=record["code"], **values)
            result.created += 1
        elif any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            unit.save()
            result.updated += 1
        else:
            result.unchanged += 1
        result.by_level[level] = result.by_level.get(level, 0) + 1
        by_path[path] = unit
    return result


def units_load_file(*, path: Path | None = None, province_code: str | None = None) -> LoadResult:
    """Load the default province file, or `path`; with only a code, the national list."""
    if path is None:
        path = NATIONAL_UNITS_FILE if province_code else DEFAULT_UNITS_FILE
    return units_load(data=units_read_file(Path(path)), province_code=province_code)


# --- Desks ---------------------------------------------------------------------------------

PROVINCE_COUNTERS = [
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Giao thông vận tải",
    "Sở Công Thương",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Y tế",
    "Sở Giáo dục và Đào tạo",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Công an tỉnh",
    "Bưu điện tỉnh (tiếp nhận, trả kết quả qua bưu chính)",
]
DISTRICT_COUNTERS = [
    "Tư pháp - Hộ tịch, chứng thực",
    "Đất đai, tài nguyên và môi trường",
    "Đăng ký kinh doanh, hộ kinh doanh",
    "Xây dựng, quy hoạch",
    "Lao động - Thương binh và Xã hội",
    "Trả kết quả",
]
COMMUNE_COUNTERS = [
    "Tư pháp - Hộ tịch, chứng thực",
    "Đất đai, xây dựng và lĩnh vực khác",
]
OFFICE_HOURS = {
    "morning_opens": datetime.time(7, 30),
    "morning_closes": datetime.time(11, 30),
    "afternoon_opens": datetime.time(13, 30),
    "afternoon_closes": datetime.time(17, 0),
}


@dataclass
class DeskResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    counters_created: int = 0


def _in_sentence(unit: AdministrativeUnit) -> str:
    """'Tỉnh Bà Rịa - Vũng Tàu' -> 'tỉnh Bà Rịa - Vũng Tàu' (type label in lower case)."""
    if unit.type_label and unit.name.startswith(unit.type_label):
        return unit.type_label.lower() + unit.name[len(unit.type_label) :]
    return unit.name


def _desk_values(
    unit: AdministrativeUnit,
    *,
    chain: list[AdministrativeUnit],
    agency_code: str,
    phone_area_code: str,
) -> dict:
    """Name, address and phone of the desk of `unit`; `chain` is its ancestors, nearest first."""
    province = chain[-1] if chain else unit
    if unit.level == UnitLevel.PROVINCE:
        name = f"Trung tâm Phục vụ hành chính công {_in_sentence(unit)}"
        address = f"Trung tâm Hành chính - Chính trị {_in_sentence(unit)}"
    elif unit.level == UnitLevel.DISTRICT:
        name = f"Bộ phận tiếp nhận và trả kết quả UBND {unit.name}"
        address = f"Trụ sở UBND {unit.name}, {_in_sentence(province)}"
    else:
        name = f"Bộ phận một cửa UBND {unit.name}"
        address = ", ".join(
            [f"Trụ sở UBND {unit.name}"] + [_in_sentence(ancestor) for ancestor in chain]
        )
    phone = f"{phone_area_code} 38{unit.code[-5:].zfill(5)}" if phone_area_code else ""
    return {
        "name": name,
        "agency_code": agency_code,
        "address": address,
        "phone": phone,
        "is_active": True,
        **OFFICE_HOURS,
    }


def _counter_names(unit: AdministrativeUnit, index: int) -> list[str]:
    if unit.level == UnitLevel.PROVINCE:
        return PROVINCE_COUNTERS
    if unit.level == UnitLevel.DISTRICT:
        # 4 to 6 counters, by GSO order, so the figures are deterministic.
        return DISTRICT_COUNTERS[: 4 + (index - 1) % 3]
    return COMMUNE_COUNTERS


def _desk_upsert(
    unit: AdministrativeUnit, *, values: dict, counters: list[str], result: DeskResult
) -> Desk:
    desk = Desk.objects.filter(unit=unit).first()
    if desk is None:
        desk = Desk.objects.create(unit=unit, **values)
        result.created += 1
    elif any(getattr(desk, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(desk, name, value)
        desk.save()
        result.updated += 1
    else:
        result.unchanged += 1
    existing = set(desk.counters.values_list("number", flat=True))
    for number, label in enumerate(counters, start=1):
        if number not in existing:
            Counter.objects.create(desk=desk, number=number, name=f"Quầy {number} - {label}")
            result.counters_created += 1
    return desk


@transaction.atomic
def desks_create_for_province(
    *,
    province: AdministrativeUnit,
    province_agency_code: str,
    phone_area_code: str = "",
) -> DeskResult:
    """One desk per unit of the province, with counters and office hours; idempotent.

    Agency identifiers follow Circular 10/2016: the province's own desk is
    000.00.00.<P>; the units directly under the province are numbered 01.. in GSO code order
    (000.00.DD.<P>) and the units under those 01.. within their parent (000.CC.DD.<P>). A
    two-tier province therefore numbers its communes in the DD place.
    """
    result = DeskResult()
    suffix = province_agency_code
    _desk_upsert(
        province,
        values=_desk_values(
            province,
            chain=[],
            agency_code=f"000.00.00.{suffix}",
            phone_area_code=phone_area_code,
        ),
        counters=_counter_names(province, 1),
        result=result,
    )
    for dd, first in enumerate(province.children.order_by("code"), start=1):
        _desk_upsert(
            first,
            values=_desk_values(
                first,
                chain=[province],
                agency_code=f"000.00.{dd:02d}.{suffix}",
                phone_area_code=phone_area_code,
            ),
            counters=_counter_names(first, dd),
            result=result,
        )
        for cc, second in enumerate(first.children.order_by("code"), start=1):
            _desk_upsert(
                second,
                values=_desk_values(
                    second,
                    chain=[first, province],
                    agency_code=f"000.{cc:02d}.{dd:02d}.{suffix}",
                    phone_area_code=phone_area_code,
                ),
                counters=_counter_names(second, cc),
                result=result,
            )
    return result
