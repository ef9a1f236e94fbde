"""A production-like stack on one machine, without containers: PostgreSQL, Redis, gunicorn (debug
off, collected static files), a Celery worker and beat.

    make stack                      # serves http://127.0.0.1:8000 until Ctrl-C
    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/0 make stack

PostgreSQL and Redis are reused when they answer; otherwise, as root on Debian, the local cluster
is started with pg_ctlcluster and Redis with `redis-server --daemonize` (as .ci/run does). The
benchmark (bench/http_load.py) and the serving test reuse `production_env`, `prepare`, `gunicorn`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://portal:portal@127.0.0.1:5432/portal"


def production_env(**overrides: str) -> dict[str, str]:
    """Environment of a debug-off portal served over plain http on loopback."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": env.get("DJANGO_SECRET_KEY") or "stack-local-not-for-production",
            "DJANGO_ALLOWED_HOSTS": env.get("DJANGO_ALLOWED_HOSTS") or "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = True) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=quiet,
        text=True,
    )
    return out.stdout or ""


def prepare(env: dict[str, str]) -> None:
    """Migrate and collect the static files (the manifest storage needs them with debug off)."""
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers (a 4xx/5xx is the caller's to judge)
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def gunicorn(
    env: dict[str, str],
    *,
    port: int,
    workers: int = 2,
    threads: int = 1,
    app: str = "portal.wsgi:application",
    log: Path | None = None,
    cwd: Path = ROOT,
) -> subprocess.Popen:
    """Start gunicorn (its own process group) and wait until it answers."""
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (kept for the child)
    proc = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ],
        cwd=cwd,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/__no_such_page__")
    except TimeoutError:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def ensure_services() -> None:
    """Start the local PostgreSQL cluster and Redis when they do not answer (root, Debian)."""
    if not _answers("127.0.0.1", 5432) and shutil.which("pg_lsclusters"):
        versions = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v.split(".")[0]))
        subprocess.run(["pg_ctlcluster", versions[-1], "main", "start"], check=False)
    if not _answers("127.0.0.1", 6379) and shutil.which("redis-server"):
        subprocess.run(
            ["redis-server", "--daemonize", "yes", "--port", "6379", "--bind", "127.0.0.1"],
            check=False,
        )
    for _ in range(100):
        if _answers("127.0.0.1", 5432) and _answers("127.0.0.1", 6379):
            return
        time.sleep(0.2)
    sys.exit("PostgreSQL (5432) and Redis (6379) must answer on 127.0.0.1.")


def main() -> None:
    ensure_services()
    env = production_env(
        DATABASE_URL=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        REDIS_URL=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    )
    port = int(os.environ.get("PORT", "8000"))
    prepare(env)
    procs = [gunicorn(env, port=port, workers=int(os.environ.get("WEB_CONCURRENCY", "2")))]
    for role in (["worker", "--loglevel=INFO", "--concurrency=2"], ["beat", "--loglevel=INFO"]):
        procs.append(
            subprocess.Popen(
                [PYTHON, "-m", "celery", "-A", "portal", *role],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
        )
    print(f"Stack up: http://127.0.0.1:{port}/ (gunicorn, Celery worker, beat). Ctrl-C stops it.")
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for proc in procs:
            stop(proc)


if __name__ == "__main__":
    main()
