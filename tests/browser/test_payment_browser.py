"""A citizen pays a fee in the local sandbox gateway and opens the e-receipt, on a 375 px
screen, under the portal's Content-Security-Policy, with axe-core on every page of the way."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from dossiers.models import Dossier, DossierStatus
from payments.models import Payment
from tests.browser.test_journey import AXE, _login, _page, axe_problems, browser  # noqa: F401
from tests.conftest import REQUIRE_SERVICES
from tests.payments.payment_world import awaiting_payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots" / "payment"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_citizen_pays_fee_in_sandbox_and_sees_receipt_when_on_a_phone(
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    settings,
):
    if not AXE.exists():
        if REQUIRE_SERVICES:
            pytest.fail("node_modules/axe-core is missing: run `npm install` (make test does).")
        pytest.skip("axe-core is not installed (node_modules/axe-core): run `npm install`.")
    settings.PORTAL_BASE_URL = live_server.url
    world, dossier = awaiting_payment(now=timezone.now() - datetime.timedelta(hours=4))
    base = live_server.url
    page = _page(browser, width=375)
    _login(page, base, world.citizen.username)
    page.goto(f"{base}/ho-so/cua-toi/{dossier.code}/")
    problems = axe_problems(page)
    page.get_by_role("link", name="Thanh toán trực tuyến").click()
    page.wait_for_load_state()
    assert "200.000" in page.locator("[data-amount]").inner_text()
    _fits(page)
    problems += axe_problems(page)
    _shot(page, "01-phi-can-nop-375px")
    page.get_by_role("button", name="Thanh toán qua VNPAY").click()
    page.wait_for_url("**/sandbox-vnpay/**")
    assert "200.000 VND" in page.locator("[data-amount]").inner_text()
    _fits(page)
    problems += axe_problems(page)
    _shot(page, "02-cong-thanh-toan-thu-nghiem-375px")
    page.get_by_role("button", name="Xác nhận thanh toán").click()
    page.wait_for_url("**/thanh-toan/vnpay/tra-ve/**")
    assert "Thanh toán thành công" in page.locator("[data-payment-result]").inner_text()
    _fits(page)
    problems += axe_problems(page)
    _shot(page, "03-ket-qua-375px")
    link = page.get_by_role("link", name="Xem biên lai điện tử")
    receipt = page.request.get(base + link.get_attribute("href"))
    assert receipt.status == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.PROCESSING
    assert Payment.objects.get(dossier=dossier).status == "paid"
    page.goto(f"{base}/ho-so/cua-toi/{dossier.code}/")
    assert page.get_by_role("link", name="Biên lai điện tử").count() == 1
    assert not problems, "\n".join(problems)


def test_leader_reads_sync_reconciliation_when_on_a_phone(
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
):
    if not AXE.exists():
        if REQUIRE_SERVICES:
            pytest.fail("node_modules/axe-core is missing: run `npm install` (make test does).")
        pytest.skip("axe-core is not installed (node_modules/axe-core): run `npm install`.")
    world, dossier = awaiting_payment(now=timezone.now() - datetime.timedelta(hours=4))
    base = live_server.url
    page = _page(browser, width=375)
    _login(page, base, world.leader.username)
    page.goto(f"{base}/mot-cua/dong-bo/")
    assert page.locator(f'[data-dossier="{dossier.code}"]').count() == 1  # never sent (sync off)
    assert page.locator("[data-sync-indicator]").inner_text().startswith("0/1")
    _fits(page)
    problems = axe_problems(page)
    _shot(page, "04-doi-soat-dong-bo-375px")
    page.goto(f"{base}/sandbox-dvcqg/")
    _fits(page)
    problems += axe_problems(page)
    assert not problems, "\n".join(problems)
