"""HTTP benchmark: the portal's hot endpoints against a floor measured in the same run.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_perf \\
        .venv/bin/python bench/http_load.py
    (or `make bench-http`; add --broker redis://127.0.0.1:6379/12 to repeat the writes with a
    broker and a Celery worker)

Starts the portal under gunicorn (DJANGO_DEBUG off, collected static files, 2 sync workers) on
PostgreSQL with the demo data, and the floor project of
bench/floor (same Django, same database: fixed JSON, and one primary-key SELECT through the ORM).
A load generator of its own (4 client processes, one request per connection, as gunicorn's sync
workers close them, each request from another address behind a trusted proxy, as citizens'
come) drives each endpoint for --seconds; the floor is measured before and after the reads.
With --broker the writes are repeated with Redis as the broker and a Celery worker of two
processes, as `make stack` and docker-compose run it.
Prints req/s, p50, p95 and the cost × the one-row floor (floor req/s / endpoint req/s), and the
RSS of each gunicorn worker after the read load. Submissions upload two small PDFs; `receive`
takes the dossiers those submissions created. After each write line it waits until the outbox
is empty (every side effect of those writes delivered) and prints how long that took after the
last request, so that no line pays for the side effects of the one before.

Every run starts from the same data: the database named by DATABASE_URL is dropped and copied
from `<name>_template` (migrated, with the demo data; made on the first run), so the writes of
earlier runs (thousands of dossiers at one desk on one day) do not weigh on the next.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import stack  # noqa: E402

CLIENTS = 4
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 2048 + b"\n"

FIXTURES = """
import json
from rest_framework.authtoken.models import Token
from accounts.models import User
from dossiers.models import Dossier, DossierStatus
clerk = User.objects.get(username="demo.clerk.commune")
leader = User.objects.get(username="demo.leader.province")
citizen = User.objects.get(username="demo.citizen")

dossier = (Dossier.objects.exclude(status=DossierStatus.DRAFT).exclude(applicant_phone="")
           .filter(desk_id=clerk.desk_id).order_by("-pk").first())
