"""The clerk's and the leader's pages in a real browser, at 1366 px and on a 375 px phone.

Every page is checked with axe-core (no serious or critical violation) at both widths, and at
375 px no page may be wider than the screen (`scrollWidth`). Screenshots of each page at each
width go to test-artifacts/screenshots/pages/.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts.models import Role
from dossiers.models import Dossier
from onestop.models import Counter, ServiceGroup
from onestop.services.queue import ticket_call_next, ticket_issue, ticket_serve
from stats.services import rollup_rebuild
from tests.browser.csp import watch_csp
from tests.browser.test_journey import AXE, CHROMIUM_ARGS, axe_problems
from tests.conftest import REQUIRE_SERVICES, chromium_path
from tests.factories import make_user
from tests.stats.stats_builders import make_province, make_random_dossiers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots" / "pages"
WIDTHS = (1366, 375)


@pytest.fixture
def floor_world():
    """A province with desks and dossiers, a desk floor with tickets, a clerk and a leader."""
    world = make_province()
    # Mid-morning today, local time: the floor's calls must not straddle midnight.
    now = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(10, 0)))
    make_random_dossiers(world, count=160, start=now - dt.timedelta(days=60), days=58)
    rollup_rebuild(date_from=(now - dt.timedelta(days=70)).date(), date_to=now.date(), now=now)
    desk = world["desks"][world["province"].code]
    counter = desk.counters.get(number=1)
    second = Counter.objects.create(desk=desk, number=2, name="Quầy 2")
    civil = ServiceGroup.objects.create(desk=desk, prefix="A", name="Hộ tịch")
    land = ServiceGroup.objects.create(desk=desk, prefix="C", name="Đất đai - Xây dựng")
    civil.counters.set([counter, second])
    land.counters.set([second])
    for group in (civil, civil, land, civil):
        ticket_issue(desk_id=desk.pk, group_id=group.pk, now=now)
    clerk = make_user(
        username="demo.clerk.province", role=Role.CLERK, desk=desk, full_name="Trần Minh Quang"
    )
    # One number served (the counter's "served today" table, with its link-a-dossier form) and
    # one being served.
    ticket_call_next(counter_id=counter.pk, actor=clerk, now=now)
    ticket_serve(counter_id=counter.pk, now=now + dt.timedelta(minutes=4))
    ticket_call_next(counter_id=counter.pk, actor=clerk, now=now + dt.timedelta(minutes=5))
    leader = make_user(
        username="demo.leader.province",
        role=Role.LEADER,
        unit=world["province"],
        full_name="Võ Thanh Tùng",
    )
    return {"desk": desk, "counter": counter, "clerk": clerk, "leader": leader, **world}


@pytest.fixture
def browser(monkeypatch, csp_violations):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        chromium.csp_violations = csp_violations
        yield chromium
        chromium.close()
        connections.close_all()


def _signed_in_page(browser, base: str, user, *, width: int):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    watch_csp(context, browser.csp_violations)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _check(page, url: str, name: str, width: int) -> list[str]:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}px.png"), full_page=True)
    problems = axe_problems(page)
    if width == 375:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            problems.append(f"{url}: {scroll} px wide at {width} px")
    return problems


def test_staff_pages_pass_axe_and_fit_a_phone_when_clerk_and_leader_open_them(
    live_server, floor_world, browser
):
    if not AXE.exists():
        if REQUIRE_SERVICES:
            pytest.fail("node_modules/axe-core is missing: run `npm install` (make test does).")
        pytest.skip("axe-core is not installed (node_modules/axe-core): run `npm install`.")
    base = live_server.url
    desk, counter = floor_world["desk"], floor_world["counter"]
    district = floor_world["districts"][0]
    dossier = Dossier.objects.filter(desk=desk).exclude(code="").order_by("-received_at").first()
    clerk_pages = {
        "hang-doi-mot-cua": "/ho-so/mot-cua/",
        "thiet-bi": "/mot-cua/thiet-bi/",
        "quay": f"/mot-cua/quay/{counter.pk}/",
        "bang-hien-thi": f"/mot-cua/{desk.pk}/bang-hien-thi/",
        "lay-so": f"/mot-cua/{desk.pk}/lay-so/",
        "kiosk-thu-tuc": f"/mot-cua/{desk.pk}/tra-cuu-thu-tuc/",
        "kiosk-ho-so": f"/mot-cua/{desk.pk}/tra-cuu-ho-so/",
        "so-theo-doi": "/ho-so/mot-cua/so-theo-doi/",
        "ho-so-mot-cua": f"/ho-so/mot-cua/ho-so/{dossier.code}/",
        "thu-tuc": f"/thu-tuc/{dossier.procedure.code}/",
        "linh-vuc": "/thu-tuc/linh-vuc/",
        "so-lieu-quay-403-can-bo": f"/mot-cua/{desk.pk}/so-lieu-quay/",
    }
    leader_pages = {
        "so-lieu-quay": f"/mot-cua/{desk.pk}/so-lieu-quay/",
        "thong-ke": "/mot-cua/thong-ke/",
        "thong-ke-huyen": f"/mot-cua/thong-ke/?unit={district.code}",
        "thong-ke-mot-cua": f"/mot-cua/thong-ke/?unit={district.code}&desk_only=on",
    }
    problems: list[str] = []
    for width in WIDTHS:
        page = _signed_in_page(browser, base, floor_world["clerk"], width=width)
        for name, path in clerk_pages.items():
            problems += _check(page, base + path, name, width)
        page.context.close()
        page = _signed_in_page(browser, base, floor_world["leader"], width=width)
        for name, path in leader_pages.items():
            problems += _check(page, base + path, name, width)
        page.context.close()
    assert not problems, "\n".join(problems)
