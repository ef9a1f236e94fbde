"""End-to-end: a birth registration submitted online, supplemented, resolved and looked up.

Playwright (sync API) drives Debian's Chromium against pytest-django's live server. Each step
saves a screenshot under test-artifacts/screenshots/journey/. A second test checks the public
pages and the submission form with axe-core (node_modules/axe-core, installed by `make test`).
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from pypdf import PdfWriter

from dossiers.models import Dossier, DossierStatus
from onestop.models import Desk
from procedures.models import RequiredDocument
from procedures.services import procedure_save
from tests.browser.csp import watch_csp
from tests.conftest import REQUIRE_SERVICES, chromium_path
from tests.factories import DEMO_PASSWORD, make_procedure, make_sector, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots" / "journey"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
CITIZEN_NAME = "Nguyễn Thị Hồng Nhung"


def _pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def journey_data():
    """Real units and desks (onestop.seed_desks), a few procedures, a citizen and a clerk."""
    from onestop import seed_desks

    seed_desks.run(io.StringIO())
    desk = Desk.objects.get(unit__code="26508")  # Phường Thắng Tam, Thành phố Vũng Tàu
    civil = make_sector(code="ho-tich", name="Hộ tịch")
    birth = make_procedure(
        code="1.001193",
        name="Thủ tục đăng ký khai sinh",
        sector=civil,
        processing_time_text="Ngay trong ngày làm việc",
    )
    RequiredDocument.objects.create(
        procedure=birth,
        position=1,
        name="Giấy chứng sinh",
        quantity="1",
        original_or_copy="Bản chính",
    )
    RequiredDocument.objects.create(
        procedure=birth,
        position=2,
        name="Giấy tờ tùy thân của người đi đăng ký khai sinh",
        quantity="1",
        original_or_copy="Bản sao",
    )
    for procedure in (
        birth,
        make_procedure(code="1.000894", name="Thủ tục đăng ký kết hôn", sector=civil),
        make_procedure(code="1.000656", name="Thủ tục đăng ký khai tử", sector=civil),
    ):
        procedure_save(procedure=procedure)
    citizen = make_user(
        username="nhung",
        full_name=CITIZEN_NAME,
        cccd="077190001234",
        phone="0912345678",
        email="nhung@example.vn",
        address="12 Hoàng Hoa Thám, Phường Thắng Tam, TP Vũng Tàu",
    )
    clerk = make_user(username="canbo.thangtam", role="clerk", full_name="Lê Văn Tiếp", desk=desk)
    return {"desk": desk, "birth": birth, "citizen": citizen, "clerk": clerk}


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
        # ORM calls made while Playwright runs get their own connection; close it, or
        # PostgreSQL cannot drop the test database at the end of the session.
        connections.close_all()


def _page(browser, *, width: int = 1280):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    watch_csp(context, browser.csp_violations)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()


def _act(page, label: str, fill=None) -> None:
    """Open the action's panel, fill it, confirm, and wait for the success message."""
    panel = page.locator("details.action-panel", has=page.locator("summary", has_text=label))
    panel.locator("summary").click()
    if fill:
        fill(panel)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success, .messages").first.is_visible(), page.content()[:3000]


