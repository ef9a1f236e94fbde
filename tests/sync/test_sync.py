"""Sync to the national portal against the local stand-in over real HTTP: every tracked change
pushed once and in order, catching up after the stand-in failed for a while, never n+1 before
n; the stand-in's own checks; the reconciliation page with its retry and its indicator."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

import outbox.tasks  # noqa: F401 (registers the delivery task the outbox asks for)
from dossiers.models import Dossier
from dossiers.services import (
    dossier_confirm_payment,
    dossier_request_payment,
    dossier_resolve,
    dossier_return_result,
    dossier_start_processing,
)
from outbox.delivery import outbox_deliver, outbox_deliver_batch
from outbox.models import OutboxMessage, OutboxStatus
from sync import national
from sync.models import NationalView, StandInRecord, SyncMessage
from sync.standin import standin_fail_next
from tests.dossiers.engine_world import MONDAY, make_world, received

HOUR = datetime.timedelta(hours=1)
LATER = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)  # past every outbox backoff
EXPECTED = [1, 2, 4, 6, 4, 9, 10]  # new, received, processing, fee, processing, resolved, returned
JOURNEY_ACTIONS = [
    "submit",
    "receive",
    "start_processing",
    "request_payment",
    "confirm_payment",
    "resolve",
    "return_result",
]


def _journey(world) -> Dossier:
    dossier = received(world)
    steps = [
        lambda: dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY),
        lambda: dossier_request_payment(
            dossier_id=dossier.pk, actor=world.specialist, fee_amount=50000, now=MONDAY + HOUR
        ),
        lambda: dossier_confirm_payment(
            dossier_id=dossier.pk, actor=world.specialist, now=MONDAY + 2 * HOUR
        ),
        lambda: dossier_resolve(
            dossier_id=dossier.pk, actor=world.specialist, result="approved", now=MONDAY + 3 * HOUR
        ),
        lambda: dossier_return_result(
            dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + 4 * HOUR
        ),
    ]
    for step in steps:
        step()
    return Dossier.objects.get(pk=dossier.pk)


def _received(dossier) -> list[tuple[int, int, int]]:
    return list(
        StandInRecord.objects.filter(dossier_code=dossier.code)
        .order_by("received_at", "id")
        .values_list("seq", "national_status", "deliveries")
    )


@pytest.fixture
def live(live_server, settings):
    settings.PORTAL_BASE_URL = live_server.url
    settings.SYNC_ENDPOINT_URL = "/sandbox-dvcqg/api/hoso/"
    settings.SYNC_STATUS_URL = "/sandbox-dvcqg/api/hoso/{code}/"
    return live_server


@pytest.mark.django_db(transaction=True)
def test_sync_push_sends_every_transition_once_in_order_when_standin_is_up(live):
    dossier = _journey(make_world())
    assert _received(dossier) == [(n, status, 1) for n, status in enumerate(EXPECTED, start=1)]
    last = StandInRecord.objects.get(dossier_code=dossier.code, seq=7).body
    assert (last["KetQua"], last["DungHan"], last["KenhNop"]) == (
        "approved",
        dossier.outcome,
        "online",
    )
    assert last["MaHoSo"] == dossier.code and last["MaTTHC"] == dossier.procedure.code
    assert not SyncMessage.objects.filter(acked_at__isnull=True).exists()
    assert NationalView.objects.get(dossier=dossier).national_status == 10


@pytest.mark.django_db(transaction=True)
def test_sync_push_catches_up_in_order_when_standin_failed_for_a_while(live):
    standin_fail_next(1000)
    dossier = _journey(make_world())
    assert _received(dossier) == []
    rows = list(
        OutboxMessage.objects.filter(handler="sync.push", payload__dossier_id=dossier.pk)
        .exclude(status=OutboxStatus.SENT)
        .order_by("id")
    )
    assert len(rows) == 7 and all(row.last_error for row in rows)
    standin_fail_next(0)
    # Still failing for one more request: the row of change 3 tries message 1 first, fails,
    # and sends nothing after it (never 3 before 1 and 2 are acknowledged).
    standin_fail_next(1)
    assert outbox_deliver(message_id=rows[2].pk, now=LATER) == "retry"
    assert _received(dossier) == []
    # Message 5's own outbox row has not run (its message is not recorded): the row of change 7
    # records it and sends 1..7 in order.
    SyncMessage.objects.filter(dossier=dossier, seq=5).delete()
    OutboxMessage.objects.filter(pk=rows[6].pk).update(claimed_until=None)
    assert outbox_deliver(message_id=rows[6].pk, now=LATER) == "sent"
    # The other rows then find their messages acknowledged: nothing is sent twice.
    for row in rows[:6]:
        OutboxMessage.objects.filter(pk=row.pk).update(available_at=LATER, claimed_until=None)
        assert outbox_deliver(message_id=row.pk, now=LATER) == "sent"
    assert _received(dossier) == [(n, status, 1) for n, status in enumerate(EXPECTED, start=1)]


@pytest.mark.django_db(transaction=True)
def test_sync_reconciliation_lists_failed_and_differing_dossiers_and_retry_fixes_them(live):
    world = make_world()
    standin_fail_next(1000)
    dossier = received(world)
    leader = Client()
    leader.force_login(world.leader)
    page = leader.get("/mot-cua/dong-bo/").content.decode()
    assert f'data-dossier="{dossier.code}"' in page and "Lỗi khi gửi" in page
    assert "0/1" in page  # the Decision 766 sync indicator
    standin_fail_next(0)
    assert leader.post(f"/mot-cua/dong-bo/{dossier.pk}/thu-lai/").status_code == 302
    assert _received(dossier) == [(1, 1, 1), (2, 2, 1)]
    page = leader.get("/mot-cua/dong-bo/").content.decode()
    assert f'data-dossier="{dossier.code}"' not in page and "1/1" in page
    # A planted difference: the national side shows the dossier as refused (3).
    StandInRecord.objects.filter(dossier_code=dossier.code, seq=2).update(national_status=3)
    leader.post(f"/mot-cua/dong-bo/{dossier.pk}/thu-lai/")
    page = leader.get("/mot-cua/dong-bo/").content.decode()
    assert f'data-dossier="{dossier.code}"' in page and "Trạng thái khác nhau" in page


@pytest.mark.django_db
def test_sync_reconciliation_forbidden_when_user_is_a_citizen(client):
    world = make_world()
    client.force_login(world.citizen)
    assert client.get("/mot-cua/dong-bo/").status_code == 403


def _post(client, body: dict, *, key: str, secret: str | None = None):
    raw = national.body_bytes(body)
    return client.post(
        "/sandbox-dvcqg/api/hoso/",
        raw,
        content_type="application/json",
        headers={
            national.SIGNATURE_HEADER: national.signature(
                secret or settings.SYNC_SHARED_SECRET, raw
            ),
            national.KEY_HEADER: key,
        },
    )


@pytest.mark.django_db
def test_standin_receive_refuses_bad_signature_and_order_and_dedupes_repeats(client):
    first = {"MaHoSo": "H02-1", "SoThuTu": 1, "TrangThai": 1}
    third = {"MaHoSo": "H02-1", "SoThuTu": 3, "TrangThai": 4}
    assert _post(client, first, key="k1", secret="wrong").status_code == 401
    assert _post(client, first, key="k1").status_code == 201
    repeat = _post(client, first, key="k1")
    assert repeat.status_code == 200 and repeat.json()["status"] == "duplicate"
    assert _post(client, third, key="k3").status_code == 409
    assert list(StandInRecord.objects.values_list("seq", "deliveries")) == [(1, 2)]
    standin_fail_next(1)
    assert _post(client, {**first, "SoThuTu": 2}, key="k2").status_code == 503
    assert _post(client, {**first, "SoThuTu": 2}, key="k2").status_code == 201


@pytest.mark.django_db
def test_sync_push_records_messages_without_sending_when_endpoint_not_configured(
    django_capture_on_commit_callbacks,
):
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received(world)
    assert list(SyncMessage.objects.filter(dossier=dossier).values_list("seq", "acked_at")) == [
        (1, None),
        (2, None),
    ]
    assert not StandInRecord.objects.exists()


@pytest.mark.django_db
def test_sync_push_batch_records_what_row_by_row_records_when_a_burst_is_delivered_at_once(
    django_assert_max_num_queries,
):
    """Two dossiers' whole journeys, their outbox rows held back (no on-commit delivery): one
    dossier's rows delivered one by one, the other's in one batch, give the same messages; the
    batch records all seven in a handful of statements."""
    world = make_world()
    one_by_one, together = _journey(world), _journey(world)

    def rows(dossier):
        return list(
            OutboxMessage.objects.filter(handler="sync.push", payload__dossier_id=dossier.pk)
            .order_by("id")
            .values_list("pk", flat=True)
        )

    def messages(dossier):
        return [
            (m.seq, m.event.action, m.event.dossier_id, {**m.body, "MaHoSo": None})
            for m in SyncMessage.objects.filter(dossier=dossier).select_related("event")
        ]

    assert len(rows(together)) == 7 and not SyncMessage.objects.exists()
    for row in rows(one_by_one):
        assert outbox_deliver(message_id=row) == "sent"
    with django_assert_max_num_queries(8):
        outcomes = outbox_deliver_batch(message_ids=rows(together))
    assert set(outcomes.values()) == {"sent"}
    assert [m[:2] for m in messages(one_by_one)] == list(enumerate(JOURNEY_ACTIONS, start=1))
    assert messages(together) == [
        (seq, action, together.pk, body) for seq, action, _dossier, body in messages(one_by_one)
    ]