print("FIXTURES=" + json.dumps({
    "clerk": Token.objects.get_or_create(user=clerk)[0].key,
    "leader": Token.objects.get_or_create(user=leader)[0].key,
    "citizen": Token.objects.get_or_create(user=citizen)[0].key,
    "desk": dossier.desk_id,
    "code": dossier.code,
    "verifier": dossier.applicant_phone[-4:],
}))
"""


def _multipart(fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = "bench" + uuid.uuid4().hex
    out = []
    for name, value in fields.items():
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for filename, content in files:
        out.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="documents"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out), f"multipart/form-data; boundary={boundary}"


def _client(args: tuple) -> dict:
    """One client process: requests until the deadline (or its list of paths runs out)."""
    port, method, paths, headers, body, deadline, once = args
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    created: list[str] = []
    index = 0
    while time.monotonic() < deadline and (not once or index < len(paths)):
        path = paths[index % len(paths)]
        index += 1
        client = "10." + ".".join(str(random.randrange(1, 255)) for _ in range(3))
        began = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                method,
                path,
                body=body,
                headers={**headers, "X-Forwarded-For": client},
            )
            response = conn.getresponse()
            payload = response.read()
        finally:
            conn.close()
        latencies.append((time.perf_counter() - began) * 1000)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status == 201:
            created.append(json.loads(payload)["code"])
    return {"latencies": latencies, "statuses": statuses, "created": created}


def load(
    port: int,
    method: str,
    paths: list[str],
    *,
    seconds: float,
    headers=None,
    body=None,
    once: bool = False,
):
    """Each client repeats its paths until the deadline; with `once`, the paths are shared out
    between the clients and each is requested once (a `receive` per dossier)."""
    headers = {"Connection": "close", **(headers or {})}
    deadline = time.monotonic() + seconds
    shares = [paths[i::CLIENTS] for i in range(CLIENTS)] if once else [paths] * CLIENTS
    began = time.monotonic()
    with multiprocessing.Pool(CLIENTS) as pool:
        results = pool.map(
            _client, [(port, method, s, headers, body, deadline, once) for s in shares]
        )
    elapsed = time.monotonic() - began
    latencies = sorted(x for r in results for x in r["latencies"])
    statuses: dict[int, int] = {}
    for r in results:
        for code, n in r["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan"),
        "n": len(latencies),
        "statuses": statuses,
        "created": [c for r in results for c in r["created"]],
    }


def _fresh_database(env: dict, database_url: str) -> None:
    """Drop the benchmark database and copy it from its template, made (migrate, seed_demo)
    when missing and migrated when it is there."""
    import psycopg2
    from psycopg2 import sql

    base, _, name = database_url.rpartition("/")
    template = f"{name}_template"
    admin = psycopg2.connect(f"{base}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template])
        missing = cursor.fetchone() is None
        if missing:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(template)))
    template_env = {**env, "DATABASE_URL": f"{base}/{template}"}
    stack.manage(template_env, "migrate", "--noinput")
    if missing:
        stack.manage({**template_env, "DJANGO_DEBUG": "true"}, "seed_demo")
    with admin.cursor() as cursor:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        cursor.execute(drop.format(sql.Identifier(name)))
        cursor.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    admin.close()


def _drained(database_url: str, began: float, timeout: float = 300) -> float:
    """Seconds from `began` until no outbox row is pending (the side effects all delivered)."""
    import psycopg2

    with psycopg2.connect(database_url) as conn, conn.cursor() as cursor:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM outbox_outboxmessage WHERE status = 'pending'")
            if cursor.fetchone()[0] == 0:
                return time.monotonic() - began
            conn.rollback()
            time.sleep(0.1)
    return float("inf")


def _rss_mb(master_pid: int) -> list[float]:
    out = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        out.append(int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024)
    return out


def _row(name: str, result: dict, floor_rps: float | None) -> str:
    ratio = f"{floor_rps / result['rps']:.1f}×" if floor_rps and result["rps"] else "—"
    if "drained" in result:
        ratio = f"side effects done {result['drained']:.1f} s after the last request"
    bad = {k: v for k, v in result["statuses"].items() if k >= 400}
    note = f"  non-2xx: {bad}" if bad else ""
    return (
        f"| {name} | {result['rps']:.0f} | {result['p50']:.1f} ms | {result['p95']:.1f} ms "
        f"| {ratio} |{note}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--broker", default="", help="also run the writes with this REDIS_URL")
    parser.add_argument(
        "--writes-only", action="store_true", help="only the writes (no floor, no reads)"
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it gets the demo data).")
    env = stack.production_env(
        DATABASE_URL=database_url,
        REDIS_URL="",
        CELERY_BROKER_URL="",
        # Requests come through a trusted proxy from many addresses, as citizens' do: the
        # limits keep production's rates and each address's history stays as short as there.
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
    )
    print("Preparing (template with the demo data, a fresh copy, collectstatic)…", flush=True)
    _fresh_database(env, database_url)
    stack.prepare(env)
    fx = json.loads(
        re.search(r"FIXTURES=(.+)", stack.manage(env, "shell", "-c", FIXTURES)).group(1)
    )
    fx["database_url"] = database_url
    seconds = args.seconds
    if args.writes_only:
        _writes_only(env, fx, seconds, args)
        return
    floor_env = {**env, "PYTHONPATH": str(Path(__file__).resolve().parent / "floor")}
    floor_port, portal_port = stack.free_port(), stack.free_port()
    floor = stack.gunicorn(
        floor_env, port=floor_port, workers=args.workers, app="floor_wsgi:application"
    )
    portal = stack.gunicorn(env, port=portal_port, workers=args.workers)
    rows: list[str] = []
    try:
        print("Floor (before)…", flush=True)
        load(floor_port, "GET", ["/row/"], seconds=2)  # warm-up
        fixed_1 = load(floor_port, "GET", ["/fixed/"], seconds=seconds)
        row_1 = load(floor_port, "GET", ["/row/"], seconds=seconds)
        clerk = {"Authorization": f"Token {fx['clerk']}"}
        leader = {"Authorization": f"Token {fx['leader']}"}
        reads = [
            ("GET /api/v1/procedures/1.001193/", ["/api/v1/procedures/1.001193/"], {}),
            (
                "GET /api/v1/procedures/?q=dang+ky+khai+sinh",
                ["/api/v1/procedures/?q=dang+ky+khai+sinh"],
                {},
            ),
            (
                "GET /api/v1/lookup/?code=…&verifier=…",
                [f"/api/v1/lookup/?code={fx['code']}&verifier={fx['verifier']}"],
                {},
            ),
            ("GET /api/v1/dossiers/{code}/ (clerk)", [f"/api/v1/dossiers/{fx['code']}/"], clerk),
            ("/thu-tuc/?q=khai+sinh (HTML)", ["/thu-tuc/?q=khai+sinh"], {}),
            ("/thu-tuc/1.001193/ (HTML)", ["/thu-tuc/1.001193/"], {}),
            ("GET /api/v1/stats/summary/ (leader)", ["/api/v1/stats/summary/"], leader),
        ]
        results = {}
        for name, paths, headers in reads:
            print(f"{name}…", flush=True)
            load(portal_port, "GET", paths, seconds=1, headers=headers)  # warm-up
            results[name] = load(portal_port, "GET", paths, seconds=seconds, headers=headers)
        rss = _rss_mb(portal.pid)
        # The floor again before the writes: their side effects keep the portal's delivery
        # thread and the database busy for a while after the last request.
        print("Floor (after)…", flush=True)
        fixed_2 = load(floor_port, "GET", ["/fixed/"], seconds=seconds)
        row_2 = load(floor_port, "GET", ["/row/"], seconds=seconds)
        writes = _writes(portal_port, fx, seconds, label="no broker")
    finally:
        stack.stop(portal)
        stack.stop(floor)
    if args.broker:
        writes += _with_broker(env, fx, seconds, args)
    floor_rps = (row_1["rps"] + row_2["rps"]) / 2
    fixed_rps = (fixed_1["rps"] + fixed_2["rps"]) / 2
    rows.append("| work | req/s | p50 | p95 | cost × the one-row floor (writes: side effects) |")
    rows.append("|---|---|---|---|---|")
    rows.append(_row("floor: fixed JSON (before)", fixed_1, floor_rps))
    rows.append(_row("floor: fixed JSON (after)", fixed_2, floor_rps))
    rows.append(_row("floor: one primary-key SELECT (before)", row_1, floor_rps))
    rows.append(_row("floor: one primary-key SELECT (after)", row_2, floor_rps))
    for name, result in results.items():
        rows.append(_row(name, result, floor_rps))
    for name, result in writes:
        rows.append(_row(name, result, None))
    print()
    print(
        f"gunicorn {args.workers} sync workers, {CLIENTS} clients, {seconds:.0f} s per line; "
        f"floor: fixed JSON {fixed_rps:.0f} req/s, one-row {floor_rps:.0f} req/s"
    )
    print("\n".join(rows))
    print(f"\ngunicorn worker RSS after the read load: {', '.join(f'{m:.0f} MB' for m in rss)}")


def _writes_only(env: dict, fx: dict, seconds: float, args) -> None:
    port = stack.free_port()
    portal = stack.gunicorn(env, port=port, workers=args.workers)
    try:
        writes = _writes(port, fx, seconds, label="no broker")
    finally:
        stack.stop(portal)
    if args.broker:
        writes += _with_broker(env, fx, seconds, args)
    print(
        f"\ngunicorn {args.workers} sync workers, {CLIENTS} clients, {seconds:.0f} s per line; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print("| work | req/s | p50 | p95 | side effects |\n|---|---|---|---|---|")
    print("\n".join(_row(name, result, None) for name, result in writes))


def _writes(port: int, fx: dict, seconds: float, *, label: str) -> list[tuple[str, dict]]:
    """Submissions, then the clerk's `receive` of each; after each, the wait for its side
    effects (result["drained"]: seconds after the last request until none is pending)."""
    body, content_type = _multipart(
        {"procedure": "1.001193", "desk": str(fx["desk"]), "applicant_phone": "0918234567"},
        [("to-khai.pdf", PDF), ("giay-chung-sinh.pdf", PDF)],
    )
    print(f"online submission ({label})…", flush=True)
    submit = load(
        port,
        "POST",
        ["/api/v1/dossiers/"],
        seconds=seconds,
        headers={"Authorization": f"Token {fx['citizen']}", "Content-Type": content_type},
        body=body,
    )
    submit["drained"] = _drained(fx["database_url"], time.monotonic())
    print(f"clerk receive ({label}), {len(submit['created'])} dossiers…", flush=True)
    receive = load(
        port,
        "POST",
        [f"/api/v1/dossiers/{code}/actions/" for code in submit["created"]],
        seconds=seconds,
        headers={"Authorization": f"Token {fx['clerk']}", "Content-Type": "application/json"},
        body=json.dumps({"action": "receive"}).encode(),
        once=True,
    )
    receive["drained"] = _drained(fx["database_url"], time.monotonic())
    return [
        (f"online submission, 2 small PDFs, {CLIENTS} clients ({label})", submit),
        (f"clerk receive, {CLIENTS} clients ({label})", receive),
    ]


def _with_broker(env: dict, fx: dict, seconds: float, args) -> list[tuple[str, dict]]:
    import subprocess

    broker_env = {**env, "REDIS_URL": args.broker, "CELERY_BROKER_URL": args.broker}
    # The worker's output (the console e-mail backend prints every notice) goes to a log file.
    log = stack.ROOT / "var" / "bench-celery-worker.log"
    log.parent.mkdir(exist_ok=True)
    worker_output = open(log, "wb")  # noqa: SIM115 (kept for the child)
    worker = subprocess.Popen(
        [
            stack.PYTHON,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--concurrency=2",
            "-l",
            "WARNING",
        ],
        cwd=stack.ROOT,
        env=broker_env,
        start_new_session=True,
        stdout=worker_output,
        stderr=subprocess.STDOUT,
    )
    port = stack.free_port()
    portal = stack.gunicorn(broker_env, port=port, workers=args.workers)
    try:
        return _writes(port, fx, seconds, label="Redis broker + worker")
    finally:
        stack.stop(portal)
        stack.stop(worker)
        worker_output.close()


if __name__ == "__main__":
    main()
