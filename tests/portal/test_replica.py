"""Past one machine: a real PostgreSQL streaming replica (pg_basebackup into a second cluster on
its own port), the portal under gunicorn with DATABASE_REPLICA_URL. The dashboard and the
statistics API read from the replica; a citizen sees their own dossier right after submitting
although the replica has not replayed it (replay paused).

Both clusters are new ones in a temporary folder on their own ports (the shared server is left
alone); it needs root (to run the servers as `postgres`) and Debian's PostgreSQL server."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import stack  # noqa: E402

from tests.conftest import _missing  # noqa: E402

pytestmark = pytest.mark.replica


def _pg_bin() -> Path | None:
    base = Path("/usr/lib/postgresql")
    if not base.is_dir():
        return None
    versions = sorted((p for p in base.iterdir() if (p / "bin" / "initdb").exists()), key=str)
    return versions[-1] / "bin" if versions else None


def _as_postgres(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *args],
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def _sql(bin_dir: Path, port: int, query: str, db: str = "postgres") -> str:
    out = _as_postgres(
        str(bin_dir / "psql"), "-h", "127.0.0.1", "-p", str(port), "-d", db, "-tAc", query
    )
    return out.stdout.strip()


@pytest.fixture
def clusters(tmp_path):
    bin_dir = _pg_bin()
    if bin_dir is None or os.geteuid() != 0 or not shutil.which("runuser"):
        _missing("needs root and Debian's PostgreSQL server (apt-get install postgresql)")
    root = Path(f"/tmp/portal-replica-{uuid.uuid4().hex[:8]}")
    root.mkdir()
    shutil.chown(root, "postgres")
    primary, replica = root / "primary", root / "replica"
    ports = stack.free_port(), stack.free_port()
    started = []
    try:
        _as_postgres(
            str(bin_dir / "initdb"),
            "-D",
            str(primary),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {ports[0]}\nlisten_addresses = '127.0.0.1'\nwal_level = replica\n"
                "max_wal_senders = 4\nunix_socket_directories = ''\nfsync = off\n"
            )
        with open(primary / "pg_hba.conf", "a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        _as_postgres(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(primary),
            "-w",
            "-l",
            str(root / "primary.log"),
            "start",
        )
        started.append(primary)
        _sql(bin_dir, ports[0], "CREATE ROLE portal LOGIN SUPERUSER PASSWORD 'portal'")
        _sql(bin_dir, ports[0], "CREATE DATABASE portal OWNER portal")
        yield {"bin": bin_dir, "root": root, "primary": primary, "replica": replica, "ports": ports}
    finally:
        for data in reversed(started + ([replica] if (replica / "PG_VERSION").exists() else [])):
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "immediate",
                    "stop",
                ],
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)


SEED = """
import json
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token
from tests.dossiers.engine_world import make_world
world = make_world()
leader = world.leader
session = SessionStore()
session["_auth_user_id"] = str(leader.pk)
session["_auth_user_backend"] = "accounts.auth_backends.IdentifierBackend"
session["_auth_user_hash"] = leader.get_session_auth_hash()
session.create()
print("SEED=" + json.dumps({
    "session": session.session_key,
    "leader_token": Token.objects.create(user=leader).key,
    "citizen_token": Token.objects.create(user=world.citizen).key,
    "procedure": world.procedure.code,
}))
"""

ADD_FIGURES = """
from django.utils import timezone
from stats.models import MonthlyDeskStat, DailyDeskStat
from onestop.models import Desk
today = timezone.localdate()
for desk in Desk.objects.all():
    MonthlyDeskStat.objects.create(desk=desk, month=today.replace(day=1), received=1000,
                                   refreshed_at=timezone.now())
    DailyDeskStat.objects.create(desk=desk, day=today, received=1000, refreshed_at=timezone.now())
