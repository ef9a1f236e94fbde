"""English mode says everything in English except the catalog's own content (issue 13, item 12)."""

import io

import pytest
from django.utils import translation

from accounts.models import Role
from onestop import seed_desks
from onestop.models import AdministrativeUnit
from onestop.templatetags.unit_tags import unit_in_sentence
from procedures.display import document_copies_label
from tests.factories import make_desk, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_header_and_footer_use_the_english_site_and_province_names_when_english(english):
    seed_desks.run(io.StringIO())
    page = english.get("/").content.decode()
    assert "Public Service Portal of Bà Rịa - Vũng Tàu Province" in page
    assert "People’s Committee of Bà Rịa - Vũng Tàu Province" in page
    assert "of tỉnh" not in page and "Cổng Dịch vụ công tỉnh" not in page
    assert "Announcements" in page


def test_footer_names_the_province_in_a_vietnamese_sentence_when_vietnamese(client):
    page = client.get("/").content.decode()
    assert "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu" in page
    assert "4 số cuối điện thoại hoặc CCCD" in page


@pytest.mark.parametrize(
    ("name", "type_label", "vi", "en"),
    [
        ("Tỉnh Bà Rịa - Vũng Tàu", "Tỉnh", "tỉnh Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu Province"),
        ("Thành phố Vũng Tàu", "Thành phố", "thành phố Vũng Tàu", "Vũng Tàu City"),
        ("Phường Thắng Tam", "Phường", "phường Thắng Tam", "Thắng Tam Ward"),
        ("Thị trấn Phú Mỹ", "Thị trấn", "thị trấn Phú Mỹ", "Phú Mỹ Township"),
    ],
)
def test_unit_in_sentence_puts_the_type_word_right_when_rendered(name, type_label, vi, en):
    unit = AdministrativeUnit(name=name, type_label=type_label)
    with translation.override("vi"):
        assert unit_in_sentence(unit) == vi
    with translation.override("en"):
        assert unit_in_sentence(unit) == en


def test_document_copies_label_translates_the_copy_kind_when_english():
    with translation.override("en"):
        assert document_copies_label(quantity="1", original_or_copy="Bản chính") == (
            "Quantity: 1 · Original"
        )
        # Catalog wording outside the known kinds stays as the catalog wrote it.
        assert document_copies_label(quantity="", original_or_copy="Bản photo") == "Bản photo"
    with translation.override("vi"):
        assert document_copies_label(quantity="1", original_or_copy="Bản chính") == (
            "Số lượng: 1 · Bản chính"
        )


def test_upload_pages_carry_the_script_messages_in_english_when_english(english):
    desk = make_desk()
    english.force_login(make_user(role=Role.CLERK, desk=desk))
    page = english.get("/ho-so/mot-cua/so-theo-doi/").content.decode()
    assert 'data-label-missing="Required documents are missing: %(list)s."' in page
    assert 'data-label-not-sent="not sent yet"' in page
    assert "Lead handling agency" in page and "Cơ quan chủ trì giải quyết" not in page


def test_upload_script_has_no_vietnamese_outside_its_fallbacks_when_read():
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "static/dossiers/js/upload.js").read_text(encoding="utf-8")
    body = script[script.index("function label(") :]
    assert "chưa gửi" not in body and "Còn thiếu" not in body
