"""The portal's own pages run under its Content-Security-Policy without a single violation.

Pages the journey and desk-floor tests do not open: the leaders' dashboard (Chart.js), the
admin, the desk floor devices and Swagger UI at /api/docs/ (its own, relaxed style policy).
"""

import pytest
from django.test import Client

from accounts.models import Role
from tests.browser.csp import watch_csp
from tests.conftest import chromium_path
from tests.factories import make_desk, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


def test_staff_pages_and_api_docs_have_no_csp_violation_when_opened_in_chromium(
    live_server, browser, csp_violations
):
    base = live_server.url
    desk = make_desk(unit=make_unit(name="Phường 1"))
    admin = make_user(role=Role.ADMIN, is_staff=True, is_superuser=True, username="quantri")
    client = Client()
    client.force_login(admin)
    context = watch_csp(browser.new_context(locale="vi-VN"), csp_violations)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    for path in (
        "/",
        "/mot-cua/thong-ke/",
        f"/mot-cua/{desk.pk}/lay-so/",
        f"/mot-cua/{desk.pk}/bang-hien-thi/",
        f"/tro-ly-ao/may-tra-cuu/{desk.pk}/",
        "/admin/",
        "/admin/dossiers/dossier/?q=abc",
        "/admin/accounts/user/add/",
    ):
        response = page.goto(base + path)
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("networkidle")
    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    assert page.locator(".swagger-ui .opblock").count() > 10
