"""Settings come from environment variables: each case imports portal.settings in a fresh
interpreter with its own environment."""

import json
import os
import subprocess
import sys

from django.conf import settings

PROBE = (
    "import json, portal.settings as s; print(json.dumps({"
    "'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'host': s.DATABASES['default'].get('HOST'), 'port': s.DATABASES['default'].get('PORT'), "
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
    "'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, 'tz': s.TIME_ZONE, "
    "'language': s.LANGUAGE_CODE, 'languages': [c for c, _ in s.LANGUAGES]}))"
)
CLEARED = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CELERY_TASK_ALWAYS_EAGER",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "TIME_ZONE",
    "DJANGO_SETTINGS_MODULE",
}


def _settings_in_subprocess(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def _probe(**env: str) -> dict:
    result = _settings_in_subprocess(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_fail_at_startup_when_environment_is_empty_because_debug_defaults_to_off():
    result = _settings_in_subprocess()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_use_sqlite_and_eager_celery_when_only_debug_is_set():
    values = _probe(DJANGO_DEBUG="true")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("portal.sqlite3")
    assert values["eager"] is True
    assert values["cache"].endswith("LocMemCache")
    assert values["debug"] is True
    assert values["tz"] == "Asia/Ho_Chi_Minh"
    assert values["language"] == "vi"
    assert values["languages"] == ["vi", "en"]


def test_settings_parse_database_url_when_postgres_is_given():
    values = _probe(
        DJANGO_DEBUG="true", DATABASE_URL="postgres://portal:secret@db.example:5433/congdvc"
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "congdvc"
    assert values["host"] == "db.example"
    assert values["port"] == 5433


def test_settings_switch_celery_off_eager_when_redis_url_is_set():
    values = _probe(DJANGO_DEBUG="true", REDIS_URL="redis://redis.example:6379/3")
    assert values["eager"] is False
    assert values["broker"] == "redis://redis.example:6379/3"
    assert values["cache"].endswith("RedisCache")


def test_settings_fail_at_startup_when_debug_is_off_without_secret_key():
    result = _settings_in_subprocess(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_start_when_debug_is_off_with_secret_key():
    values = _probe(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50)
    assert values["debug"] is False
