import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from dossiers.models import DossierEvent
from dossiers.services.chain import GENESIS, chain_verify
from dossiers.services.events import event_record
from tests.factories import make_dossier


def _events(n: int) -> list[DossierEvent]:
    dossier = make_dossier()
    return [
        event_record(
            dossier=dossier,
            action="note",
            actor=None,
            from_status="new",
            now=timezone.now(),
            note=f"bước {i}",
            data={"i": i},
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_event_record_links_each_event_to_the_one_before_when_appending():
    events = _events(3)
    assert events[0].prev_hash == GENESIS
    assert [e.chain_position for e in events] == [1, 2, 3]
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert chain_verify().ok


@pytest.mark.django_db
def test_chain_verify_names_the_first_broken_link_when_a_row_is_edited_behind_the_app():
    events = _events(4)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE dossiers_dossierevent SET note = %s WHERE id = %s", ["sửa lén", events[1].pk]
        )
    report = chain_verify()
    assert not report.ok
    assert report.broken_event_id == events[1].pk
    with pytest.raises(CommandError, match=f"id={events[1].pk}"):
        call_command("audit_chain", "verify", stdout=io.StringIO())


@pytest.mark.django_db
def test_chain_verify_fails_when_a_row_is_deleted_behind_the_app():
    events = _events(3)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [events[1].pk])
    report = chain_verify()
    assert report.broken_event_id == events[2].pk


@pytest.mark.django_db
def test_chain_verify_fails_when_the_last_row_is_deleted_behind_the_app():
    events = _events(2)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM dossiers_dossierevent WHERE id = %s", [events[1].pk])
    assert not chain_verify().ok


@pytest.mark.django_db
def test_chain_verify_fails_when_a_published_anchor_no_longer_matches():
    events = _events(2)
    assert chain_verify(published_anchors={2: events[1].hash}).ok
    assert not chain_verify(published_anchors={2: "f" * 64}).ok


@pytest.mark.django_db
def test_audit_chain_command_passes_when_untouched():
    _events(2)
    out = io.StringIO()
    call_command("audit_chain", "verify", stdout=out)
    assert "OK: 2 events" in out.getvalue()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_chain_stays_whole_when_events_are_written_in_parallel_transactions():
    from django.db import transaction

    from tests.dossiers.test_concurrency import run_in_parallel

    dossiers = [make_dossier() for _ in range(8)]

    def write(dossier):
        def run():
            with transaction.atomic():
                for i in range(5):
                    event_record(
                        dossier=dossier,
                        action="note",
                        actor=None,
                        from_status="new",
                        now=timezone.now(),
                        note=str(i),
                    )
            return True

        return run

    results = run_in_parallel([write(d) for d in dossiers])
    assert results == [True] * 8, results
    report = chain_verify()
    assert report.ok and report.checked == 40, report
    positions = sorted(DossierEvent.objects.values_list("chain_position", flat=True))
    assert positions == list(range(1, 41))


@pytest.mark.django_db
def test_open_data_publishes_the_chain_head_as_an_anchor_when_events_exist(client):
    events = _events(2)
    body = client.get("/api/v1/open-data/audit-anchors.json").json()
    assert body["anchors"] == [{"position": 2, "sha256": events[1].hash}]


@pytest.mark.django_db
def test_control_slip_prints_each_event_hash_when_rendered():
    import io as _io

    from pypdf import PdfReader

    from dossiers.pdf.context import dossier_for_forms
    from dossiers.pdf.forms import render_control_slip

    events = _events(2)
    pdf = render_control_slip(dossier_for_forms(events[0].dossier_id))
    text = "".join(page.extract_text() for page in PdfReader(_io.BytesIO(pdf)).pages)
    text = "".join(text.split())
    assert events[0].hash in text and events[1].hash in text
