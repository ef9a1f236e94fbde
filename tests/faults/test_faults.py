"""Failures are normal: Redis stopped during submissions and actions, SMTP refusing, the worker
killed in the middle of a batch, PostgreSQL restarted between two submissions. After recovery
every committed dossier has its files, every notice went out exactly once, no Idempotency-Key
gave two dossiers, the rollups equal the raw recount, and no request answered 500.

Real PostgreSQL, a real Redis this module starts (and stops) on its own port, a real worker.
"""

import email
import json
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.services import user_token_get_or_create
from dossiers.models import Dossier, DossierDocument, DossierStatus
from outbox.models import OutboxMessage, OutboxStatus
from outbox.tasks import outbox_sweep_task
from portal.celery import app
from stats.selectors import StatsScope, stats_summary, stats_summary_raw
from tests.celery_worker import reset_producer_pool, start_worker, stop_worker, wait_for
from tests.dossiers.engine_world import PDF, make_world

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateRedis:
    """A Redis server of this test alone, so stopping it harms nobody else."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.folder = folder
        self.url = f"redis://127.0.0.1:{port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(self.folder),
                "--pidfile",
                str(self.folder / "redis.pid"),
            ],
            check=True,
        )
        assert wait_for(self.ping, 10), "the private Redis did not start"

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        assert wait_for(lambda: not self.ping(), 10)

    def ping(self) -> bool:
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return result.stdout.strip() == "PONG"


@pytest.fixture
def private_redis(tmp_path, settings):
    if not shutil.which("redis-server"):
        pytest.skip("needs redis-server (apt-get install redis-server)")
    server = PrivateRedis(_free_port(), tmp_path)
    server.start()
    previous = (app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager)
    app.conf.broker_url = server.url
    app.conf.result_backend = server.url
    app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    reset_producer_pool()
    try:
        yield server
    finally:
        app.conf.broker_url, app.conf.result_backend, app.conf.task_always_eager = previous
        reset_producer_pool()
        server.stop() if server.ping() else None


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _submit(world, key: str):
    return _client(world.citizen).post(
        "/api/v1/dossiers/",
        {"procedure": world.procedure.code, "documents": [_pdf("don.pdf"), _pdf("cccd.pdf")]},
        format="multipart",
        headers={"Idempotency-Key": key},
    )


def _act(user, code: str, action: str, **data):
    return _client(user).post(
        f"/api/v1/dossiers/{code}/actions/", {"action": action, **data}, format="multipart"
    )


def _assert_every_file_kept() -> None:
    documents = list(DossierDocument.objects.all())
    assert documents
    assert all(default_storage.exists(doc.file.name) for doc in documents)


def _assert_rollups_equal_raw_recount() -> None:
    today = timezone.localdate()
    for scope in (StatsScope(),):
        rolled = stats_summary(date_from=today, date_to=today, scope=scope)
        raw = stats_summary_raw(date_from=today, date_to=today, scope=scope, now=timezone.now())
        assert rolled == raw


def _mail_subjects(folder: Path) -> list[str]:
    subjects = []
    for path in folder.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes())
        subjects.append(
            str(email.header.make_header(email.header.decode_header(message["Subject"])))
        )
    return sorted(subjects)


def _all_delivered() -> bool:
    outbox_sweep_task.apply_async(ignore_result=True)
    return not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()


def test_nothing_is_lost_when_redis_stops_during_submissions_and_actions(private_redis, tmp_path):
    world = make_world()
    world.citizen.email = "an@example.vn"
    world.citizen.save()
    private_redis.stop()

    answers = [_submit(world, key=f"k-{n}") for n in range(3)]
    answers.append(_submit(world, key="k-0"))  # a retry of the first: the same dossier
    assert [a.status_code for a in answers] == [201, 201, 201, 201]
    codes = [a.json()["code"] for a in answers]
    assert codes[3] == codes[0] and len(set(codes)) == 3
    receipts = [_act(world.clerk, code, "receive") for code in codes[:3]]
    assert [r.status_code for r in receipts] == [200, 200, 200]
    assert Dossier.objects.count() == 3
    _assert_every_file_kept()
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()

    private_redis.start()
    reset_producer_pool()
    mail = tmp_path / "mail"
    mail.mkdir()
    worker = start_worker(
        EMAIL_BACKEND="tests.faults.mail.SlowFileEmailBackend",
        FAULT_MAIL_DIR=str(mail),
        FAULT_MAIL_DELAY="0",
    )
    try:
        assert wait_for(_all_delivered, 60)
    finally:
        stop_worker(worker)
    received = [s for s in _mail_subjects(mail) if "đã được tiếp nhận" in s]
    assert received == sorted(f"Hồ sơ {code} đã được tiếp nhận" for code in codes[:3])
    _assert_every_file_kept()
    _assert_rollups_equal_raw_recount()


def test_actions_succeed_and_keep_files_when_smtp_refuses(settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    world = make_world()
    world.citizen.email = "an@example.vn"
    world.citizen.save()
    code = _submit(world, key="smtp-1").json()["code"]
    assert _act(world.clerk, code, "receive").status_code == 200
    assert _act(world.clerk, code, "start_processing").status_code == 200
    resolved = _act(
        world.specialist, code, "resolve", result="approved", documents=[_pdf("kq.pdf")]
    )
    assert resolved.status_code == 200, resolved.content
    assert Dossier.objects.get(code=code).status == DossierStatus.RESOLVED
    _assert_every_file_kept()
    # Submission and start of processing notify nobody (their rows are done); reception and
    # the result wait for the mail server.
    failed = OutboxMessage.objects.filter(
        handler="dossiers.notify_citizen", status=OutboxStatus.PENDING
    )
    assert failed.count() == 2
    assert all("Connection refused" in row.last_error for row in failed)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(available_at=timezone.now())  # the backoff has passed
    outbox_sweep_task()
    outbox_sweep_task()
    subjects = sorted(message.subject for message in mailoutbox)
    assert len(subjects) == 2  # received, result ready (start_processing notifies nobody)
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    _assert_rollups_equal_raw_recount()


def test_every_notice_goes_out_once_when_the_worker_is_killed_mid_batch(
    private_redis, tmp_path, settings
):
    settings.OUTBOX_CLAIM_SECONDS = 3
    mail = tmp_path / "mail"
    mail.mkdir()
    worker_env = {
        "EMAIL_BACKEND": "tests.faults.mail.SlowFileEmailBackend",
        "FAULT_MAIL_DIR": str(mail),
        "FAULT_MAIL_DELAY": "0.4",
        "OUTBOX_CLAIM_SECONDS": "3",
    }
    world = make_world()
    world.citizen.email = "an@example.vn"
    world.citizen.save()
    worker = start_worker(**worker_env)
    codes = [_submit(world, key=f"batch-{n}").json()["code"] for n in range(6)]
    for code in codes:
        assert _act(world.clerk, code, "receive").status_code == 200
    time.sleep(1.0)  # a couple of notices out, the rest queued or in the handler
    stop_worker(worker, kill=True)
    assert OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()

    time.sleep(float(worker_env["OUTBOX_CLAIM_SECONDS"]))  # the dead worker's claim expires
    worker = start_worker(**worker_env)
    try:
        assert wait_for(_all_delivered, 90)
    finally:
        stop_worker(worker)
    received = [s for s in _mail_subjects(mail) if "đã được tiếp nhận" in s]
    assert received == sorted(f"Hồ sơ {code} đã được tiếp nhận" for code in codes)
    _assert_rollups_equal_raw_recount()


def _postgres_cluster() -> tuple[str, str] | None:
    if not shutil.which("pg_lsclusters"):
        return None
    port = str(connection.settings_dict.get("PORT") or 5432)
    for line in subprocess.run(
        ["pg_lsclusters", "-h"], capture_output=True, text=True
    ).stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if cluster_port == port:
            return version, name
    return None


def _post_over_http(base_url: str, token: str, procedure: str, key: str) -> tuple[int, dict]:
    """A submission through a real server thread (the test client skips the connection
    housekeeping that a request normally starts with, which is what this test is about)."""
    boundary = "faultboundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="procedure"\r\n\r\n{procedure}\r\n'
    ).encode()
    body += (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="documents"; '
            'filename="don.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        + PDF
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base_url}/api/v1/dossiers/",
        data=body,
        method="POST",
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Authorization": f"Token {token}",
            "Idempotency-Key": key,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, {"body": error.read().decode(errors="replace")[:500]}


def test_submissions_succeed_when_postgresql_restarts_between_them(settings, live_server):
    cluster = _postgres_cluster()
    if cluster is None:
        pytest.skip("needs a local PostgreSQL cluster managed by pg_ctlcluster")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    world = make_world()
    token = user_token_get_or_create(user=world.citizen, now=timezone.now()).key
    first = _post_over_http(live_server.url, token, world.procedure.code, "pg-1")
    assert first[0] == 201, first
    subprocess.run(["pg_ctlcluster", *cluster, "restart"], check=True, capture_output=True)
    port = str(connection.settings_dict.get("PORT") or 5432)
    ready = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", port]
    assert wait_for(lambda: subprocess.run(ready).returncode == 0, 30)
    connection.close()  # this test's own connection died with the server

    second = _post_over_http(live_server.url, token, world.procedure.code, "pg-2")
    assert second[0] == 201, second
    again = _post_over_http(live_server.url, token, world.procedure.code, "pg-1")
    assert again[1]["code"] == first[1]["code"]
    assert Dossier.objects.count() == 2
    _assert_every_file_kept()
