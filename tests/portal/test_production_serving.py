"""A production stack that starts: collectstatic on a fresh checkout, then gunicorn with
DJANGO_DEBUG off serves the home page, a catalog page and the leaders' dashboard (with the
hashed static files of the manifest). A separate SQLite file, so it runs everywhere."""

import re
import sys
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import stack  # noqa: E402  (bench/stack.py: the same helpers `make stack` uses)

SEED = """
from django.contrib.sessions.backends.db import SessionStore
from accounts.models import Role
from tests.factories import make_procedure, make_unit, make_user
unit = make_unit()
make_procedure(code="1.001193", name="Đăng ký khai sinh")
leader = make_user(role=Role.LEADER, unit=unit)
session = SessionStore()
session["_auth_user_id"] = str(leader.pk)
session["_auth_user_backend"] = "accounts.auth_backends.IdentifierBackend"
session["_auth_user_hash"] = leader.get_session_auth_hash()
session.create()
print("SESSION=" + session.session_key)
"""


def _get(url: str, cookie: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read().decode()


def test_gunicorn_serves_pages_when_debug_off(tmp_path):
    env = stack.production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        REDIS_URL="",
        CELERY_BROKER_URL="",
    )
    stack.prepare(env)
    assert (tmp_path / "static" / "staticfiles.json").exists()
    session = re.search(r"SESSION=(\w+)", stack.manage(env, "shell", "-c", SEED)).group(1)
    port = stack.free_port()
    server = stack.gunicorn(env, port=port, workers=1)
    base = f"http://127.0.0.1:{port}"
    try:
        status, home = _get(f"{base}/")
        assert status == 200
        # The manifest storage names hashed files: a page links them, and they are served.
        css = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home)
        assert css, "no hashed stylesheet on the home page"
        assert _get(base + css.group(1))[0] == 200
        status, page = _get(f"{base}/thu-tuc/1.001193/")
        assert status == 200 and "Đăng ký khai sinh" in page
        status, page = _get(f"{base}/thu-tuc/?q=khai+sinh")
        assert status == 200 and "1.001193" in page
        status, page = _get(f"{base}/mot-cua/thong-ke/", cookie=f"sessionid={session}")
        assert status == 200 and "chart" in page.lower()
    finally:
        stack.stop(server)


@pytest.mark.parametrize("path", ["static/vendor/chartjs/chart.umd.min.js"])
def test_vendored_static_names_no_missing_file_when_collected(path):
    text = (Path(__file__).resolve().parents[2] / path).read_text()
    assert "sourceMappingURL" not in text
