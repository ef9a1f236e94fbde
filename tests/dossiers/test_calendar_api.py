"""/api/v1/calendar/: public reads, administrator writes, Vietnamese validation errors."""

from datetime import date

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from dossiers.models import CalendarDay, CalendarDayKind
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/api/v1/calendar/"


@pytest.fixture
def admin_client() -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role=Role.ADMIN))
    return client


def _row(day: date, kind: str = CalendarDayKind.DAY_OFF, name: str = "Nghỉ") -> CalendarDay:
    return CalendarDay.objects.create(date=day, kind=kind, name=name)


def test_calendar_list_returns_law_and_rows_when_anonymous() -> None:
    _row(date(2026, 1, 2), name="Nghỉ hoán đổi Tết Dương lịch")
    response = APIClient().get(URL, {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2026
    by_date = {day["date"]: day for day in body["days"]}
    assert by_date["2026-01-02"] == {
        "date": "2026-01-02",
        "kind": "day_off",
        "kind_label": "Ngày nghỉ (lễ, nghỉ bù)",
        "name": "Nghỉ hoán đổi Tết Dương lịch",
        "editable": True,
    }
    assert by_date["2026-02-17"]["name"] == "Tết Nguyên đán (Mùng một Tết)"
    assert by_date["2026-02-17"]["editable"] is False
    assert by_date["2026-08-22"]["kind"] == "working_day"


def test_calendar_list_rejects_year_when_not_a_number() -> None:
    response = APIClient().get(URL, {"year": "hai nghìn"})
    assert response.status_code == 400
    assert response.json() == {"year": ["Năm không hợp lệ."]}


def test_calendar_create_adds_row_when_admin(admin_client: APIClient) -> None:
    response = admin_client.post(
        URL,
        {"date": "10/01/2026", "kind": "working_day", "name": "Làm bù cho ngày 02/01/2026"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["date"] == "2026-01-10"
    row = CalendarDay.objects.get()
    assert (row.date, row.kind) == (date(2026, 1, 10), CalendarDayKind.WORKING_DAY)


def test_calendar_create_allows_superuser_when_role_is_not_admin() -> None:
    client = APIClient()
    client.force_authenticate(make_user(role=Role.CLERK, is_superuser=True))
    response = client.post(
        URL, {"date": "2026-03-13", "kind": "day_off", "name": "Nghỉ"}, format="json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.CLERK, Role.DESK_HEAD, Role.LEADER])
def test_calendar_create_forbidden_when_not_admin(role: str) -> None:
    client = APIClient()
    client.force_authenticate(make_user(role=role))
    response = client.post(
        URL, {"date": "2026-03-13", "kind": "day_off", "name": "Nghỉ"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Chỉ quản trị hệ thống mới được sửa lịch ngày nghỉ, ngày làm bù."
    )
    assert not CalendarDay.objects.exists()


def test_calendar_create_requires_login_when_anonymous() -> None:
    response = APIClient().post(
        URL, {"date": "2026-03-13", "kind": "day_off", "name": "Nghỉ"}, format="json"
    )
    assert response.status_code == 401
    assert not CalendarDay.objects.exists()


def test_calendar_create_returns_vietnamese_error_when_date_duplicate(
    admin_client: APIClient,
) -> None:
    _row(date(2026, 3, 13))
    response = admin_client.post(
        URL, {"date": "2026-03-13", "kind": "day_off", "name": "Lần hai"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"date": ["Ngày 13/03/2026 đã có trong lịch; hãy sửa dòng đã có."]}


def test_calendar_create_returns_vietnamese_errors_when_fields_invalid(
    admin_client: APIClient,
) -> None:
    response = admin_client.post(
        URL, {"date": "31/02/2026", "kind": "holiday", "name": ""}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "date": ["Ngày không hợp lệ: dùng dạng YYYY-MM-DD hoặc dd/mm/yyyy."],
        "kind": [
            "Loại ngày không hợp lệ: dùng “day_off” (ngày nghỉ) hoặc “working_day” "
            "(ngày làm việc bù)."
        ],
        "name": ["Vui lòng nhập lý do (tên ngày nghỉ hoặc ngày làm bù)."],
    }


def test_calendar_day_get_returns_row_or_404_when_by_date() -> None:
    _row(date(2026, 3, 13), name="Nghỉ theo tỉnh")
    assert APIClient().get(f"{URL}2026-03-13/").json()["name"] == "Nghỉ theo tỉnh"
    assert APIClient().get(f"{URL}2026-03-14/").status_code == 404
    assert APIClient().get(f"{URL}13-03-2026/").status_code == 404


def test_calendar_day_put_replaces_kind_and_name_when_admin(admin_client: APIClient) -> None:
    _row(date(2026, 3, 7), kind=CalendarDayKind.WORKING_DAY, name="Bù")
    response = admin_client.put(
        f"{URL}2026-03-07/",
        {"kind": "working_day", "name": "Làm bù cho ngày 13/03/2026"},
        format="json",
    )
    assert response.status_code == 200
    assert CalendarDay.objects.get().name == "Làm bù cho ngày 13/03/2026"


def test_calendar_day_put_requires_every_field_when_not_partial(admin_client: APIClient) -> None:
    _row(date(2026, 3, 7), kind=CalendarDayKind.WORKING_DAY, name="Bù")
    response = admin_client.put(f"{URL}2026-03-07/", {"name": "Chỉ lý do"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"kind": ["Vui lòng chọn loại ngày."]}


def test_calendar_day_patch_changes_name_only_when_admin(admin_client: APIClient) -> None:
    _row(date(2026, 3, 13), name="Nghỉ")
    response = admin_client.patch(
        f"{URL}2026-03-13/", {"name": "Nghỉ theo quyết định của tỉnh"}, format="json"
    )
    assert response.status_code == 200
    row = CalendarDay.objects.get()
    assert (row.kind, row.name) == (CalendarDayKind.DAY_OFF, "Nghỉ theo quyết định của tỉnh")


def test_calendar_day_patch_returns_vietnamese_error_when_change_is_meaningless(
    admin_client: APIClient,
) -> None:
    _row(date(2026, 3, 13), name="Nghỉ")  # a Friday
    response = admin_client.patch(f"{URL}2026-03-13/", {"kind": "working_day"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"date": ["Ngày 13/03/2026 vốn đã là ngày làm việc."]}


def test_calendar_day_delete_removes_row_when_admin(admin_client: APIClient) -> None:
    _row(date(2026, 3, 13))
    assert admin_client.delete(f"{URL}2026-03-13/").status_code == 204
    assert not CalendarDay.objects.exists()
    assert admin_client.delete(f"{URL}2026-03-13/").status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_calendar_day_writes_forbidden_when_not_admin(method: str) -> None:
    _row(date(2026, 3, 13), name="Nghỉ")
    client = APIClient()
    client.force_authenticate(make_user(role=Role.CLERK))
    response = getattr(client, method)(
        f"{URL}2026-03-13/", {"kind": "day_off", "name": "Đổi"}, format="json"
    )
    assert response.status_code == 403
    assert CalendarDay.objects.get().name == "Nghỉ"
