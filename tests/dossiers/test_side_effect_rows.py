"""A dossier change writes an outbox row for a handler exactly when that handler will act on it:
each scenario below goes through the real services, and every payload published is handed to
every handler subscribed to "dossier.changed"; the handler acted (sent an e-mail or an SMS,
rebuilt rollup cells, recorded a sync message, made a receipt) if and only if its row exists."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from accounts.sms import MemorySmsBackend
from dossiers import side_effects
from dossiers.services.processing import (
    dossier_confirm_payment,
    dossier_record_online_payment,
    dossier_request_payment,
    dossier_start_processing,
)
from dossiers.services.reception import dossier_receive
from outbox.models import OutboxMessage
from outbox.registry import handler_for, subscriptions_for
from tests.dossiers.engine_world import MONDAY, make_world, submit

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def _acted(name: str, payload: dict) -> bool:
    """Run the handler on the payload and say whether it did anything."""
    mails, texts = len(mail.outbox), len(MemorySmsBackend.outbox)
    result = handler_for(name)(payload)
    return {
        "dossiers.notify_citizen": len(mail.outbox) > mails,
        "dossiers.notify_citizen_sms": len(MemorySmsBackend.outbox) > texts,
        "stats.rollup_refresh": result is True,
        "sync.push": result != "untracked",
        "payments.counter_receipt": result is not None,
    }[name]


@pytest.fixture
def published(monkeypatch):
    """Every "dossier.changed" payload published, checked against its handlers right away."""
    MemorySmsBackend.outbox.clear()
    checked: list[tuple[str, str, bool]] = []
    real = side_effects.outbox_publish

    def publish(*, event, payload, key, now=None):
        count = real(event=event, payload=payload, key=key, now=now)
        for sub in subscriptions_for(event):
            row = OutboxMessage.objects.filter(key=f"{key}:{sub.name}").exists()
            acted = _acted(sub.name, payload)
            assert row == acted, (payload["action"], sub.name, "row" if row else "no row")
            checked.append((payload["action"], sub.name, row))
        return count

    monkeypatch.setattr(side_effects, "outbox_publish", publish)
    return checked


def _rows(checked, action):
    return sorted(name for act, name, row in checked if act == action and row)


def test_dossier_event_publish_writes_rows_exactly_for_acting_handlers_when_a_journey_runs(
    published, settings
):
    assert {sub.name for sub in subscriptions_for(side_effects.DOSSIER_CHANGED)} == {
        "dossiers.notify_citizen",
        "dossiers.notify_citizen_sms",
        "stats.rollup_refresh",
        "sync.push",
        "payments.counter_receipt",
    }, "a new subscriber: say in _acted how to see that it acted"
    world = make_world()
    dossier = submit(world)
    dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + HOUR)
    dossier_request_payment(
        dossier_id=dossier.pk,
        actor=world.specialist,
        fee_amount=Decimal(50000),
        now=MONDAY + 2 * HOUR,
    )
    dossier_confirm_payment(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + 3 * HOUR)
    # The submission: the dossier has no day in the statistics and no notice: only the sync.
    assert _rows(published, "submit") == ["sync.push"]
    assert _rows(published, "receive") == [
        "dossiers.notify_citizen",
        "dossiers.notify_citizen_sms",
        "stats.rollup_refresh",
        "sync.push",
    ]
    assert _rows(published, "confirm_payment") == [
        "payments.counter_receipt",
        "stats.rollup_refresh",
        "sync.push",
    ]


def test_dossier_event_publish_skips_notices_when_the_applicant_has_no_phone_or_address(published):
    world = make_world()
    world.citizen.email, world.citizen.phone = "", ""
    world.citizen.save()
    dossier = submit(world)
    dossier.applicant_phone = dossier.applicant_email = ""
    dossier.save()
    dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    assert _rows(published, "receive") == ["stats.rollup_refresh", "sync.push"]


def test_dossier_event_publish_skips_the_counter_receipt_when_paid_online(published):
    world = make_world()
    dossier = submit(world)
    dossier_receive(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY)
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + HOUR)
    dossier_request_payment(
        dossier_id=dossier.pk,
        actor=world.specialist,
        fee_amount=Decimal(50000),
        now=MONDAY + 2 * HOUR,
    )
    dossier_record_online_payment(
        dossier_id=dossier.pk, amount=Decimal(50000), reference="VNP1", now=MONDAY + 3 * HOUR
    )
    assert "payments.counter_receipt" not in _rows(published, "confirm_payment")
    assert "stats.rollup_refresh" in _rows(published, "confirm_payment")
