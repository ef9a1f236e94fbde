"""English interface: the committed catalog, the language switch and what it changes.

Vietnamese is the source language (every msgid is Vietnamese); English comes from
locale/en/LC_MESSAGES/django.po, compiled into the committed django.mo.
"""

import ast
import gettext
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from onestop import seed_desks
from tests.factories import make_procedure

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"

# (url, English text that must appear, Vietnamese msgid of that text that must not).
PAGE_LABELS = {
    "/": [
        ("For citizens and businesses", "Dành cho công dân, doanh nghiệp"),
        ("Administrative procedures", "Thủ tục hành chính"),
        ("Look up a dossier", "Tra cứu hồ sơ"),
    ],
    "/thu-tuc/": [
        ("Clear filters", "Xóa bộ lọc"),
        ("Level of implementation", "Cấp thực hiện"),
        ("Online service level", "Mức độ trực tuyến"),
    ],
    "/dang-nhap/": [
        ("Forgot your password?", "Quên mật khẩu?"),
        ("No account yet?", "Chưa có tài khoản?"),
        ("Password", "Mật khẩu"),
    ],
    "/ho-so/tra-cuu/": [
        ("Check the status of a dossier", "Tra cứu tình trạng hồ sơ"),
        ("Dossier code", "Mã hồ sơ"),
        ("This page does not show the applicant’s personal information.", "thông tin cá nhân"),
    ],
}
# The site chrome (header, footer) on every page.
CHROME_LABELS = [
    ("Public Service Portal", "Trang chủ"),
    ("Log in", "Đăng nhập"),
    ("Open-source software; the figures shown are sample data.", "Phần mềm nguồn mở"),
]


def _choose_language(client, code: str) -> None:
    response = client.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302


@pytest.fixture
def catalog_data(db) -> None:
    seed_desks.run(io.StringIO())
    make_procedure(name="Đăng ký khai sinh")


@pytest.mark.parametrize("url", list(PAGE_LABELS))
def test_public_pages_show_english_labels_when_visitor_chose_english(client, catalog_data, url):
    _choose_language(client, "en")
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page
    for english, vietnamese in PAGE_LABELS[url] + CHROME_LABELS:
        assert english in page, english
        assert vietnamese not in page, vietnamese


def test_procedure_names_stay_vietnamese_when_visitor_chose_english(client, catalog_data):
    _choose_language(client, "en")
    page = client.get("/thu-tuc/").content.decode()
    assert "Đăng ký khai sinh" in page
    assert "Matching procedures: 1." in page


def test_home_stays_vietnamese_when_browser_asks_for_english(client, catalog_data):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi">' in page
    assert "Dành cho công dân, doanh nghiệp" in page
    assert "For citizens and businesses" not in page


def test_home_returns_to_vietnamese_when_visitor_switches_back(client, catalog_data):
    _choose_language(client, "en")
    assert "For citizens and businesses" in client.get("/").content.decode()
    _choose_language(client, "vi")
    page = client.get("/").content.decode()
    assert "Dành cho công dân, doanh nghiệp" in page
    assert "For citizens and businesses" not in page


def test_home_stays_vietnamese_when_language_cookie_names_an_unoffered_language(
    client, catalog_data
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get("/")
    assert response.headers["Content-Language"] == "vi"
    assert "Dành cho công dân, doanh nghiệp" in response.content.decode()


def test_form_errors_are_english_when_visitor_chose_english(client, catalog_data):
    _choose_language(client, "en")
    page = client.get("/ho-so/tra-cuu/", {"code": "X", "verifier": "ab12"}).content.decode()
    assert "Enter exactly 4 digits." in page
    assert "Nhập đúng 4 chữ số." not in page


def _po_entries(path: Path) -> list[dict]:
    """Entries of a .po file: {"flags", "msgid", "msgid_plural", "msgstr": [...]} (and "msgctxt"
    where a string has a context), header excluded. A minimal reader for what makemessages writes.
    """
    entries, entry, field = [], None, None

    def finish() -> None:
        if entry is not None and entry["msgid"]:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] = (entry[field] or "") + value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr["):
                field = int(keyword[len("msgstr[") : -1])
                entry["msgstr"][field] = value
            elif keyword == "msgstr":
                field = 0
                entry["msgstr"][0] = value
            else:
                field = keyword
                entry[keyword] = value
    return entries


def test_english_catalog_is_complete_when_read():
    entries = _po_entries(LOCALE_DIR / "django.po")
    assert len(entries) > 500
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    assert fuzzy == []
    assert untranslated == []
    plurals = [e for e in entries if e["msgid_plural"]]
    assert plurals and all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_compiled_english_catalog_matches_the_po_when_loaded():
    with open(LOCALE_DIR / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for entry in _po_entries(LOCALE_DIR / "django.po"):
        if entry["msgid_plural"]:
            got = [compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) for n in (1, 2)]
            want = [entry["msgstr"][0], entry["msgstr"][1]]
        elif entry.get("msgctxt"):
            got = compiled.pgettext(entry["msgctxt"], entry["msgid"])
            want = entry["msgstr"][0]
        else:
            got, want = compiled.gettext(entry["msgid"]), entry["msgstr"][0]
        if got != want:
            stale.append(entry["msgid"])
    assert stale == [], "run: manage.py compilemessages -l en --ignore=.venv"


def test_english_catalog_covers_every_marked_string_when_makemessages_runs(tmp_path):
    if not shutil.which("xgettext"):
        pytest.skip("needs GNU gettext (apt-get install gettext) to extract strings")
    base = Path(settings.BASE_DIR)
    own_apps = [app.name for app in apps.get_app_configs() if (base / app.name).is_dir()]
    for name in [*own_apps, "templates", "locale"]:
        shutil.copytree(
            base / name,
            tmp_path / name,
            ignore=shutil.ignore_patterns("__pycache__", "vendor", "*.mo"),
        )
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "true", "HOME": str(tmp_path)},
    )
    entries = _po_entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = [e["msgid"] for e in entries if "fuzzy" in e["flags"] or not e["msgstr"][0]]
    assert missing == [], "run makemessages -l en, translate, then compilemessages"
