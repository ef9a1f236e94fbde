"""Shared fixtures, and the rule for tests that need real servers.

Tests marked `postgres`, `redis` or `browser` skip with a reason when the server or browser is
absent, except where PORTAL_REQUIRE_SERVICES is set (CI), where a missing service fails the run.
"""

import os
import shutil

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.celery_worker import live_celery  # noqa: F401 (a fixture for every test module)

REQUIRE_SERVICES = bool(os.environ.get("PORTAL_REQUIRE_SERVICES"))


def _missing(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (PORTAL_REQUIRE_SERVICES is set: CI must provide it)")
    pytest.skip(reason)


def redis_available() -> bool:
    url = os.environ.get("REDIS_URL")
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def _require_marked_services(request: pytest.FixtureRequest) -> None:
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not redis_available():
        _missing("needs Redis: set REDIS_URL=redis://... to a running server")
    if request.node.get_closest_marker("browser") and not chromium_path():
        _missing("needs Debian's Chromium (apt-get install chromium)")


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings) -> None:
    """Each test writes uploads to its own folder, so nothing leaks between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Login-failure counters and API throttles live in the cache: start every test empty."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _portal_language() -> None:
    """Each test starts in the portal's language: a request made in English by an earlier test
    leaves English active in this thread (the middleware activates, nothing deactivates)."""
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_search_index() -> None:
    """The retrieval engine keeps an in-process index; each test's catalog starts a new one."""
    from procedures.retrieval import engine

    engine.invalidate()
