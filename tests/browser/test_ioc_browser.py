"""The operations-centre wall and the open-data page in Chromium: the province leader sees the
at-risk list; axe-core finds no serious or critical violation; no CSP violation."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from dossiers.models import DossierStatus
from ioc.models import DossierRisk
from tests.browser.csp import watch_csp
from tests.conftest import chromium_path
from tests.factories import make_desk, make_dossier, make_unit, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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


def axe_problems(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_wall_shows_the_at_risk_list_to_the_province_leader_when_opened_in_chromium(
    live_server, browser, csp_violations
):
    province = make_unit(name="Tỉnh Bà Rịa - Vũng Tàu")
    desk = make_desk(unit=province)
    leader = make_user(role=Role.LEADER, unit=province, username="lanhdao.tinh")
    now = timezone.now()
    dossier = make_dossier(
        desk=desk,
        status=DossierStatus.PROCESSING,
        received_at=now - dt.timedelta(days=3),
        due_at=now + dt.timedelta(days=3),
    )
    DossierRisk.objects.create(
        dossier=dossier,
        desk=desk,
        risk=0.92,
        scored_at=now,
        reasons=[{"code": "elapsed", "percent": 85}],
    )
    client = Client()
    client.force_login(leader)
    context = watch_csp(browser.new_context(locale="vi-VN"), csp_violations)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/mot-cua/dieu-hanh/")
    item = page.locator("#ioc-risk-list li").first
    item.wait_for()
    assert dossier.code in item.inner_text() and "92%" in item.inner_text()
    assert axe_problems(page) == []
    page.goto(live_server.url + "/du-lieu-mo/")
    page.wait_for_load_state("networkidle")
    assert axe_problems(page) == []
