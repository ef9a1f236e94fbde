"""Error answers: styled pages in the visitor's language, API errors in the request's language."""

import json

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from accounts.models import Role
from portal.views import server_error
from tests.factories import make_desk, make_user

pytestmark = pytest.mark.django_db


def test_statistics_answers_a_styled_vietnamese_403_when_a_citizen_follows_the_link(client):
    client.force_login(make_user(role=Role.CITIZEN))
    response = client.get("/mot-cua/thong-ke/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="vi">' in page and 'class="site-header"' in page
    assert "Không có quyền truy cập" in page
    assert "Chỉ lãnh đạo và quản trị hệ thống được xem số liệu thống kê." in page
    assert "Forbidden" not in page


def test_desk_figures_answer_a_styled_403_when_a_clerk_of_another_desk_opens_them(client):
    own, other = make_desk(), make_desk()
    client.force_login(make_user(role=Role.CLERK, desk=own))
    response = client.get(f"/mot-cua/{other.pk}/so-lieu-quay/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_403_page_speaks_english_when_the_visitor_chose_english(client):
    client.force_login(make_user(role=Role.CITIZEN))
    client.cookies["django_language"] = "en"
    page = client.get("/mot-cua/thong-ke/").content.decode()
    assert '<html lang="en">' in page and "Access denied" in page
    assert "Public Service Portal of Bà Rịa - Vũng Tàu Province" in page


def test_404_page_is_styled_when_the_address_is_unknown(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_server_error_renders_the_styled_page_when_no_request_context_or_database(
    django_assert_num_queries,
):
    request = RequestFactory().get("/thu-tuc/")
    with django_assert_num_queries(0), translation.override("vi"):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert "Cổng đang gặp sự cố" in page and "Cổng Dịch vụ công tỉnh Bà Rịa - Vũng Tàu" in page


def test_server_error_answers_json_when_the_path_is_the_api():
    with translation.override("vi"):
        response = server_error(RequestFactory().get("/api/v1/dossiers/"))
    assert response.status_code == 500
    assert json.loads(response.content) == {"detail": "Lỗi hệ thống. Vui lòng thử lại sau."}


def test_api_answers_a_vietnamese_401_when_no_credentials_are_sent(client):
    response = client.get("/api/v1/dossiers/mine/")
    assert response.status_code in (401, 403)
    assert response.json()["detail"].startswith("Chưa đăng nhập")


def test_api_answers_in_english_when_the_client_asks_for_english(client):
    response = client.get("/api/v1/dossiers/mine/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    client.cookies["django_language"] = "en"
    response = client.get("/api/v1/dossiers/mine/")
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_api_keeps_vietnamese_when_accept_language_names_no_supported_language(client):
    response = client.get("/api/v1/dossiers/mine/", HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.5")
    assert response.json()["detail"].startswith("Chưa đăng nhập")


def test_pages_ignore_accept_language_when_no_language_was_chosen(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="vi">' in page


def test_api_root_lists_the_endpoints_and_links_the_docs_when_requested(client):
    response = client.get("/api/v1/")
    body = response.json()
    assert response.status_code == 200
    assert body["docs"].endswith(reverse("api-docs"))
    assert body["schema"].endswith(reverse("schema"))
    assert any(url.endswith("/api/v1/auth/token/") for url in body["endpoints"])
    assert any(url.endswith("/api/v1/stats/summary/") for url in body["endpoints"])
    assert not any(url.endswith("/api/v1/") for url in body["endpoints"])
