"""Total cost of a write: the request and every side effect it causes, per write.

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_writes_bench \\
        .venv/bin/python bench/write_cost.py --n 60

Creates a throw-away test database (test_<name>, or an in-memory SQLite without DATABASE_URL),
builds the engine's test world (a desk, a procedure, a citizen with an e-mail and a phone, a
clerk), then, through the API test client with debug off:

1. N online submissions with two small PDFs, then N clerk `receive`s of those dossiers, with
   delivery held back: the outbox rows they publish are recorded, not delivered;
2. delivery one committed change at a time (the keys that change published), half of the
   changes: what a Celery worker does when writes come slower than it delivers them;
3. delivery of the other half at once: what the broker-less delivery thread, the sweep, and a
   worker's task (which takes the other due rows too) do after a burst.

Delivery is called directly (`outbox.delivery.outbox_deliver_batch`), so that each phase claims
only the rows it names.

For each phase it reports SQL statements, client CPU (this process: Django, the handlers) and
server CPU (the PostgreSQL backend serving this connection, read from /proc) per write, and the
outbox rows per write; then the total per write for both ways of delivering. Any tree that has
`outbox.delivery.outbox_deliver_batch(keys=...)` can be measured (run it with the other tree as
the working directory to compare: `cd /path/to/other && python /path/to/bench/write_cost.py`).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")


def _server_ticks(pid: int | None) -> int:
    if pid is None:
        return 0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime (fields 14 and 15)


class Meter:
    """Statements, client CPU and server CPU spent inside `with meter:` blocks."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.statements = 0
        self.client = 0.0
        self.server = 0.0

    def backend_pid(self) -> int | None:
        if self.connection.vendor != "postgresql":
            return None
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def __enter__(self) -> Meter:
        from django.test.utils import CaptureQueriesContext

        self._pid = self.backend_pid()
        self._capture = CaptureQueriesContext(self.connection)
        self._capture.__enter__()
        self._cpu = time.process_time()
        self._ticks = _server_ticks(self._pid)
        return self

    def __exit__(self, *exc) -> None:
        self.client += time.process_time() - self._cpu
        self.server += (_server_ticks(self._pid) - self._ticks) / os.sysconf("SC_CLK_TCK")
        self._capture.__exit__(*exc)
        self.statements += len(self._capture)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=60, help="submissions (and as many receives)")
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import setup_test_environment
    from rest_framework.test import APIClient

    logging.getLogger("celery").setLevel(logging.WARNING)
    setup_test_environment(debug=False)
    settings.OUTBOX_EAGER_DELIVERY = "inline"
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(args.n, connection, APIClient, SimpleUploadedFile)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(n: int, connection, APIClient, SimpleUploadedFile) -> None:
    import outbox.services
    from outbox.delivery import outbox_deliver_batch
    from outbox.models import OutboxMessage, OutboxStatus
    from tests.dossiers.engine_world import PDF, make_world

    published: list[list[str]] = []
    deliver = outbox_deliver_batch

    def hold(*, message_ids=None, keys=None):
        published.append(list(keys or []))

    outbox.services.outbox_request_delivery = hold
    world = make_world()
    citizen, clerk = APIClient(), APIClient()
    citizen.force_authenticate(world.citizen)
    clerk.force_authenticate(world.clerk)

    def submit() -> str:
        files = [
            SimpleUploadedFile(name, PDF, content_type="application/pdf")
            for name in ("don.pdf", "cccd.pdf")
        ]
        response = citizen.post(
            "/api/v1/dossiers/",
            {"procedure": world.procedure.code, "documents": files},
            format="multipart",
        )
        assert response.status_code == 201, response.content
        return response.json()["code"]

    def receive(code: str) -> None:
        response = clerk.post(
            f"/api/v1/dossiers/{code}/actions/", {"action": "receive"}, format="json"
        )
        assert response.status_code == 200, response.content

    receive(submit())  # warm per-process caches
    deliver(keys=[key for keys in published for key in keys])
    published.clear()
    rows_before = OutboxMessage.objects.count()

    submits, receives = Meter(connection), Meter(connection)
    codes = []
    for _ in range(n):
        with submits:
            codes.append(submit())
    for code in codes:
        with receives:
            receive(code)
    rows = OutboxMessage.objects.count() - rows_before
    changes = list(published)
    # Half the changes (alternate submissions and receives alike) delivered one change at a time,
    # the other half in one burst.
    per_change, burst = Meter(connection), Meter(connection)
    one_by_one, together = changes[0::2], changes[1::2]
    for keys in one_by_one:
        with per_change:
            deliver(keys=keys)
    with burst:
        deliver(keys=[key for keys in together for key in keys])
    left = OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()

    writes = 2 * n
    half = writes / 2

    def line(label: str, meter: Meter, count: float) -> None:
        print(
            f"{label:<34} {meter.statements / count:7.1f} stmt  "
            f"{meter.client * 1000 / count:6.2f} ms client CPU  "
            f"{meter.server * 1000 / count:6.2f} ms server CPU"
        )

    print(
        f"vendor {connection.vendor}, {n} submissions + {n} receives, {rows} outbox rows "
        f"({rows / writes:.2f} per write), {left} not sent after delivery"
    )
    line("submission (request)", submits, n)
    line("receive (request)", receives, n)
    line("delivery, one change at a time", per_change, half)
    line("delivery, one burst", burst, half)
    requests = Meter(connection)
    requests.statements = submits.statements + receives.statements
    requests.client = submits.client + receives.client
    requests.server = submits.server + receives.server
    for label, meter in (
        ("total/write, per-change delivery", per_change),
        ("total/write, burst delivery", burst),
    ):
        total = Meter(connection)
        total.statements = requests.statements / writes + meter.statements / half
        total.client = requests.client / writes + meter.client / half
        total.server = requests.server / writes + meter.server / half
        line(label, total, 1)


if __name__ == "__main__":
    main()
