"""Registration, sign-in by any identifier, throttling, logout, password reset, profile."""

import re

import pytest
from django.core import mail

from accounts.models import Role, User
from tests.factories import DEMO_PASSWORD, make_commune, make_user

REGISTRATION = {
    "full_name": "  Trần   Thị Bình ",
    "cccd": "077190000123",
    "phone": "+84 912 345 678",
    "email": "Binh.Tran@Example.vn",
    "password1": "Khai@sinh2022",
    "password2": "Khai@sinh2022",
    "address": "12 Hoàng Hoa Thám",
}


@pytest.fixture(autouse=True)
def _residence(request, monkeypatch) -> None:
    """Registration asks for the commune of residence: one exists for tests that use the db."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        monkeypatch.setitem(REGISTRATION, "residence", make_commune().pk)


@pytest.fixture
def citizen(db) -> User:
    return make_user(
        username="tranbinh", cccd="077190000123", phone="0912345678", email="binh@example.vn"
    )


@pytest.mark.django_db
def test_register_creates_a_signed_in_citizen_when_the_form_is_valid(client):
    response = client.post("/dang-ky/", REGISTRATION)
    assert response.status_code == 302
    user = User.objects.get(cccd="077190000123")
    assert user.username == "077190000123"
    assert user.full_name == "Trần Thị Bình"
    assert user.phone == "0912345678"
    assert user.email == "binh.tran@example.vn"
    assert user.role == Role.CITIZEN
    assert client.get("/tai-khoan/").status_code == 200


@pytest.mark.django_db
def test_register_shows_vietnamese_errors_when_cccd_and_phone_are_invalid(client):
    response = client.post(
        "/dang-ky/", {**REGISTRATION, "cccd": "099190000123", "phone": "0241234567"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ba chữ số đầu của số CCCD (099)" in page
    assert "Đầu số 024 không phải đầu số di động Việt Nam" in page
    assert not User.objects.exists()


@pytest.mark.django_db
def test_register_refuses_when_cccd_phone_or_email_is_taken(client, citizen):
    response = client.post("/dang-ky/", {**REGISTRATION, "email": "BINH@example.vn"})
    page = response.content.decode()
    assert "Số CCCD này đã được đăng ký" in page
    assert "Số điện thoại này đã được dùng" in page
    assert "Thư điện tử này đã được dùng" in page
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_register_refuses_when_passwords_differ(client):
    response = client.post("/dang-ky/", {**REGISTRATION, "password2": "Khac@mat123"})
    assert "Hai mật khẩu không khớp." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "identifier", ["tranbinh", "077190000123", "0912345678", "+84 912 345 678", "BINH@example.vn"]
)
def test_login_signs_in_when_identifier_is_username_cccd_phone_or_email(
    client, citizen, identifier
):
    response = client.post("/dang-nhap/", {"username": identifier, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user == citizen


@pytest.mark.django_db
def test_login_shows_a_vietnamese_error_when_password_is_wrong(client, citizen):
    response = client.post("/dang-nhap/", {"username": "tranbinh", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Thông tin đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_login_is_refused_even_with_the_right_password_when_failures_exceed_the_limit(
    client, citizen, settings
):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post("/dang-nhap/", {"username": "077190000123", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "077190000123", "password": DEMO_PASSWORD})
    page = response.content.decode()
    assert "Bạn đã đăng nhập sai quá nhiều lần" in page
    assert re.search(r"thử lại sau \d+ phút \(lúc \d\d:\d\d\)", page)
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_login_counts_one_person_when_identifier_spellings_differ(client, citizen, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    client.post("/dang-nhap/", {"username": "0912345678", "password": "sai"})
    client.post("/dang-nhap/", {"username": "+84912345678", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "0912 345 678", "password": DEMO_PASSWORD})
    assert "Bạn đã đăng nhập sai quá nhiều lần" in response.content.decode()


@pytest.mark.django_db
def test_login_is_refused_when_one_address_fails_for_many_identifiers(client, citizen, settings):
    settings.LOGIN_FAILURE_LIMIT = 100
    settings.LOGIN_FAILURE_IP_LIMIT = 3
    for n in range(3):
        client.post("/dang-nhap/", {"username": f"khong-co-{n}", "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "tranbinh", "password": DEMO_PASSWORD})
    assert "Bạn đã đăng nhập sai quá nhiều lần" in response.content.decode()
    other_address = client.post(
        "/dang-nhap/",
        {"username": "tranbinh", "password": DEMO_PASSWORD},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_login_forgets_failures_when_sign_in_succeeds(client, citizen, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    client.post("/dang-nhap/", {"username": "tranbinh", "password": "sai"})
    assert (
        client.post("/dang-nhap/", {"username": "tranbinh", "password": DEMO_PASSWORD}).status_code
        == 302
    )
    client.post("/dang-xuat/")
    client.post("/dang-nhap/", {"username": "tranbinh", "password": "sai"})
    assert (
        client.post("/dang-nhap/", {"username": "tranbinh", "password": DEMO_PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_logout_signs_out_when_posted(client, citizen):
    client.force_login(citizen)
    assert client.get("/dang-xuat/").status_code == 405
    response = client.post("/dang-xuat/")
    assert response.status_code == 302
    assert client.get("/tai-khoan/").status_code == 302


@pytest.mark.django_db
def test_password_reset_mails_a_working_link_when_email_is_registered(client, citizen):
    response = client.post("/quen-mat-khau/", {"email": "binh@example.vn"})
    assert response.status_code == 302
    assert response.url == "/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Đặt lại mật khẩu tài khoản Cổng Dịch vụ công"
    assert "Kính gửi Nguyễn Văn" in message.body
    link = re.search(r"https?://[^/]+(/quen-mat-khau/\S+/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Moi@matkhau2022", "new_password2": "Moi@matkhau2022"},
    )
    assert response.status_code == 302
    assert response.url == "/quen-mat-khau/hoan-tat/"
    citizen.refresh_from_db()
    assert citizen.check_password("Moi@matkhau2022")


@pytest.mark.django_db
def test_password_reset_sends_nothing_when_email_is_unknown(client, citizen):
    client.post("/quen-mat-khau/", {"email": "khongco@example.vn"})
    assert mail.outbox == []


@pytest.mark.django_db
def test_profile_updates_contact_details_when_valid(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/",
        {
            "full_name": "Trần Thị Bình",
            "phone": "+84 977 000 111",
            "email": "b@example.vn",
            "address": "12 Lê Lợi, Phường 1, Vũng Tàu",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.phone, citizen.email) == ("0977000111", "b@example.vn")


@pytest.mark.django_db
def test_profile_requires_login_when_anonymous(client):
    response = client.get("/tai-khoan/")
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/")


@pytest.mark.django_db
def test_pages_render_in_vietnamese_when_browser_asks_for_english(client):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_pages_render_in_english_when_the_visitor_chose_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"


# --- address once, and back to where the person was going (issue 13) --------------------------

FORM_URL = "/ho-so/nop/1.001193/"


@pytest.mark.django_db
def test_register_stores_the_commune_and_street_when_the_form_is_valid(client):
    client.post("/dang-ky/", REGISTRATION)
    user = User.objects.get(cccd="077190000123")
    assert user.residence_id == REGISTRATION["residence"]
    assert user.full_address == (
        "12 Hoàng Hoa Thám, Phường Thắng Tam, Thành phố Vũng Tàu, Tỉnh Bà Rịa - Vũng Tàu"
    )


@pytest.mark.django_db
def test_register_offers_communes_grouped_by_district_when_the_page_opens(client):
    page = client.get("/dang-ky/").content.decode()
    assert 'optgroup label="Thành phố Vũng Tàu — Tỉnh Bà Rịa - Vũng Tàu"' in page
    assert "data-unit-picker" in page and "Phường Thắng Tam" in page


@pytest.mark.django_db
def test_register_asks_for_the_commune_when_it_is_missing(client):
    response = client.post("/dang-ky/", {**REGISTRATION, "residence": ""})
    assert response.status_code == 200
    assert not User.objects.filter(cccd=REGISTRATION["cccd"]).exists()
    assert "Trường này là bắt buộc" in response.content.decode()


@pytest.mark.django_db
def test_login_page_carries_next_to_the_registration_link_when_sent_from_a_form(client):
    page = client.get(f"/dang-nhap/?next={FORM_URL}").content.decode()
    assert 'href="/dang-ky/?next=%2Fho-so%2Fnop%2F1.001193%2F"' in page


@pytest.mark.django_db
def test_register_returns_to_next_when_it_is_on_this_site(client):
    page = client.get(f"/dang-ky/?next={FORM_URL}").content.decode()
    assert f'name="next" value="{FORM_URL}"' in page
    response = client.post("/dang-ky/", {**REGISTRATION, "next": FORM_URL})
    assert response.status_code == 302 and response["Location"] == FORM_URL


@pytest.mark.parametrize(
    "target", ["https://evil.example/ho-so/", "//evil.example/", "http://testserver.evil/"]
)
@pytest.mark.django_db
def test_register_goes_home_when_next_leaves_the_site(client, target):
    response = client.post("/dang-ky/", {**REGISTRATION, "next": target})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_login_returns_to_next_when_it_is_on_this_site(client, citizen):
    response = client.post(
        "/dang-nhap/", {"username": citizen.cccd, "password": DEMO_PASSWORD, "next": FORM_URL}
    )
    assert response.status_code == 302 and response["Location"] == FORM_URL


@pytest.mark.django_db
def test_login_goes_home_when_next_leaves_the_site(client, citizen):
    response = client.post(
        "/dang-nhap/",
        {"username": citizen.cccd, "password": DEMO_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


@pytest.mark.django_db
def test_form_page_sends_an_anonymous_visitor_to_sign_in_with_next_when_opened(client):
    response = client.get(FORM_URL)
    assert response.status_code == 302
    assert response["Location"] == "/dang-nhap/?next=/ho-so/nop/1.001193/"


@pytest.mark.django_db
def test_profile_changes_the_commune_when_another_is_chosen(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/",
        {
            "full_name": citizen.full_name,
            "email": "b@example.vn",
            "residence": REGISTRATION["residence"],
            "address": "5 Lê Lợi",
        },
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.residence_id == REGISTRATION["residence"] and citizen.address == "5 Lê Lợi"
