"""Statements per hot request, pinned: a change that adds queries to a submission, a `receive`,
a dossier detail or a catalog page fails here (and must say why it needs them). Counts are per
database vendor: PostgreSQL adds an advisory lock and savepoints where SQLite needs none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from procedures.models import Procedure
from tests.dossiers.engine_world import PDF, make_world
from tests.factories import make_procedure

pytestmark = pytest.mark.django_db

# vendor -> request -> the most statements it may run.
# Submission (14): procedure, desk, unit; the day's sequence (one UPDATE … RETURNING); the
# dossier, its documents (one INSERT; a new dossier has no stored size to check); the audit
# chain (head locked and read in one UPDATE … RETURNING, the event, the head moved); linking
# the documents; one outbox INSERT; one savepoint; the response (the dossier with its documents,
# legs and events: one statement). Main had 27 after the audit chain arrived, then 19.
# Receive (12): the dossier (visibility, then locked), submission methods, calendar, update (of
# the changed columns only), the audit chain (3), one outbox INSERT, one savepoint, the response
# (1). Main had 18, then 15.
# Detail: the dossier with its documents, legs and events in one statement (4 before: the dossier,
# then one query per list). Public lookup: the dossier joined to its events (2 before, and one
# per event before the events' dossier column was loaded with them).
LIMITS = {
    "sqlite": {"submit": 14, "receive": 12, "detail": 1, "catalog": 4, "procedure": 3, "lookup": 1},
    "postgresql": {
        "submit": 14,
        "receive": 12,
        "detail": 1,
        "catalog": 4,
        "procedure": 3,
        "lookup": 1,
    },
}


def _limit(name: str) -> int:
    return LIMITS[connection.vendor][name]


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _submit(world) -> tuple[str, int]:
    files = [
        SimpleUploadedFile(name, PDF, content_type="application/pdf")
        for name in ("don.pdf", "cccd.pdf")
    ]
    with CaptureQueriesContext(connection) as captured:
        response = _client(world.citizen).post(
            "/api/v1/dossiers/",
            {"procedure": world.procedure.code, "documents": files},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    return response.json()["code"], len(captured)


def test_submission_runs_pinned_statements_when_two_pdfs():
    world = make_world()
    _submit(world)  # the first one warms per-process caches (content types, calendars)
    _code, count = _submit(world)
    print("submit", connection.vendor, count)
    assert count <= _limit("submit")


def test_receive_runs_pinned_statements_when_clerk_receives():
    world = make_world()
    _submit(world)
    code, _count = _submit(world)
    with CaptureQueriesContext(connection) as captured:
        response = _client(world.clerk).post(
            f"/api/v1/dossiers/{code}/actions/", {"action": "receive"}, format="json"
        )
    assert response.status_code == 200, response.content
    print("receive", connection.vendor, len(captured))
    assert len(captured) <= _limit("receive")
    # The dossier's UPDATE writes what the transition changed, not the applicant's columns.
    (update,) = [q["sql"] for q in captured if q["sql"].startswith('UPDATE "dossiers_dossier"')]
    assert '"status"' in update and '"due_at"' in update
    assert '"applicant_name"' not in update and '"form_data"' not in update


def test_dossier_detail_runs_pinned_statements_when_clerk_reads():
    world = make_world()
    code, _count = _submit(world)
    _client(world.clerk).post(f"/api/v1/dossiers/{code}/actions/", {"action": "receive"})
    client = _client(world.clerk)
    client.get(f"/api/v1/dossiers/{code}/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/api/v1/dossiers/{code}/")
    assert response.status_code == 200
    print("detail", connection.vendor, len(captured))
    assert len(captured) <= _limit("detail")


def test_catalog_page_runs_pinned_statements_when_searching(client):
    for n in range(30):
        make_procedure(name=f"Đăng ký khai sinh {n}")
    client.get("/thu-tuc/?q=khai+sinh")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/thu-tuc/?q=khai+sinh")
    assert response.status_code == 200
    print("catalog", connection.vendor, len(captured))
    assert len(captured) <= _limit("catalog")


def test_procedure_page_runs_pinned_statements_when_cached(client):
    procedure = make_procedure(name="Đăng ký khai sinh")
    assert Procedure.objects.filter(pk=procedure.pk).exists()
    client.get(f"/thu-tuc/{procedure.code}/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/thu-tuc/{procedure.code}/")
    assert response.status_code == 200
    print("procedure", connection.vendor, len(captured))
    assert len(captured) <= _limit("procedure")


def test_public_lookup_runs_pinned_statements_whatever_the_events(client):
    world = make_world()
    code, _count = _submit(world)
    for action in ("receive", "start_processing"):
        _client(world.clerk).post(f"/api/v1/dossiers/{code}/actions/", {"action": action})
    verifier = world.citizen.phone[-4:]
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/lookup/", {"code": code, "verifier": verifier})
    assert response.status_code == 200, response.content
    assert len(response.json()["timeline"]) >= 3
    print("lookup", connection.vendor, len(captured))
    assert len(captured) <= _limit("lookup")
