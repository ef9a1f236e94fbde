"""The province's published catalog built from the real data, and the rule behind it."""

import datetime
import io

import pytest

from procedures import seed_catalog
from procedures.models import OnlineLevel, Procedure, ProcedureLevel, TimeUnit
from procedures.seed_catalog import CatalogRow, classify, decide

pytestmark = pytest.mark.django_db


def row(code: str, **overrides) -> CatalogRow:
    values = {
        "code": code,
        "name": "Thủ tục mẫu",
        "sector": "Hộ tịch",
        "levels": ("Cấp xã",),
        "agency_text": "",
        "channels": frozenset({"direct", "online", "postal"}),
    }
    values.update(overrides)
    return CatalogRow(**values)


def test_classify_maps_back_district_sectors_when_record_is_post_2025():
    business = row(
        "1.001612",
        name="Đăng ký thành lập hộ kinh doanh",
        levels=("Cấp bộ", "Cấp xã"),
        sector="Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
    )
    foreign = row("2.000528", name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài")
    house = row(
        "1.1",
        name="Cấp giấy phép xây dựng nhà ở riêng lẻ",
        sector="Hoạt động xây dựng",
        levels=("Cấp tỉnh", "Cấp xã"),
    )
    land = row("1.2", name="Đăng ký biến động đất đai", sector="Đất đai")
    assert [classify(r) for r in (business, foreign, house, land)] == [
        (1, ProcedureLevel.DISTRICT)
    ] * 4
    assert classify(row("1.001193", name="Thủ tục đăng ký khai sinh")) == (
        1,
        ProcedureLevel.COMMUNE,
    )
    assert classify(row("3", levels=("Cấp tỉnh",))) == (1, ProcedureLevel.PROVINCE)
    assert classify(row("4", sector="Hải quan")) == (1, ProcedureLevel.PROVINCE)


def test_classify_never_publishes_ministry_record_when_no_local_office_named():
    assert classify(row("5", levels=("Cấp bộ",), agency_text="Cục Hàng không Việt Nam"))[0] is None
    assert classify(row("6", levels=("Cấp bộ",), agency_text="Công an tỉnh, Cục quản lý"))[0] == 3
    steps_only = row("7", levels=("Cấp bộ",), agency_text="Bộ Tư pháp", steps="Nộp tại Sở Tư pháp")
    assert classify(steps_only)[0] == 4


def test_decide_publishes_target_in_tier_then_code_order_when_too_many_candidates():
    rows = [
        row("1.3"),
        row("1.1"),
        row("2.1", levels=("Cấp bộ",), agency_text="Sở Tư pháp"),
        row("9.9", levels=("Cấp bộ",), agency_text="Bộ Tư pháp"),
    ]
    decisions = decide(rows, target=2)
    assert {c for c, d in decisions.items() if d.is_published} == {"1.1", "1.3"}
    decisions = decide(rows, target=3)
    assert {c for c, d in decisions.items() if d.is_published} == {"1.1", "1.3", "2.1"}
    assert not decide(rows, target=10)["9.9"].is_published


def test_decide_retires_old_record_when_coded_record_has_same_name():
    rows = [
        row("1.001193", name="Thủ tục đăng ký khai sinh"),
        row(
            "BRVT.0A1B2C3D",
            name="Thủ tục đăng ký khai sinh",
            levels=(),
            agency_text="Ủy ban nhân dân xã",
        ),
    ]
    decisions = decide(rows)
    assert decisions["BRVT.0A1B2C3D"].is_active is False
    assert decisions["BRVT.0A1B2C3D"].is_published is False


def test_decide_sets_online_level_from_channels_when_published_or_not():
    rows = [
        row("1"),
        row("2", channels=frozenset({"direct", "online"})),
        row("3", channels=frozenset({"direct"})),
        row("4", channels=frozenset({"direct"}), levels=("Cấp bộ",)),
    ]
    decisions = decide(rows)
    assert [decisions[c].online_level for c in "1234"] == [
        OnlineLevel.FULL,
        OnlineLevel.PARTIAL,
        OnlineLevel.PARTIAL,
        OnlineLevel.NONE,
    ]


def test_seed_catalog_publishes_1911_and_changes_nothing_when_run_twice(client):
    out = io.StringIO()
    seed_catalog.run(out)
    assert Procedure.objects.count() == 2727  # 2,729 records, two exact duplicates skipped
    body = client.get("/api/v1/procedures/").json()
    assert body["count"] == 1911
    split = {
        level: client.get("/api/v1/procedures/", {"level": level}).json()["count"]
        for level in ProcedureLevel.values
    }
    assert sum(split.values()) == 1911 and min(split.values()) > 50
    assert not Procedure.objects.filter(is_published=True, online_level=OnlineLevel.NONE).exists()

    first = client.get("/api/v1/procedures/", {"q": "dang ky khai sinh"}).json()["results"]
    assert first[0]["code"] == "1.001193"
    names = [r["name"] for r in first]
    assert "Thủ tục đăng ký khai sinh có yếu tố nước ngoài" in names
    first = client.get("/api/v1/procedures/", {"q": "ĐĂNG KÝ KẾT HÔN"}).json()["results"]
    assert first[0]["code"] == "1.000894"

    birth = Procedure.objects.get(code="1.001193")
    assert (birth.level, birth.processing_time_unit, birth.same_day_cutoff) == (
        ProcedureLevel.COMMUNE,
        TimeUnit.SAME_DAY,
        datetime.time(15, 0),
    )
    assert Procedure.objects.get(code="1.000894").accepts_dossiers
    assert Procedure.objects.get(code="1.001612").level == ProcedureLevel.DISTRICT

    stamps = dict(Procedure.objects.values_list("code", "updated_at"))
    state = list(
        Procedure.objects.order_by("code").values_list(
            "code", "level", "is_published", "online_level", "same_day_cutoff", "is_active"
        )
    )
    again = io.StringIO()
    seed_catalog.run(again)
    assert "tạo 0, cập nhật 0, không đổi 2727" in again.getvalue()
    assert "; 0 dòng thay đổi;" in again.getvalue()
    assert dict(Procedure.objects.values_list("code", "updated_at")) == stamps
    assert (
        list(
            Procedure.objects.order_by("code").values_list(
                "code", "level", "is_published", "online_level", "same_day_cutoff", "is_active"
            )
        )
        == state
    )
