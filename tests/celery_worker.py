"""A real Celery worker subprocess on the test database and a real Redis (integration and fault
tests): tasks cross process boundaries, so the tests that use it commit their rows."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.db import connection

from portal.celery import app

ROOT = Path(__file__).resolve().parents[1]
WORKER_NAME = f"portal-test-{os.getpid()}@localhost"
STARTUP_TIMEOUT = 40
WAIT_TIMEOUT = 30


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


def wait_for(predicate, timeout: float = WAIT_TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def reset_producer_pool() -> None:
    """Forget the cached producer pool so the next publish connects to app.conf.broker_url
    (kombu keeps one pool per broker URL, so the good one is still there afterwards)."""
    app._pool = None
    app.amqp._producer_pool = None


def start_worker(**extra_env: str) -> subprocess.Popen:
    """One solo worker on the test database and app.conf.broker_url, answering a ping."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": app.conf.broker_url,
        "CELERY_BROKER_URL": app.conf.broker_url,
        "CELERY_RESULT_BACKEND": app.conf.broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
        **extra_env,
    }
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "-P",
            "solo",
            "-n",
            WORKER_NAME,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    if not wait_for(
        lambda: (
            worker.poll() is None and bool(app.control.ping(destination=[WORKER_NAME], timeout=0.5))
        ),
        STARTUP_TIMEOUT,
    ):
        worker.kill()
        output = worker.communicate(timeout=5)[0].decode(errors="replace")
        pytest.fail(f"Celery worker did not start:\n{output[-3000:]}")
    return worker


def stop_worker(worker: subprocess.Popen, *, kill: bool = False) -> None:
    """Stop it (SIGKILL when `kill`: a crash, nothing acknowledged or cleaned up)."""
    if worker.poll() is None:
        if kill:
            worker.send_signal(signal.SIGKILL)
        else:
            worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
    if worker.stdout:
        worker.stdout.close()


@pytest.fixture
def live_celery(settings):
    """Publish for real (not eager) and run one solo worker on the test database."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    worker = start_worker()
    try:
        # Eager tasks run from parallel threads (the PostgreSQL concurrency tests) can leave
        # Celery's process-wide "join would block" flag set; this process is not a worker.
        with allow_join_result():
            yield worker
    finally:
        app.conf.task_always_eager = previous
        stop_worker(worker)
