"""Real parallel transactions on PostgreSQL: codes, double receptions, idempotent retries."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from dossiers.models import Dossier, DossierEvent, DossierStatus
from dossiers.services import (
    TransitionForbidden,
    UploadedDocument,
    dossier_receive,
    dossier_receive_walk_in,
    dossier_submit_online,
)
from procedures.models import Channel
from tests.dossiers.engine_world import MONDAY, PDF, make_world, submit
from tests.factories import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_in_parallel(functions: list[Callable[[], object]]) -> list[object]:
    """Start every function at the same instant, each in its own thread and DB connection."""
    barrier = threading.Barrier(len(functions))
    results: list[object] = [None] * len(functions)

    def worker(index: int, function: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_dossier_receive_walk_in_gives_unique_consecutive_codes_when_clerks_act_at_once():
    world = make_world()
    clerks = [world.clerk, world.other_clerk] + [
        make_user(role="clerk", desk=world.province_desk) for _ in range(6)
    ]

    def receive(clerk):
        return lambda: dossier_receive_walk_in(
            clerk=clerk,
            procedure=world.procedure,
            applicant_fields={"name": "Nguyễn Văn B", "phone": "0900000001"},
            documents=[UploadedDocument(name="a.pdf", content=PDF)],
            channel=Channel.DIRECT,
            now=MONDAY,
        )

    results = run_in_parallel([receive(clerk) for clerk in clerks])
    assert all(isinstance(result, Dossier) for result in results), results
    codes = sorted(result.code for result in results)
    prefix = f"{world.province_desk.agency_code}-260302-"
    assert codes == [f"{prefix}{n:04d}" for n in range(1, len(clerks) + 1)]


def test_dossier_receive_lets_one_clerk_win_when_two_receive_at_once():
    world = make_world()
    dossier = submit(world)
    results = run_in_parallel(
        [
            lambda: dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY),
            lambda: dossier_receive(dossier_id=dossier.pk, actor=world.other_clerk, now=MONDAY),
        ]
    )
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, TransitionForbidden)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Được tiếp nhận" in losers[0].message
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1
    assert Dossier.objects.get(pk=dossier.pk).status == DossierStatus.RECEIVED


def test_dossier_submit_online_creates_one_dossier_when_same_key_races():
    world = make_world()

    def send():
        return dossier_submit_online(
            applicant=world.citizen,
            procedure=world.procedure,
            desk=world.province_desk,
            applicant_fields={},
            form_data={},
            documents=[UploadedDocument("a.pdf", PDF)],
            idempotency_key="retry-1",
            now=MONDAY,
        )

    results = run_in_parallel([send, send, send, send])
    assert all(isinstance(result, Dossier) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Dossier.objects.count() == 1
    # The losers rolled back their sequence number too: the next code is 0002.
    assert submit(world).code.endswith("-0002")
