import io

import pytest

from accounts.models import Role
from onestop import seed_desks
from onestop.models import Desk
from tests.factories import make_user


@pytest.mark.django_db
def test_home_shows_entry_points_and_desk_count_when_desks_exist(client):
    seed_desks.run(io.StringIO())
    page = client.get("/").content.decode()
    for text in [
        "Tỉnh Bà Rịa - Vũng Tàu",
        "Cổng Dịch vụ công",
        'action="/thu-tuc/"',
        'href="/ho-so/tra-cuu/"',
        'href="/ho-so/nop/"',
        'href="/mot-cua/thong-ke/"',
        'href="/ho-so/mot-cua/"',
        "Đăng nhập",
        "Đăng ký",
    ]:
        assert text in page
    assert '<span class="stat-value">91</span>' in page
    assert 'aria-current="page">Trang chủ' in page


@pytest.mark.django_db
def test_header_shows_name_role_and_logout_when_signed_in(client):
    user = make_user(role=Role.CLERK, full_name="Lê Thị Ngọc Ánh")
    client.force_login(user)
    page = client.get("/").content.decode()
    assert "Lê Thị Ngọc Ánh" in page
    assert "(Cán bộ một cửa)" in page
    assert 'action="/dang-xuat/" method="post"' in page
    assert '<li class="nav-staff">' in page


@pytest.mark.django_db
def test_header_hides_the_desk_link_when_citizen(client):
    client.force_login(make_user(role=Role.CITIZEN))
    assert '<li class="nav-staff">' not in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/dang-nhap/", "/dang-ky/", "/quen-mat-khau/"])
def test_account_pages_have_labelled_fields_when_rendered(client, url):
    page = client.get(url).content.decode()
    assert page.count("<label for=") >= 1
    assert 'class="required"' in page


@pytest.mark.django_db
def test_admin_pages_render_in_vietnamese_when_an_admin_opens_them(client):
    seed_desks.run(io.StringIO())
    admin = make_user(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    index = client.get("/admin/").content.decode()
    assert "Quản trị Cổng Dịch vụ công" in index
    desk = Desk.objects.get(unit__code="747")
    for url in [
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/onestop/administrativeunit/",
        "/admin/onestop/desk/",
        f"/admin/onestop/desk/{desk.pk}/change/",
        "/admin/onestop/agency/",
        f"/admin/onestop/administrativeunit/{desk.unit.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/onestop/administrativeunit/add/").status_code == 403
