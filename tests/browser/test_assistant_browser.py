"""The assistant in Chromium: the chat panel at 375 px answers a colloquial question and leads to
the online submission; the assistant page has no serious axe-core violation; no CSP violation
(the `browser` fixture of test_journey fails the test on any)."""

import pytest

from procedures.models import ProcedureLevel
from procedures.retrieval.vectors import vectors_compute
from procedures.services import procedure_save
from tests.browser.csp import watch_csp
from tests.browser.test_journey import AXE, AXE_TAGS, browser, journey_data  # noqa: F401
from tests.conftest import REQUIRE_SERVICES
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assistant_data(journey_data):  # noqa: F811
    birth = journey_data["birth"]
    birth.is_published = True
    birth.level = ProcedureLevel.COMMUNE
    birth.online_level = "full"
    procedure_save(procedure=birth)
    vectors_compute()
    return journey_data


def _phone_page(browser):  # noqa: F811
    context = browser.new_context(
        viewport={"width": 375, "height": 800}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    watch_csp(context, browser.csp_violations)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def test_chat_panel_leads_to_online_submission_when_asked_colloquially_at_375px(
    live_server,
    assistant_data,
    browser,  # noqa: F811
):
    base = live_server.url
    page = _phone_page(browser)
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", "nhung")
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{base}/thu-tuc/")
    page.locator("[data-assistant-toggle]").click()
    page.fill("#assistant-panel-input", "làm giấy khai sinh cho con mới sinh")
    page.keyboard.press("Enter")
    submit = page.locator("#assistant-panel-body a", has_text="Nộp hồ sơ trực tuyến")
    submit.wait_for()
    assert "Thủ tục đăng ký khai sinh" in page.locator("[data-assistant-log]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    submit.click()
    page.wait_for_url("**/ho-so/nop/1.001193/**")
    assert page.locator("h1").first.is_visible()


def test_assistant_page_has_no_serious_axe_violations_when_checked_in_chromium(
    live_server,
    assistant_data,
    browser,  # noqa: F811
):
    if not AXE.exists():
        if REQUIRE_SERVICES:
            pytest.fail("node_modules/axe-core is missing: run `npm install` (make test does).")
        pytest.skip("axe-core is not installed (node_modules/axe-core): run `npm install`.")
    page = _phone_page(browser)
    problems: list[str] = []
    page.goto(f"{live_server.url}/tro-ly-ao/")
    problems += _axe(page)
    page.fill("#assistant-page-input", "báo tử cho bố mới mất")
    page.keyboard.press("Enter")
    page.locator("[data-assistant-log] .assistant-answer").first.wait_for()
    problems += _axe(page)
    assert not problems, "\n".join(problems)


def _axe(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