def test_journey_birth_registration_reaches_returned_when_citizen_and_clerk_follow_it(
    live_server, journey_data, browser, tmp_path
):
    base = live_server.url
    first_pdf = _pdf(tmp_path / "giay-chung-sinh.pdf")
    second_pdf = _pdf(tmp_path / "cccd-nguoi-di-dang-ky.pdf")

    # 1. The citizen searches the catalog and opens the procedure.
    citizen = _page(browser)
    home = citizen.goto(f"{base}/")
    assert "script-src 'self'" in home.headers["content-security-policy"]
    citizen.fill("#header-search", "đăng ký khai sinh")
    citizen.press("#header-search", "Enter")
    citizen.wait_for_load_state()
    _shot(citizen, "01-tim-thu-tuc")
    citizen.get_by_role("link", name=re.compile("Thủ tục đăng ký khai sinh")).first.click()
    citizen.wait_for_load_state()
    _shot(citizen, "02-trang-thu-tuc")

    # 2. "Nộp hồ sơ trực tuyến" asks for a login, then opens the step form.
    citizen.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    citizen.fill("#id_username", "nhung")
    citizen.fill("#id_password", DEMO_PASSWORD)
    citizen.click("form.form button[type=submit]")
    citizen.wait_for_url(re.compile(r"/ho-so/nop/1\.001193/"))
    assert citizen.input_value("#id_applicant_name") == CITIZEN_NAME
    citizen.select_option("#id_desk", str(journey_data["desk"].pk))
    declaration = {
        "child_name": "Trần Hồng Phúc",
        "child_birth_date": "20/11/2026",
        "child_nationality": "Việt Nam",
        "child_birth_place": "Bệnh viện Lê Lợi, TP Vũng Tàu",
        "child_hometown": "Vũng Tàu",
        "father_name": "Trần Văn Hùng",
        "father_birth_date": "15/01/1990",
        "father_nationality": "Việt Nam",
        "father_residence": "Phường Thắng Tam",
        "father_id_number": "077090001111",
        "mother_birth_date": "02/02/1992",
        "mother_nationality": "Việt Nam",
    }
    for name, value in declaration.items():
        citizen.fill(f"#id_tk-{name}", value)
    choices = {
        "child_sex": "nu",
        "child_ethnicity": "Kinh",
        "father_ethnicity": "Kinh",
        "mother_ethnicity": "Kinh",
        "requester_relation": "me",  # the mother's own block fills itself
    }
    for name, value in choices.items():
        citizen.select_option(f"#id_tk-{name}", value)
    assert citizen.input_value("#id_tk-mother_name") == CITIZEN_NAME
    continue_button = citizen.get_by_role("button", name="Tiếp tục: xem lại hồ sơ")
    assert continue_button.is_disabled()
    for slot, path in (("Giấy chứng sinh", first_pdf), ("Giấy tờ tùy thân", second_pdf)):
        upload = citizen.locator("[data-upload-slot]", has_text=slot)
        upload.locator("input[type=file]").set_input_files(str(path))
        upload.locator("[data-uploaded] .file-item").wait_for()
    citizen.wait_for_function("!document.querySelector('[data-needs-files]').disabled")
    assert citizen.locator("[data-uploaded] .file-item").count() == 2
    _shot(citizen, "03-nop-ho-so-tep-dinh-kem")
    continue_button.click()
    citizen.wait_for_url(re.compile(r"/xem-lai/"))
    citizen.check("#id_confirm")
    _shot(citizen, "04-xem-lai")
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    citizen.wait_for_url(re.compile(r"/bien-nhan/"))
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.NEW and dossier.documents.count() == 2
    assert citizen.locator("[data-dossier-code]").inner_text() == dossier.code
    assert "giay-chung-sinh.pdf" in citizen.content()
    receipt = citizen.request.get(f"{base}/ho-so/{dossier.code}/mau-1/")
    assert receipt.headers["content-type"] == "application/pdf"
    _shot(citizen, "05-bien-nhan")

    # 3. The commune clerk receives it, sends it for processing and asks for a supplement.
    clerk = _page(browser)
    _login(clerk, base, "canbo.thangtam")
    clerk.goto(f"{base}/ho-so/mot-cua/")
    _shot(clerk, "06-mot-cua-hang-doi")
    clerk.get_by_role("link", name=dossier.code).click()
    clerk.wait_for_load_state()
    _shot(clerk, "07-mot-cua-ho-so")
    _act(clerk, "Tiếp nhận hồ sơ")
    _act(clerk, "Chuyển xử lý")

    def supplement(panel):
        panel.locator("input[name$=item_document_0]").fill("Giấy chứng sinh")
        panel.locator("input[name$=item_reason_0]").fill("Bản chụp bị mờ, đề nghị chụp lại rõ nét")

    _act(clerk, "Yêu cầu bổ sung hồ sơ", supplement)
    _shot(clerk, "08-yeu-cau-bo-sung")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.SUPPLEMENT_REQUESTED

    # 4. The citizen answers the supplement request from "Hồ sơ của tôi".
    citizen.goto(f"{base}/ho-so/cua-toi/")
    _shot(citizen, "09-ho-so-cua-toi")
    citizen.get_by_role("link", name=dossier.code).click()
    citizen.wait_for_load_state()
    assert "Bản chụp bị mờ" in citizen.content()
    _act(
        citizen,
        "Nộp bổ sung hồ sơ",
        lambda panel: panel.locator("input[type=file]").set_input_files(str(first_pdf)),
    )
    _shot(citizen, "10-da-bo-sung")

    # 5. The clerk resolves it and returns the result.
    clerk.reload()

    def resolve(panel):
        panel.get_by_label("Giải quyết (có kết quả)").check()
        panel.locator("textarea").first.fill("Đã cấp Giấy khai sinh bản chính")

    _act(clerk, "Hoàn thành giải quyết", resolve)
    _act(clerk, "Trả kết quả")
    _shot(clerk, "11-da-tra-ket-qua")
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED

    # 6. Anyone with the code and the last 4 digits of the phone sees "Đã trả kết quả".
    public = _page(browser, width=375)
    public.goto(f"{base}/ho-so/tra-cuu/?code={dossier.code}")
    public.fill("#id_verifier", "5678")
    public.get_by_role("button", name="Tra cứu").click()
    public.wait_for_load_state()
    assert public.locator("[data-status]").inner_text() == "Đã trả kết quả"
    assert CITIZEN_NAME not in public.content()
    _shot(public, "12-tra-cuu-375px")


AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe_problems(page) -> list[str]:
    # Evaluated through the DevTools protocol: an added <script> tag would (rightly) be
    # refused by the portal's Content-Security-Policy.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_pages_have_no_serious_axe_violations_when_checked_in_chromium(
    live_server, journey_data, browser
):
    if not AXE.exists():
        if REQUIRE_SERVICES:
            pytest.fail("node_modules/axe-core is missing: run `npm install` (make test does).")
        pytest.skip("axe-core is not installed (node_modules/axe-core): run `npm install`.")
    base = live_server.url
    page = _page(browser)
    problems: list[str] = []
    for path in (
        "/",
        "/thu-tuc/?q=đăng+ký+khai+sinh",
        "/thu-tuc/1.001193/",
        "/ho-so/tra-cuu/",
        "/ho-so/tra-cuu/?code=X&verifier=1234",
    ):
        page.goto(base + path)
        problems += _axe_problems(page)
    _login(page, base, "nhung")
    page.goto(f"{base}/ho-so/nop/1.001193/")
    problems += _axe_problems(page)
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()
    problems += _axe_problems(page)
    assert not problems, "\n".join(problems)
    page.set_viewport_size({"width": 375, "height": 800})
    _shot(page, "13-nop-ho-so-loi-375px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
