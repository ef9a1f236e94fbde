"""Demo step 1: the province's real administrative units and one one-stop desk per unit."""

from typing import TextIO

from django.conf import settings

from onestop.models import AdministrativeUnit
from onestop.services import desks_create_for_province, units_load_file

# Landline area code of Bà Rịa - Vũng Tàu, for the demo desks' phone numbers.
PHONE_AREA_CODE = "0254"


def run(stdout: TextIO) -> None:
    units = units_load_file(path=None, province_code=None)
    province = AdministrativeUnit.objects.get(code=settings.PORTAL_PROVINCE_CODE)
    desks = desks_create_for_province(
        province=province,
        province_agency_code=settings.PORTAL_PROVINCE_AGENCY_CODE,
        phone_area_code=PHONE_AREA_CODE,
    )
    levels = ", ".join(f"{level}: {count}" for level, count in units.by_level.items())
    stdout.write(
        f"  Đơn vị hành chính: {units.total} ({levels}); mới {units.created}, "
        f"cập nhật {units.updated}.\n"
        f"  Bộ phận một cửa: mới {desks.created}, cập nhật {desks.updated}, "
        f"giữ nguyên {desks.unchanged}; quầy mới {desks.counters_created}.\n"
    )
