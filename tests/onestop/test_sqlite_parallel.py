"""The embedded default (SQLite file) takes parallel writes: no "database is locked" (issue 11).

A real `runserver` (threaded, one connection per request) on a temporary SQLite FILE with the
portal's own settings, and 8 clients issuing tickets at once: every request must succeed.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

CLIENTS = 8
TICKETS_EACH = 20
SETUP = """
from rest_framework.authtoken.models import Token
from tests.onestop.queue_builders import make_clerk, make_floor
desk, group, _b, _c = make_floor()
clerk = make_clerk(desk=desk)
print("SETUP", desk.pk, group.pk, Token.objects.create(user=clerk).key)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CELERY_", "PYTEST_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        DJANGO_DEBUG="true",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_sqlite_file_database_serves_parallel_ticket_issues_without_database_is_locked(tmp_path):
    env = _env(tmp_path)
    _manage(env, "migrate", "--noinput")
    line = next(x for x in _manage(env, "shell", "-c", SETUP).splitlines() if x.startswith("SETUP"))
    _, desk_id, group_id, token = line.split()
    port = _free_port()
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/v1/desks/", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "runserver did not start"
                time.sleep(0.3)

        statuses: list[int] = []
        numbers: list[int] = []
        barrier = threading.Barrier(CLIENTS)

        def client() -> None:
            barrier.wait(timeout=30)
            for _ in range(TICKETS_EACH):
                request = urllib.request.Request(
                    f"{base}/api/v1/desks/{desk_id}/tickets/",
                    data=json.dumps({"group": int(group_id)}).encode(),
                    headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
                    method="POST",
                )
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        statuses.append(response.status)
                        numbers.append(json.load(response)["number"])
                except urllib.error.HTTPError as error:
                    statuses.append(error.code)

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=240)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    output = log.read()
    assert "database is locked" not in output, output[-3000:]
    assert statuses == [201] * (CLIENTS * TICKETS_EACH), sorted(set(statuses))
    assert sorted(numbers) == list(range(1, CLIENTS * TICKETS_EACH + 1))


@pytest.mark.django_db
def test_sqlite_settings_use_wal_and_immediate_transactions_when_embedded():
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the embedded default only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in options["init_command"]
