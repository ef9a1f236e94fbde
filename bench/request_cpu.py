"""CPU time per request, in-process, of the hot reads against the one-row floor view.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_perf \\
        .venv/bin/python bench/request_cpu.py [--requests 400] [--profile detail]

The portal (DJANGO_DEBUG off, the production middleware stack) and the floor project of
bench/floor each run in a process of their own; each request goes through Django's WSGI handler
(what gunicorn calls) from another client address behind a trusted proxy, as in
bench/http_load.py, on the same database (use the one http_load.py prepared: it needs the demo
data). Prints the median and mean CPU time (this process's, so the database server's work is
not in it) and wall time per request, and the CPU ratio to the floor. Less sensitive to other
work on the machine than the HTTP ratios. `--profile NAME` prints a cProfile of that endpoint.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _environ(path: str, headers: dict[str, str]) -> dict:
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_CONNECTION": "close",
        "HTTP_X_FORWARDED_FOR": "10." + ".".join(str(random.randrange(1, 255)) for _ in range(3)),
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def _measure(application, path: str, headers: dict[str, str], requests: int) -> dict:
    statuses: dict[str, int] = {}

    def start_response(status, response_headers, exc_info=None):
        statuses[status] = statuses.get(status, 0) + 1

    for _ in range(20):  # warm-up
        b"".join(application(_environ(path, headers), start_response))
    statuses.clear()
    cpu, wall = [], []
    for _ in range(requests):
        environ = _environ(path, headers)
        c0, w0 = time.process_time(), time.perf_counter()
        response = application(environ, start_response)
        b"".join(response)
        response.close()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return {
        "cpu_median": statistics.median(cpu),
        "cpu_mean": statistics.fmean(cpu),
        "wall_median": statistics.median(wall),
        "statuses": statuses,
    }


def _profile(application, path: str, headers: dict[str, str], requests: int) -> None:
    import cProfile
    import pstats

    def start_response(status, response_headers, exc_info=None):
        pass

    for _ in range(20):
        b"".join(application(_environ(path, headers), start_response))
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        response = application(_environ(path, headers), start_response)
        b"".join(response)
        response.close()
    profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("cumulative").print_stats(60)
    stats.sort_stats("tottime").print_stats(30)


def run_floor(requests: int) -> dict:
    sys.path.insert(0, str(HERE / "floor"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "floor_settings"
    from django.core.wsgi import get_wsgi_application

    return _measure(get_wsgi_application(), "/row/", {}, requests)


def portal_endpoints() -> dict[str, tuple[str, dict[str, str]]]:
    """bench/http_load.py's reads under test, with its fixtures."""
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from dossiers.models import Dossier, DossierStatus

    clerk = User.objects.get(username="demo.clerk.commune")
    leader = User.objects.get(username="demo.leader.province")
    dossier = (
        Dossier.objects.exclude(status=DossierStatus.DRAFT)
        .exclude(applicant_phone="")
        .filter(desk_id=clerk.desk_id)
        .order_by("-pk")
        .first()
    )
    clerk_token = Token.objects.get_or_create(user=clerk)[0].key
    leader_token = Token.objects.get_or_create(user=leader)[0].key
    return {
        "lookup": (
            f"/api/v1/lookup/?code={dossier.code}&verifier={dossier.applicant_phone[-4:]}",
            {},
        ),
        "detail": (
            f"/api/v1/dossiers/{dossier.code}/",
            {"Authorization": f"Token {clerk_token}"},
        ),
        "summary": ("/api/v1/stats/summary/", {"Authorization": f"Token {leader_token}"}),
        "procedure_page": ("/thu-tuc/1.001193/", {}),
        "search_page": ("/thu-tuc/?q=khai+sinh", {}),
    }


def run_portal(requests: int, profile: str | None) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    endpoints = portal_endpoints()
    if profile:
        path, headers = endpoints[profile]
        _profile(application, path, headers, requests)
        return {}
    return {
        name: _measure(application, path, headers, requests)
        for name, (path, headers) in endpoints.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument(
        "--profile", choices=["lookup", "detail", "summary", "procedure_page", "search_page"]
    )
    parser.add_argument("--child", choices=["floor", "portal"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to the PostgreSQL database bench/http_load.py prepared.")
    if args.child == "floor":
        print("RESULT=" + json.dumps(run_floor(args.requests)))
        return
    if args.child == "portal":
        result = run_portal(args.requests, args.profile)
        if not args.profile:
            print("RESULT=" + json.dumps(result))
        return
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or "bench-not-for-production",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_TRUSTED_PROXIES": "127.0.0.1",
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "CELERY_BROKER_URL": "",
    }

    def child(kind: str, *extra: str) -> str:
        return subprocess.run(
            [sys.executable, __file__, "--child", kind, "--requests", str(args.requests), *extra],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=not args.profile or kind == "floor",
            text=True,
        ).stdout

    if args.profile:
        child("portal", "--profile", args.profile)
        return
    floor_before = _result(child("floor"))
    portal = _result(child("portal"))
    floor_after = _result(child("floor"))
    floor_cpu = (floor_before["cpu_median"] + floor_after["cpu_median"]) / 2
    print(f"load average {os.getloadavg()[0]:.1f}, {args.requests} requests each")
    print("| request | CPU median | CPU mean | wall median | CPU × floor | statuses |")
    print("|---|---|---|---|---|---|")
    for name, r in [("floor (before)", floor_before), ("floor (after)", floor_after)] + list(
        portal.items()
    ):
        print(
            f"| {name} | {r['cpu_median']:.2f} ms | {r['cpu_mean']:.2f} ms "
            f"| {r['wall_median']:.2f} ms | {r['cpu_median'] / floor_cpu:.1f}× "
            f"| {r['statuses']} |"
        )


def _result(output: str) -> dict:
    return json.loads(output.split("RESULT=", 1)[1].strip().splitlines()[0])


if __name__ == "__main__":
    main()
