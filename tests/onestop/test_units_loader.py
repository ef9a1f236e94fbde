import json

import pytest
from django.core.management import CommandError, call_command

from onestop.models import AdministrativeUnit, UnitLevel
from onestop.services import UnitDataError, units_load, units_load_file


def _counts() -> dict[str, int]:
    return {
        level: AdministrativeUnit.objects.filter(level=level).count() for level in UnitLevel.values
    }


@pytest.mark.django_db
def test_units_load_file_loads_the_real_province_when_called_without_arguments():
    result = units_load_file()
    assert result.created == 91
    assert _counts() == {"province": 1, "district": 8, "commune": 82}
    ward = AdministrativeUnit.objects.get(code="26508")
    assert ward.name == "Phường Thắng Tam"
    assert ward.type_label == "Phường"
    assert ward.parent.code == "747"
    assert ward.path == "77/747/26508"
    assert AdministrativeUnit.objects.get(code="755").children.count() == 0  # Côn Đảo


@pytest.mark.django_db
def test_units_load_file_changes_nothing_when_run_twice():
    units_load_file()
    before = list(AdministrativeUnit.objects.values_list("pk", "code", "name", "path", "parent"))
    result = units_load_file()
    assert (result.created, result.updated, result.unchanged) == (0, 0, 91)
    assert (
        list(AdministrativeUnit.objects.values_list("pk", "code", "name", "path", "parent"))
        == before
    )


@pytest.mark.django_db
def test_units_load_updates_by_code_when_a_name_changes():
    units_load_file()
    pk = AdministrativeUnit.objects.get(code="754").pk
    data = {
        "province": {
            "code": "77",
            "name": "Tỉnh Bà Rịa - Vũng Tàu",
            "short_name": "Bà Rịa - Vũng Tàu",
            "type": "Tỉnh",
        },
        "districts": [
            {
                "code": "754",
                "name": "Thành phố Phú Mỹ",
                "short_name": "Phú Mỹ",
                "type": "Thành phố",
                "communes": [],
            }
        ],
    }
    result = units_load(data=data)
    assert result.updated == 1
    unit = AdministrativeUnit.objects.get(code="754")
    assert (unit.pk, unit.name, unit.type_label) == (pk, "Thành phố Phú Mỹ", "Thành phố")


@pytest.mark.django_db
def test_load_units_command_loads_a_two_tier_province_when_communes_hang_off_the_province(
    tmp_path,
):
    data = {
        "as_of": "2025-07-01",
        "province": {
            "code": "79",
            "name": "Thành phố Hồ Chí Minh",
            "short_name": "Hồ Chí Minh",
            "type": "Thành phố Trung ương",
        },
        "communes": [
            {"code": "26734", "name": "Phường Sài Gòn", "short_name": "Sài Gòn", "type": "Phường"},
            {
                "code": "26506",
                "name": "Phường Vũng Tàu",
                "short_name": "Vũng Tàu",
                "type": "Phường",
            },
            {
                "code": "28756",
                "name": "Đặc khu Côn Đảo",
                "short_name": "Côn Đảo",
                "type": "Đặc khu",
            },
        ],
    }
    path = tmp_path / "two-tier.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    call_command("load_units", str(path), "--province", "79")
    assert _counts() == {"province": 1, "district": 0, "commune": 3}
    ward = AdministrativeUnit.objects.get(code="26506")
    assert ward.level == UnitLevel.COMMUNE
    assert ward.parent.code == "79"
    assert ward.path == "79/26506"
    special = AdministrativeUnit.objects.get(code="28756")
    assert special.type_label == "Đặc khu"


@pytest.mark.django_db
def test_load_units_command_loads_another_province_when_given_its_code():
    call_command("load_units", "--province", "95")
    province = AdministrativeUnit.objects.get(code="95")
    assert province.name == "Tỉnh Bạc Liêu"
    assert _counts() == {"province": 1, "district": 7, "commune": 64}
    assert all(
        unit.path.startswith("95/") for unit in AdministrativeUnit.objects.exclude(code="95")
    )


@pytest.mark.django_db
def test_units_load_file_keeps_both_provinces_when_a_second_is_loaded():
    units_load_file()
    units_load_file(province_code="95")
    assert AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).count() == 2
    assert AdministrativeUnit.objects.count() == 91 + 72


@pytest.mark.django_db
def test_units_load_raises_when_the_province_code_is_unknown():
    with pytest.raises(UnitDataError, match="Không có tỉnh mã 99"):
        units_load_file(province_code="99")


@pytest.mark.django_db
def test_units_load_raises_when_the_file_holds_another_province():
    with pytest.raises(UnitDataError, match="không phải tỉnh mã 79"):
        units_load(
            data={"province": {"code": "77", "name": "Tỉnh X", "type": "Tỉnh"}, "districts": []},
            province_code="79",
        )


@pytest.mark.django_db
def test_load_units_command_fails_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("load_units", str(tmp_path / "none.json"))
