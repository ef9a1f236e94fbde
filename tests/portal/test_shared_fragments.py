"""The shell's shared fragments (banner, footer, assistant panel): rendered once per process,
language and day with DEBUG off, each page still carrying its own visitor's CSRF token."""

import re

import pytest
from django.test import Client
from django.test.signals import template_rendered

from portal.templatetags import portal_tags

pytestmark = pytest.mark.django_db

FOOTER = "includes/footer.html"


@pytest.fixture
def debug_off(settings):
    settings.DEBUG = False
    portal_tags._shared_fragments.clear()
    yield
    portal_tags._shared_fragments.clear()


@pytest.fixture
def rendered_templates():
    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))


def test_shared_fragments_render_once_per_language_when_debug_off(debug_off, rendered_templates):
    vietnamese = Client().get("/thu-tuc/").content.decode()
    Client().get("/thu-tuc/")
    english_client = Client()
    english_client.cookies["django_language"] = "en"
    english = english_client.get("/thu-tuc/").content.decode()
    english_client.get("/thu-tuc/")
    assert rendered_templates.count(FOOTER) == 2  # Vietnamese once, English once
    assert rendered_templates.count("includes/banner.html") == 2
    assert "Cơ quan chủ quản: Ủy ban nhân dân tỉnh" in vietnamese
    assert "Cổng Dịch vụ công" in vietnamese and "Trợ lý ảo" in vietnamese
    assert "Public Service Portal" in english and "Cơ quan chủ quản" not in english


def test_shared_fragment_renders_every_time_when_debug_on(settings, rendered_templates):
    settings.DEBUG = True
    Client().get("/thu-tuc/")
    Client().get("/thu-tuc/")
    assert rendered_templates.count(FOOTER) == 2


def test_assistant_panel_carries_each_visitors_csrf_token_when_shared(debug_off):
    pages = [Client().get("/thu-tuc/").content.decode() for _ in range(2)]
    first, second = (_tokens(page) for page in pages)
    # One token per page (the language switch's and the panel's forms), each visitor their own.
    assert len(first) == 1 and len(second) == 1
    assert first != second
    assert portal_tags._CSRF_MARK not in pages[0] + pages[1]
    assert pages[0].count('name="csrfmiddlewaretoken"') == 2


def test_shared_fragment_writes_no_token_field_when_the_page_has_no_token(debug_off):
    from django.template import Context

    html = portal_tags.shared_fragment(Context({}), "assistant/includes/panel_body.html")
    assert "Trợ lý ảo" in html
    assert "csrfmiddlewaretoken" not in html and portal_tags._CSRF_MARK not in html


def test_assistant_panel_form_posts_with_the_token_of_a_shared_fragment(debug_off):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/thu-tuc/").content.decode()
    (token,) = _tokens(page)
    answer = {"csrfmiddlewaretoken": token, "message": "làm giấy khai sinh", "conversation": ""}
    assert client.post("/tro-ly-ao/", answer).status_code == 200
    answer["csrfmiddlewaretoken"] = "x" * 64
    assert client.post("/tro-ly-ao/", answer).status_code == 403


def test_shared_fragments_follow_the_site_names_when_settings_change(debug_off, settings):
    Client().get("/thu-tuc/")
    settings.PORTAL_SITE_NAME = "Cổng Dịch vụ công thử nghiệm"
    footer = Client().get("/thu-tuc/").content.decode().split('class="site-footer"')[1]
    assert "Cổng Dịch vụ công thử nghiệm" in footer
