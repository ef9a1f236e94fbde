import datetime
import io

import pytest

from onestop import seed_desks
from onestop.models import AdministrativeUnit, Counter, Desk, UnitLevel
from onestop.services import desks_create_for_province, units_load


@pytest.mark.django_db
def test_seed_desks_creates_one_desk_per_unit_when_run_on_the_real_data():
    seed_desks.run(io.StringIO())
    assert Desk.objects.count() == 91
    by_level = {level: Desk.objects.filter(unit__level=level).count() for level in UnitLevel.values}
    assert by_level == {"province": 1, "district": 8, "commune": 82}


@pytest.mark.django_db
def test_seed_desks_names_and_codes_desks_when_run_on_the_real_data():
    seed_desks.run(io.StringIO())
    province = Desk.objects.get(unit__code="77")
    assert province.name == "Trung tâm Phục vụ hành chính công tỉnh Bà Rịa - Vũng Tàu"
    assert province.agency_code == "000.00.00.H02"
    assert province.counters.count() >= 10
    vung_tau = Desk.objects.get(unit__code="747")
    assert vung_tau.name == "Bộ phận tiếp nhận và trả kết quả UBND Thành phố Vũng Tàu"
    assert vung_tau.agency_code == "000.00.01.H02"
    assert Desk.objects.get(unit__code="755").agency_code == "000.00.08.H02"  # Côn Đảo, last
    ward = Desk.objects.get(unit__code="26508")
    assert ward.name == "Bộ phận một cửa UBND Phường Thắng Tam"
    assert ward.agency_code == "000.02.01.H02"
    assert ward.counters.count() == 2
    assert "Phường Thắng Tam" in ward.address and ward.phone.startswith("0254")
    assert (ward.morning_opens, ward.afternoon_closes) == (
        datetime.time(7, 30),
        datetime.time(17, 0),
    )
    for desk in Desk.objects.filter(unit__level=UnitLevel.DISTRICT):
        assert 4 <= desk.counters.count() <= 6


@pytest.mark.django_db
def test_seed_desks_changes_nothing_when_run_twice():
    seed_desks.run(io.StringIO())
    before = (
        list(AdministrativeUnit.objects.values_list("pk", "code", "name", "path")),
        list(Desk.objects.values_list("pk", "unit", "name", "agency_code", "address", "phone")),
        list(Counter.objects.values_list("pk", "desk", "number", "name")),
    )
    out = io.StringIO()
    seed_desks.run(out)
    after = (
        list(AdministrativeUnit.objects.values_list("pk", "code", "name", "path")),
        list(Desk.objects.values_list("pk", "unit", "name", "agency_code", "address", "phone")),
        list(Counter.objects.values_list("pk", "desk", "number", "name")),
    )
    assert after == before
    assert "mới 0, cập nhật 0, giữ nguyên 91" in out.getvalue()


@pytest.mark.django_db
def test_desks_create_for_province_numbers_communes_in_the_district_place_when_two_tier():
    units_load(
        data={
            "province": {"code": "79", "name": "Thành phố Hồ Chí Minh", "type": "Thành phố"},
            "communes": [
                {"code": "26734", "name": "Phường Sài Gòn", "type": "Phường"},
                {"code": "26506", "name": "Phường Vũng Tàu", "type": "Phường"},
            ],
        }
    )
    province = AdministrativeUnit.objects.get(code="79")
    result = desks_create_for_province(province=province, province_agency_code="H29")
    assert result.created == 3
    assert Desk.objects.get(unit__code="26506").agency_code == "000.00.01.H29"
    assert Desk.objects.get(unit__code="26734").agency_code == "000.00.02.H29"
    assert Desk.objects.get(unit__code="26506").name == "Bộ phận một cửa UBND Phường Vũng Tàu"
