"""Desk floor in a real browser: a kiosk ticket shows on the board, a call shows within 2 s.

Playwright drives Debian's Chromium against pytest-django's live server. Screenshots go to
test-artifacts/screenshots/desk-floor/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from onestop.models import Counter, QueueTicket, ServiceGroup
from tests.browser.csp import watch_csp
from tests.conftest import chromium_path
from tests.factories import make_desk, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots" / "desk-floor"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--lang=vi-VN",
]


@pytest.fixture
def floor():
    """A commune desk with two groups and two counters, and a clerk of that desk."""
    unit = make_unit(code="26506", name="Phường 1", short_name="Phường 1", type_label="Phường")
    desk = make_desk(unit=unit, name="Bộ phận một cửa UBND Phường 1")
    counter1 = desk.counters.get(number=1)
    counter2 = Counter.objects.create(desk=desk, number=2, name="Quầy 2")
    civil = ServiceGroup.objects.create(desk=desk, prefix="A", name="Hộ tịch")
    land = ServiceGroup.objects.create(desk=desk, prefix="C", name="Đất đai - Xây dựng")
    civil.counters.set([counter1, counter2])
    land.counters.set([counter2])
    clerk = make_user(role="clerk", desk=desk, username="canbo.phuong1")
    return {"desk": desk, "counter": counter1, "clerk": clerk}


@pytest.fixture
def browser(monkeypatch, csp_violations):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test
    # between browser steps are plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        # Every context these tests open reports CSP violations (tests/browser/csp.py).
        chromium.csp_violations = csp_violations
        yield chromium
        chromium.close()


def _context(browser, *, width: int = 1280, height: int = 900):
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
    )
    return watch_csp(context, browser.csp_violations)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_board_shows_kiosk_ticket_then_counter_call_within_two_seconds_without_reload(
    live_server, floor, browser
):
    from playwright.sync_api import expect

    base = live_server.url
    desk, counter = floor["desk"], floor["counter"]

    board = _context(browser, width=1600, height=900).new_page()
    board.goto(f"{base}/mot-cua/{desk.pk}/bang-hien-thi/")
    board.evaluate("window.__boardMarker = 'same-document'")
    _shot(board, "01-board-empty")

    kiosk = _context(browser, width=1080, height=1920).new_page()
    kiosk.goto(f"{base}/mot-cua/{desk.pk}/lay-so/")
    _shot(kiosk, "02-kiosk")
    kiosk.get_by_role("button", name="Hộ tịch").click()
    expect(kiosk.locator("#ticket-code")).to_have_text("A001")
    _shot(kiosk, "03-ticket-80mm")
    assert QueueTicket.objects.get().code == "A001"

    waiting = board.locator("[data-board-waiting] li", has_text="A001")
    expect(waiting).to_be_visible(timeout=3000)
    _shot(board, "04-board-waiting")

    client = Client()
    client.force_login(floor["clerk"])
    clerk_context = _context(browser)
    clerk_context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    counter_page = clerk_context.new_page()
    counter_page.goto(f"{base}/mot-cua/quay/{counter.pk}/")
    counter_page.get_by_role("button", name="Gọi số tiếp theo").click()
    expect(counter_page.locator("[data-current-code]")).to_have_text("A001")
    _shot(counter_page, "05-counter-called")

    at_counter = board.locator(f'[data-counter-id="{counter.pk}"] [data-ticket-code]')
    expect(at_counter).to_have_text("A001", timeout=2000)
    expect(waiting).to_have_count(0)
    assert board.evaluate("window.__boardMarker") == "same-document"
    _shot(board, "06-board-called")
