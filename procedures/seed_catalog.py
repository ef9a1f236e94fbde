"""Seed step: import the real national-portal records and publish the province's catalog.

The rule (README, "Danh mục thủ tục của tỉnh"), deterministic and computed from the data only:

1. Superseded: a record from the 2021 crawl (no code, local code "BRVT.…") whose name equals a
   coded 2026 record's name is the older version of that procedure: inactive, never published.
2. Candidates, in tiers: (1) records whose levels name "Cấp tỉnh", "Cấp xã" or "Cơ quan khác"
   (except a Vietnamese representation abroad); (2) the 2021 records of local agencies (Sở,
   UBND, Phòng, Công an xã...); (3, 4) "Cấp bộ"-only records whose own text names a local office
   that receives or handles the dossier (Công an tỉnh, a Sở, a provincial branch, the Public
   Administration Service Center, "cấp tỉnh"/"cấp xã"): first those naming it among their
   agencies or receiving address, then those naming it only in their steps. Other "Cấp bộ"-only
   records are ministry business: never published. Tiers 1 and 2 hold fewer than 1,911 records, so
   candidates are taken in tier order, then by code, until PUBLISHED_TARGET (1,911) is reached.
3. Level (2022 three-tier province): district for the sectors that were district-level in 2022
   (household business registration, cooperatives, private-house construction permits, land
   procedures now at the commune, civil status with a foreign element, certification of foreign
   documents and translators' signatures); commune for records at "Cấp xã" only and for civil
   status / certification / residence records at both province and commune; province otherwise
   and always for customs, tax, treasury and banking (vertically managed agencies).
4. Online level (Decree 42): a published record with online and postal channels is "toàn trình"
   (submitted online, result by post or electronically), otherwise "một phần" (the 2022 seed
   says all 1,911 were offered at level 3 or 4); unpublished records: "toàn trình"/"một phần"
   by the same test when they have an online channel, else not online.
5. Same-day cutoff 15:00 for every within-the-day procedure (every text that states an hour says
   "sau 15 giờ"), and the administrator values of ADMIN_TIMES for flagship procedures whose
   source time is unreadable (the seed plays the administrator there; the rest wait for one).
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from procedures.exchange import read_records
from procedures.models import (
    Channel,
    OnlineLevel,
    Procedure,
    ProcedureLevel,
    TimeUnit,
)
from procedures.parsing import fold, fold_name
from procedures.services import CatalogDecision, catalog_apply, procedures_import

DATA_FILE = Path(settings.BASE_DIR) / "data" / "procedures-real.json.gz"
PUBLISHED_TARGET = 1911
LOCAL_CODE_PREFIX = "BRVT."
CUTOFF = datetime.time(15, 0)

# Administrator values (the role an admin plays in the admin form) for flagship procedures whose
# source time is a bare number with no unit. Luật Hộ tịch 2014, art. 18: marriage is registered
# "ngay sau khi nhận đủ giấy tờ" (same day). Household business registration (1.001612) has no
# time in its channels; its steps say "trong thời hạn 03 ngày làm việc" (Decree 168/2025, art. 85).
ADMIN_TIMES: dict[str, tuple[Decimal, str, datetime.time | None]] = {
    "1.000894": (Decimal("0"), TimeUnit.SAME_DAY, CUTOFF),
    "1.001612": (Decimal("3"), TimeUnit.WORKING_DAYS, None),
}

_LOCAL_OFFICE = re.compile(
    r"cong an (cap )?tinh|cap tinh|cap xa|\bso [a-z]|uy ban nhan dan (cap )?tinh|chi nhanh"
    r"|bao hiem xa hoi (cap )?tinh|thue tinh|kho bac nha nuoc (cap )?tinh"
    r"|trung tam phuc vu hanh chinh cong"
)
_ABROAD = "co quan dai dien"
_DISTRICT_SECTORS = {
    "thanh lap va hoat dong doanh nghiep ho kinh doanh",
    "thanh lap va hoat dong cua to hop tac hop tac xa lien hiep hop tac xa",
    "thanh lap va hoat dong cua to hop tac",
}
_COMMUNE_SECTORS = {"ho tich", "chung thuc", "dang ky quan ly cu tru"}
# Vertically managed (customs, tax, treasury, banking): received at the province whatever the
# post-2025 level says.
_PROVINCE_SECTORS = {
    "hai quan",
    "thue",
    "kho bac nha nuoc",
    "thanh lap va hoat dong ngan hang",
    "quan ly thue phi le phi va thu khac cua ngan sach nha nuoc",
}
_FOREIGN = ("yeu to nuoc ngoai", "nuoc ngoai", "nguoi dich", "ban dich")


@dataclass(frozen=True)
class CatalogRow:
    """What the rule needs of a procedure."""

    code: str
    name: str
    sector: str
    levels: tuple[str, ...]
    agency_text: str
    channels: frozenset[str]
    steps: str = ""


def _district_in_2022(row: CatalogRow, sector: str, name: str) -> bool:
    if sector in _DISTRICT_SECTORS or "ho kinh doanh" in name:
        return True
    if "giay phep xay dung" in name and "nha o rieng le" in name:
        return True
    if sector == "dat dai" and "Cấp xã" in row.levels:
        return True
    if sector in ("ho tich", "chung thuc") and any(word in name for word in _FOREIGN):
        return True
    return False


def _old_agency_level(agency: str) -> str | None:
    """Level of a 2021 record from its agency name; None for ministries and the like."""
    if re.search(r"\b(xa|phuong|thi tran)\b", agency):
        return ProcedureLevel.COMMUNE
    if re.search(r"\bhuyen\b|^phong ", agency):
        return ProcedureLevel.DISTRICT
    if re.search(r"^so |\btinh\b|^ban quan ly|^trung tam", agency):
        return ProcedureLevel.PROVINCE
    return None


def classify(row: CatalogRow) -> tuple[int | None, str]:
    """(tier or None when never published, 2022 level) of one record."""
    sector, name, agency = fold(row.sector), fold(row.name), fold(row.agency_text)
    levels = set(row.levels)
    if not levels:  # the 2021 crawl: no levels, the agency says where
        level = _old_agency_level(agency)
        return (2, level) if level else (None, ProcedureLevel.PROVINCE)
    if _district_in_2022(row, sector, name):
        level = ProcedureLevel.DISTRICT
    elif sector in _PROVINCE_SECTORS:
        level = ProcedureLevel.PROVINCE
    elif "Cấp xã" in levels and ("Cấp tỉnh" not in levels or sector in _COMMUNE_SECTORS):
        level = ProcedureLevel.COMMUNE
    else:
        level = ProcedureLevel.PROVINCE
    if levels & {"Cấp tỉnh", "Cấp xã", "Cơ quan khác"}:
        if levels == {"Cơ quan khác"} and _ABROAD in agency:
            return None, level
        return 1, level
    if _LOCAL_OFFICE.search(agency):
        return 3, level
    if _LOCAL_OFFICE.search(fold(row.steps)):
        return 4, level
    return None, level


def online_level(*, channels: frozenset[str], published: bool) -> str:
    if Channel.ONLINE in channels or published:
        return (
            OnlineLevel.FULL
            if {Channel.ONLINE, Channel.POSTAL} <= channels
            else (OnlineLevel.PARTIAL)
        )
    return OnlineLevel.NONE


def decide(rows: list[CatalogRow], *, target: int = PUBLISHED_TARGET) -> dict[str, CatalogDecision]:
    """The catalog decision of every row: exactly `target` published when enough candidates."""
    coded_names = {fold_name(r.name) for r in rows if not r.code.startswith(LOCAL_CODE_PREFIX)}
    ranked: list[tuple[int, str]] = []
    levels: dict[str, str] = {}
    superseded: set[str] = set()
    for row in rows:
        if row.code.startswith(LOCAL_CODE_PREFIX) and fold_name(row.name) in coded_names:
            superseded.add(row.code)
            levels[row.code] = ProcedureLevel.PROVINCE
            continue
        tier, levels[row.code] = classify(row)
        if tier is not None:
            ranked.append((tier, row.code))
    published = {code for _, code in sorted(ranked)[:target]}
    decisions = {}
    for row in rows:
        is_published = row.code in published
        decisions[row.code] = CatalogDecision(
            level=levels[row.code],
            is_published=is_published,
            is_active=row.code not in superseded,
            online_level=online_level(channels=row.channels, published=is_published),
        )
    return decisions


def catalog_rows() -> list[CatalogRow]:
    channels: dict[int, set[str]] = {}
    for procedure_id, channel in Procedure.objects.values_list("id", "submission_methods__channel"):
        channels.setdefault(procedure_id, set()).add(channel)
    return [
        CatalogRow(
            code=p["code"],
            name=p["name"],
            sector=p["sector__name"],
            levels=tuple(p["implementation_levels"]),
            agency_text=" ".join(
                [p["implementing_agency"], p["competent_authority"], p["receiving_address"]]
            ),
            steps=p["steps"],
            channels=frozenset(c for c in channels.get(p["id"], ()) if c),
        )
        for p in Procedure.objects.values(
            "id",
            "code",
            "name",
            "sector__name",
            "implementation_levels",
            "implementing_agency",
            "competent_authority",
            "receiving_address",
            "steps",
        )
    ]


def _with_cutoffs(decisions: dict[str, CatalogDecision]) -> dict[str, CatalogDecision]:
    same_day = set(
        Procedure.objects.filter(processing_time_unit=TimeUnit.SAME_DAY).values_list(
            "code", flat=True
        )
    ) | {code for code, (_, unit, _) in ADMIN_TIMES.items() if unit == TimeUnit.SAME_DAY}
    return {
        code: CatalogDecision(
            level=d.level,
            is_published=d.is_published,
            is_active=d.is_active,
            online_level=d.online_level,
            same_day_cutoff=CUTOFF if code in same_day else None,
        )
        for code, d in decisions.items()
    }


def _apply_admin_times() -> int:
    changed = 0
    for code, (amount, unit, _) in ADMIN_TIMES.items():
        changed += (
            Procedure.objects.filter(code=code)
            .exclude(processing_time_unit=unit, processing_time_amount=amount)
            .update(processing_time_amount=amount, processing_time_unit=unit)
        )
    return changed


def run(stdout) -> None:
    """Import the real records (idempotent) and publish exactly PUBLISHED_TARGET of them."""
    report = procedures_import(raw_records=read_records(DATA_FILE))
    stdout.write(
        f"  thủ tục: tạo {len(report.created)}, cập nhật {len(report.updated)}, "
        f"không đổi {len(report.unchanged)}, bỏ qua {len(report.skipped)} (trùng lặp)"
    )
    admin = _apply_admin_times()
    changed = catalog_apply(decisions=_with_cutoffs(decide(catalog_rows())))
    if (report.changed or changed) and connection.vendor == "postgresql":
        # Fresh statistics, or the planner ignores the trigram index on a just-loaded table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE procedures_procedure")
    counts = Procedure.objects.filter(is_published=True).aggregate(
        total=Count("id"),
        **{level: Count("id", filter=Q(level=level)) for level in ProcedureLevel.values},
        waiting=Count("id", filter=Q(processing_time_unit="")),
    )
    stdout.write(
        f"  danh mục công bố: {counts['total']} thủ tục (tỉnh {counts['province']}, "
        f"huyện {counts['district']}, xã {counts['commune']}); {changed + admin} dòng thay đổi; "
        f"{counts['waiting']} thủ tục chờ quản trị viên nhập thời hạn"
    )