"""


def _get(url: str, headers: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _post_dossier(url: str, token: str, procedure: str) -> tuple[int, dict]:
    boundary = "----portal" + uuid.uuid4().hex
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="procedure"\r\n\r\n'.encode()
        + procedure.encode()
        + b"\r\n",
        f'--{boundary}\r\nContent-Disposition: form-data; name="documents"; '
        f'filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        + pdf
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    request = urllib.request.Request(
        url,
        data=b"".join(parts),
        method="POST",
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode()[:2000]}


def _scans(bin_dir: Path, port: int) -> int:
    """Scans of the statistics rollups seen by this server (its own, on a standby too)."""
    return int(
        _sql(
            bin_dir,
            port,
            "SELECT coalesce(sum(coalesce(seq_scan,0) + coalesce(idx_scan,0)), 0) "
            "FROM pg_stat_user_tables WHERE relname IN "
            "('stats_monthlydeskstat', 'stats_dailydeskstat')",
            db="portal",
        )
    )


def test_dashboard_reads_replica_and_citizen_reads_own_dossier_when_replica_lags(clusters):
    bin_dir, ports = clusters["bin"], clusters["ports"]
    primary_url = f"postgres://portal:portal@127.0.0.1:{ports[0]}/portal"
    replica_url = f"postgres://portal:portal@127.0.0.1:{ports[1]}/portal"
    env = stack.production_env(
        DATABASE_URL=primary_url,
        STATIC_ROOT=str(clusters["root"] / "static"),
        MEDIA_ROOT=str(clusters["root"] / "media"),
        REDIS_URL="",
        CELERY_BROKER_URL="",
        DATABASE_CONN_MAX_AGE="0",  # each request's backend ends and reports its table scans
    )
    stack.prepare(env)
    seed = json.loads(re.search(r"SEED=(.+)", stack.manage(env, "shell", "-c", SEED)).group(1))

    # The replica: a base backup of the primary, started as a standby on its own port.
    replica = clusters["replica"]
    _as_postgres(
        str(bin_dir / "pg_basebackup"),
        "-h",
        "127.0.0.1",
        "-p",
        str(ports[0]),
        "-U",
        "portal",
        "-D",
        str(replica),
        "-R",
        "-X",
        "stream",
    )
    with open(replica / "postgresql.conf", "a") as conf:
        conf.write(f"port = {ports[1]}\nhot_standby = on\n")
    _as_postgres(
        str(bin_dir / "pg_ctl"),
        "-D",
        str(replica),
        "-w",
        "-l",
        str(clusters["root"] / "replica.log"),
        "start",
    )
    assert _sql(bin_dir, ports[1], "SELECT pg_is_in_recovery()") == "t"
    # The replica lags from here on: nothing written on the primary reaches it.
    _sql(bin_dir, ports[1], "SELECT pg_wal_replay_pause()")
    stack.manage(env, "shell", "-c", ADD_FIGURES)

    port = stack.free_port()
    server = stack.gunicorn({**env, "DATABASE_REPLICA_URL": replica_url}, port=port, workers=1)
    base = f"http://127.0.0.1:{port}"
    try:
        # The statistics API answers the replica's figures (no 1000s), not the primary's.
        status, body = _get(
            f"{base}/api/v1/stats/summary/?period=year",
            {"Authorization": f"Token {seed['leader_token']}"},
        )
        assert status == 200, body[:500]
        assert json.loads(body)["total"]["received"] < 1000

        # The dashboard: its rollup reads are scans on the replica, none on the primary.
        before = _scans(bin_dir, ports[1]), _scans(bin_dir, ports[0])
        status, body = _get(f"{base}/mot-cua/thong-ke/", {"Cookie": f"sessionid={seed['session']}"})
        assert status == 200, body[:500]
        for _ in range(50):  # a finished backend reports its counters within a moment
            after = _scans(bin_dir, ports[1]), _scans(bin_dir, ports[0])
            if after[0] > before[0]:
                break
            time.sleep(0.2)
        assert after[0] > before[0] and after[1] == before[1], (before, after)

        # A citizen submits and reads the dossier at once: the primary answers it.
        auth = {"Authorization": f"Token {seed['citizen_token']}"}
        status, created = _post_dossier(
            f"{base}/api/v1/dossiers/", seed["citizen_token"], seed["procedure"]
        )
        assert status == 201, created
        status, body = _get(f"{base}/api/v1/dossiers/{created['code']}/", auth)
        assert status == 200, body[:500]
        assert json.loads(body)["code"] == created["code"]
        status, body = _get(f"{base}/api/v1/dossiers/", auth)
        assert created["code"] in body.decode()
        # ... which the paused replica has not seen.
        assert (
            _sql(
                bin_dir,
                ports[1],
                f"SELECT count(*) FROM dossiers_dossier WHERE code = '{created['code']}'",
                db="portal",
            )
            == "0"
        )
    finally:
        stack.stop(server)
