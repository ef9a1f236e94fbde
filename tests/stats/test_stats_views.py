"""Leaders' dashboard, its exports and the stats API: scope, figures, bounded queries."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Role
from onestop.models import AdministrativeUnit
from stats.forms import StatsFilterForm, stats_default_filter
from stats.selectors import StatsScope, stats_summary_raw
from stats.services import rollup_rebuild
from stats.views import export_filename
from tests.factories import make_user
from tests.stats.stats_builders import TZ, make_province, make_random_dossiers

NOW = dt.datetime(2026, 4, 10, 10, 0, tzinfo=TZ)
QUERY = {"period": "custom", "from": "01/03/2026", "to": "30/04/2026"}


@pytest.fixture
def world(db):
    world = make_province()
    make_random_dossiers(world, count=300, start=dt.datetime(2026, 3, 1, 6, tzinfo=TZ), days=40)
    rollup_rebuild(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 5, 31), now=NOW)
    return world


def _leader(unit):
    return make_user(role=Role.LEADER, unit=unit)


@pytest.mark.django_db
def test_dashboard_shows_levels_when_province_leader(client, world, django_assert_max_num_queries):
    client.force_login(_leader(world["province"]))
    # 17 on main before the feature-app figures (the returns analysis and the desk floor
    # each read once), plus one per figure a feature app adds through stats.hooks (feedback).
    with django_assert_max_num_queries(18):
        response = client.get("/mot-cua/thong-ke/", QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    raw = stats_summary_raw(
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 4, 30),
        scope=StatsScope(unit=world["province"]),
        now=NOW,
    )
    commune = raw["levels"]["commune"]
    assert f"Đã giải quyết {commune['resolved']}/{commune['received']} hồ sơ" in body
    assert "Quyết định 766/QĐ-TTg" in body
    assert "vendor/chartjs/chart.umd.min.js" in body
    for district in world["districts"]:
        assert district.name in body


@pytest.mark.django_db
def test_dashboard_drills_down_to_procedures_when_commune(client, world):
    client.force_login(_leader(world["districts"][0]))
    commune = world["communes"][0]
    response = client.get("/mot-cua/thong-ke/", {**QUERY, "unit": commune.code})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chi tiết theo thủ tục" in body
    assert world["procedures"][2].code in body


@pytest.mark.django_db
def test_dashboard_returns_404_when_leader_asks_another_district(client, world):
    client.force_login(_leader(world["districts"][0]))
    assert client.get("/mot-cua/thong-ke/", {"unit": world["districts"][1].code}).status_code == 404
    assert client.get("/mot-cua/thong-ke/", {"unit": world["province"].code}).status_code == 404
    other_commune = world["communes"][2]
    assert client.get("/mot-cua/thong-ke/", {"unit": other_commune.code}).status_code == 404


@pytest.mark.django_db
def test_dashboard_forbidden_when_not_leader(client, world):
    client.force_login(make_user(role=Role.CLERK))
    assert client.get("/mot-cua/thong-ke/").status_code == 403
    assert client.get("/api/v1/stats/summary/").status_code in (401, 403)


@pytest.mark.django_db
def test_dashboard_redirects_to_login_when_anonymous(client, world):
    response = client.get("/mot-cua/thong-ke/")
    assert response.status_code == 302


@pytest.mark.django_db
def test_dashboard_rejects_custom_period_when_from_after_to(client, world):
    client.force_login(make_user(role=Role.ADMIN))
    response = client.get(
        "/mot-cua/thong-ke/", {"period": "custom", "from": "02/03/2026", "to": "01/03/2026"}
    )
    assert response.status_code == 200
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in response.content.decode()


@pytest.mark.django_db
def test_export_xlsx_and_csv_match_dashboard_when_district(client, world):
    district = world["districts"][1]
    client.force_login(_leader(district))
    raw = stats_summary_raw(
        date_from=dt.date(2026, 3, 1),
        date_to=dt.date(2026, 4, 30),
        scope=StatsScope(unit=district),
        now=NOW,
    )["total"]
    response = client.get("/mot-cua/thong-ke/xuat.xlsx", {**QUERY, "unit": district.code})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    total_row = next(row for row in rows if row[0] == "Tổng cộng")
    assert total_row[1] == raw["received"]
    assert total_row[3] == raw["resolved"]
    response = client.get("/mot-cua/thong-ke/xuat.csv", {**QUERY, "unit": district.code})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    total_row = next(row for row in rows if row[0] == "Tổng cộng")
    assert int(total_row[5]) == raw["resolved_late"]
    assert client.get("/mot-cua/thong-ke/xuat.pdf").status_code == 404


@pytest.mark.django_db
def test_export_csv_uses_semicolons_decimal_commas_and_a_bom_when_downloaded(client, world):
    client.force_login(_leader(world["province"]))
    response = client.get("/mot-cua/thong-ke/xuat.csv", QUERY)
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header = rows[1]
    assert header[0] == "Phạm vi" and len(header) == 12
    total_row = next(row for row in rows if row[0] == "Tổng cộng")
    rate = total_row[header.index("Tỷ lệ đúng hạn (%)")]
    assert "," in rate and "." not in rate
    float(rate.replace(",", "."))  # a number, written the Vietnamese way
    # The figures table ends at the first blank row; the returns analysis (ioc) follows it.
    table = rows[1 : rows.index([])] if [] in rows else rows[1:]
    assert len(table) > 2 and all(len(row) == 12 for row in table)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_file_name_carries_unit_and_period_when_downloaded(client, world, fmt):
    client.force_login(_leader(world["province"]))
    response = client.get(f"/mot-cua/thong-ke/xuat.{fmt}", QUERY)
    disposition = response["Content-Disposition"]
    assert world["province"].name == "Tỉnh Bà Rịa - Vũng Tàu"
    assert disposition == (
        f'attachment; filename="thong-ke_tinh-ba-ria-vung-tau_2026-03-01_2026-04-30.{fmt}"'
    )
    assert disposition.isascii()


def test_export_filename_is_ascii_when_the_unit_name_has_d_with_stroke():
    unit = AdministrativeUnit(name="Huyện Đất Đỏ")
    data = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 6, 30), "desk_only": True}
    assert (
        export_filename(unit=unit, data=data, extension="xlsx")
        == "thong-ke_huyen-dat-do_mot-cua_2026-01-01_2026-06-30.xlsx"
    )
    whole = export_filename(unit=None, data={**data, "desk_only": False}, extension="csv")
    assert whole == "thong-ke_toan-tinh_2026-01-01_2026-06-30.csv"


@pytest.mark.django_db
def test_dashboard_keeps_the_chosen_filter_and_says_why_when_the_range_is_inverted(client, world):
    district = world["districts"][0]
    client.force_login(_leader(world["province"]))
    response = client.get(
        "/mot-cua/thong-ke/",
        {"period": "custom", "from": "30/04/2026", "to": "01/03/2026", "unit": district.code},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in body
    assert "Kỳ đã chọn chưa dùng được" in body
    assert '<option value="custom" selected>' in body
    assert (
        'name="from" type="text" inputmode="numeric" placeholder="dd/mm/yyyy" value="30/04/2026"'
        in body
    )
    assert 'value="01/03/2026"' in body
    assert f'<option value="{district.code}" selected>' in body


@pytest.mark.django_db
@pytest.mark.parametrize("scope_key", ["province", "district", "desk"])
def test_stats_summary_api_equals_raw_recount_when_scoped(world, scope_key):
    api = APIClient()
    admin = make_user(role=Role.ADMIN)
    api.force_authenticate(admin)
    params = {"from": "2026-03-05", "to": "2026-04-20"}
    scope = StatsScope()
    if scope_key == "district":
        params["unit"] = world["districts"][0].code
        scope = StatsScope(unit=world["districts"][0])
    elif scope_key == "desk":
        params.update(unit=world["province"].code, desk_only="true")
        scope = StatsScope(unit=world["province"], desk_only=True)
    response = api.get("/api/v1/stats/summary/", params)
    assert response.status_code == 200, response.content
    data = response.json()
    raw = stats_summary_raw(
        date_from=dt.date(2026, 3, 5), date_to=dt.date(2026, 4, 20), scope=scope, now=NOW
    )
    keys = [
        "received",
        "resolved",
        "resolved_on_time",
        "resolved_late",
        "on_time_rate",
        "pending",
        "pending_overdue",
        "received_online",
    ]
    for level, figures in data["levels"].items():
        for key in keys:
            assert figures[key] == raw["levels"][level][key], (level, key)
        assert figures["resolved_on_time"] + figures["resolved_late"] == figures["resolved"]
    for key in keys:
        assert data["total"][key] == raw["total"][key], key
    assert (
        data["total"]["resolved_on_time"] + data["total"]["resolved_late"]
        == (data["total"]["resolved"])
    )


@pytest.mark.django_db
def test_stats_summary_api_returns_one_level_when_level_given(world):
    api = APIClient()
    api.force_authenticate(_leader(world["province"]))
    response = api.get("/api/v1/stats/summary/", {**QUERY, "level": "district"})
    assert response.status_code == 200
    data = response.json()
    assert list(data["levels"]) == ["district"]
    assert data["total"] == data["levels"]["district"]
    assert api.get("/api/v1/stats/summary/", {"level": "bogus"}).status_code == 400


@pytest.mark.django_db
def test_stats_summary_api_returns_404_when_unit_outside_scope(world):
    api = APIClient()
    api.force_authenticate(_leader(world["districts"][0]))
    response = api.get("/api/v1/stats/summary/", {"unit": world["districts"][1].code})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"period": "month", "year": 2026, "month": 2},
            (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ),
        (
            {"period": "quarter", "year": 2026, "quarter": 3},
            (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        ),
        ({"period": "6m", "year": 2022}, (dt.date(2022, 1, 1), dt.date(2022, 6, 30))),
        ({"period": "9m", "year": 2022}, (dt.date(2022, 1, 1), dt.date(2022, 9, 30))),
        ({"period": "year", "year": 2024}, (dt.date(2024, 1, 1), dt.date(2024, 12, 31))),
        ({"from": "05/03/2026", "to": "20/04/2026"}, (dt.date(2026, 3, 5), dt.date(2026, 4, 20))),
    ],
)
def test_stats_filter_form_returns_period_bounds_when_period_given(params, expected):
    form = StatsFilterForm(params, today=dt.date(2026, 11, 26))
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["date_from"], form.cleaned_data["date_to"]) == expected


@pytest.mark.django_db
def test_stats_summary_api_uses_bounded_queries_when_many_desks(
    world, django_assert_max_num_queries
):
    api = APIClient()
    api.force_authenticate(make_user(role=Role.ADMIN))
    with django_assert_max_num_queries(4):
        response = api.get("/api/v1/stats/summary/", {"period": "year", "year": 2026})
    assert response.status_code == 200
    assert response.json()["total"]["received"] == 300


@pytest.mark.django_db
def test_dashboard_shows_floor_figures_of_desks_in_scope_only(client, world):
    from onestop.models import Desk, QueueTicket, ServiceGroup, TicketStatus

    inside = Desk.objects.get(unit=world["districts"][0])
    outside = Desk.objects.get(unit=world["districts"][1])
    day = dt.date(2026, 3, 10)
    for desk, count in ((inside, 3), (outside, 5)):
        group = ServiceGroup.objects.create(desk=desk, prefix="A", name="Hộ tịch")
        for number in range(1, count + 1):
            QueueTicket.objects.create(
                desk=desk,
                group=group,
                day=day,
                number=number,
                code=f"A{number:03d}",
                issued_at=dt.datetime(2026, 3, 10, 8, number, tzinfo=TZ),
                status=TicketStatus.WAITING,
            )
    client.force_login(_leader(world["districts"][0]))

    response = client.get("/mot-cua/thong-ke/", QUERY)

    floor = response.context["floor"]
    assert floor["totals"]["issued"] == 3
    assert [row["desk_name"] for row in floor["rows"]] == [inside.name]
    floor_section = response.content.decode().split('id="floor"')[1].split("</section>")[0]
    assert inside.name in floor_section
    assert outside.name not in floor_section


def test_summary_output_equals_nested_serializer_when_built_flat():
    import datetime as dt

    from stats.api import SummarySerializer, summary_output
    from stats.selectors import stats_figures

    some = stats_figures({"received": 7, "received_online": 3, "resolved_late": 1})
    none = stats_figures({})
    payload = {
        "from": dt.date(2026, 1, 1),
        "to": dt.date(2026, 12, 31),
        "unit": "77",
        "desk_only": False,
        "levels": {"province": some, "district": none, "commune": some},
        "total": some,
    }
    assert summary_output(payload) == SummarySerializer(payload).data


@pytest.mark.django_db(transaction=True)
def test_stats_summary_api_serves_cached_answer_until_a_rollup_refresh(world, settings):
    settings.STATS_CACHE_SECONDS = 300
    api = APIClient()
    api.force_authenticate(make_user(role=Role.ADMIN))
    query = {"period": "year", "year": 2026}
    before = api.get("/api/v1/stats/summary/", query).json()
    district = api.get("/api/v1/stats/summary/", {**query, "unit": world["districts"][0].code})
    assert district.json()["total"]["received"] < before["total"]["received"]  # scopes apart
    new = dt.datetime(2026, 4, 1, 6, tzinfo=TZ)
    make_random_dossiers(world, count=7, start=new, days=2, seed=8)
    assert api.get("/api/v1/stats/summary/", query).json() == before  # cached
    rollup_rebuild(date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30), now=NOW)
    after = api.get("/api/v1/stats/summary/", query).json()
    assert after["total"]["received"] == before["total"]["received"] + 7


@pytest.mark.django_db
def test_stats_summary_api_keeps_each_viewers_scope_when_cached(world, settings):
    settings.STATS_CACHE_SECONDS = 300
    admin, leader = APIClient(), APIClient()
    admin.force_authenticate(make_user(role=Role.ADMIN))
    leader.force_authenticate(_leader(world["districts"][0]))
    other = world["districts"][1].code
    province = admin.get("/api/v1/stats/summary/", QUERY).json()
    assert admin.get("/api/v1/stats/summary/", {**QUERY, "unit": other}).status_code == 200
    own = leader.get("/api/v1/stats/summary/", QUERY).json()
    assert own["unit"] == world["districts"][0].code != province["unit"]
    assert own["total"]["received"] < province["total"]["received"]
    # The admin's cached answer for the other district is not the leader's to read.
    assert leader.get("/api/v1/stats/summary/", {**QUERY, "unit": other}).status_code == 404


@pytest.mark.parametrize(
    "today", [dt.date(2026, 1, 1), dt.date(2026, 11, 26), dt.date(2024, 2, 29)]
)
def test_stats_default_filter_equals_form_when_nothing_is_asked(today):
    form = StatsFilterForm({}, today=today)
    assert form.is_valid()
    assert stats_default_filter(today) == form.cleaned_data
    form = StatsFilterForm({"other": "x"}, today=today)
    assert form.is_valid() and stats_default_filter(today) == form.cleaned_data
