"""Feedback pages and the VNeID button in Chromium at 375 px: axe-clean, CSP-clean, no sideways
scrolling; a citizen sends feedback with a file through the real form and gets a code."""

import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from pypdf import PdfWriter

from accounts.models import Role
from feedback.models import Feedback, FeedbackStatus
from tests.browser.csp import watch_csp
from tests.browser.test_journey import axe_problems
from tests.conftest import REQUIRE_SERVICES, chromium_path
from tests.factories import make_agency, make_desk, make_feedback, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(django_settings.BASE_DIR) / "test-artifacts" / "screenshots" / "feedback"
AXE = Path(django_settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


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


def _check(page, name: str) -> list[str]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    problems = axe_problems(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 375:
        problems.append(f"{page.url}: {width} px wide at a 375 px viewport")
    return problems


def _signed_in(context, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def test_feedback_pages_are_accessible_and_csp_clean_at_375px(
    live_server, browser, csp_violations, settings, tmp_path
):
    if not AXE.exists():
        if REQUIRE_SERVICES:
            pytest.fail("node_modules/axe-core is missing: run `npm install` (make test does).")
        pytest.skip("axe-core is not installed (node_modules/axe-core): run `npm install`.")
    settings.OIDC_PROVIDERS = {
        "vneid": {
            "discovery_url": "http://127.0.0.1:9/.well-known/openid-configuration",
            "client_id": "portal",
        }
    }
    base = live_server.url
    province = make_unit(name="Tỉnh thử")
    desk = make_desk(unit=make_unit(parent=province, name="Phường thử"), name="Một cửa Phường thử")
    published = make_feedback(
        desk=desk, is_public=True, status=FeedbackStatus.ANSWERED, answer="Đã bổ sung ghế chờ."
    )
    published.published_at = published.received_at
    published.save()
    pdf = tmp_path / "anh-chup.pdf"
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    pdf.write_bytes(buffer.getvalue())

    context = watch_csp(
        browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800}),
        csp_violations,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    problems: list[str] = []

    page.goto(base + "/dang-nhap/")
    assert page.get_by_role("link", name="Đăng nhập bằng VNeID").is_visible()
    problems += _check(page, "01-dang-nhap-vneid")

    page.goto(base + "/phan-anh/")
    problems += _check(page, "02-gui-phan-anh")
    page.get_by_role("radio", name="Kiến nghị").check()
    page.get_by_role("radio", name="Một bộ phận một cửa").check()
    page.get_by_label("Bộ phận một cửa liên quan").select_option(str(desk.pk))
    page.get_by_label("Tiêu đề").fill("Đề nghị thêm ghế chờ")
    page.get_by_label("Nội dung", exact=True).fill("Buổi sáng thiếu ghế ở khu vực chờ.")
    page.get_by_label("Tệp đính kèm").set_input_files(str(pdf))
    page.get_by_label("Họ và tên người gửi").fill("Nguyễn Văn An")
    page.get_by_label("Số điện thoại di động").fill("0912345678")
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    page.wait_for_url("**/phan-anh/da-gui/")
    code = page.locator("[data-feedback-code]").inner_text()
    feedback = Feedback.objects.get(code=code)
    assert feedback.attachments.count() == 1 and feedback.desk == desk
    problems += _check(page, "03-da-gui")

    page.goto(f"{base}/phan-anh/tra-cuu/?code={code}&verifier=5678")
    assert "Đề nghị thêm ghế chờ" in page.content()
    problems += _check(page, "04-tra-cuu")

    page.goto(base + "/phan-anh/cong-khai/")
    assert "Đã bổ sung ghế chờ." in page.content()
    assert "Đề nghị thêm ghế chờ" not in page.content()
    problems += _check(page, "05-cong-khai")

    staff = watch_csp(
        browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800}),
        csp_violations,
    )
    _signed_in(staff, base, make_user(role=Role.CLERK, desk=desk, username="canbo"))
    staff_page = staff.new_page()
    staff_page.goto(base + "/mot-cua/phan-anh/")
    problems += _check(staff_page, "06-can-bo-danh-sach")
    staff_page.goto(f"{base}/mot-cua/phan-anh/{feedback.pk}/")
    problems += _check(staff_page, "07-can-bo-tra-loi")
    staff_page.get_by_label("Nội dung trả lời").fill("Đã bố trí thêm 10 ghế.")
    staff_page.get_by_role("button", name="Gửi trả lời").click()
    staff_page.wait_for_load_state()
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED
    # Feedback an agency answers: the desk's clerk may only re-route it.
    agency = make_agency(unit=desk.unit, name="Phòng Tư pháp thử")
    routed = make_feedback(desk=desk, agency=agency, title="Chậm cấp bản sao")
    staff_page.goto(f"{base}/mot-cua/phan-anh/{routed.pk}/")
    assert staff_page.get_by_label("Cơ quan trả lời").is_visible()
    problems += _check(staff_page, "07b-can-bo-chuyen-co-quan")
    staff_page.get_by_label("Cơ quan trả lời").select_option("")
    staff_page.get_by_role("button", name="Chuyển", exact=True).click()
    staff_page.wait_for_load_state()
    routed.refresh_from_db()
    assert routed.agency is None

    citizen = watch_csp(
        browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800}),
        csp_violations,
    )
    sender = make_user(username="congdan")
    make_feedback(desk=desk, sender=sender, title="Phản ánh của tôi gửi", agency=agency)
    _signed_in(citizen, base, sender)
    citizen_page = citizen.new_page()
    citizen_page.goto(base + "/phan-anh/cua-toi/")
    assert "Phản ánh của tôi gửi" in citizen_page.content()
    problems += _check(citizen_page, "09-phan-anh-cua-toi")

    leader = watch_csp(
        browser.new_context(locale="vi-VN", viewport={"width": 375, "height": 800}),
        csp_violations,
    )
    _signed_in(leader, base, make_user(role=Role.LEADER, unit=province, username="lanhdao"))
    leader_page = leader.new_page()
    leader_page.goto(base + "/mot-cua/phan-anh/thong-ke/")
    assert "Một cửa Phường thử" in leader_page.content()
    problems += _check(leader_page, "08-lanh-dao-so-lieu")

    assert not problems, "\n".join(problems)
