"""The catalog fee pre-fills "request payment" (through dossiers.hooks), exemptions shown, the
amount still the clerk's to change; the online payment indicator on the leaders' dashboard."""

from decimal import Decimal

import pytest

from dossiers.services import dossier_start_processing
from payments.models import FeeSource, ProcedureFee
from payments.selectors import fee_request_defaults
from procedures.models import Channel
from stats.services import rollup_rebuild
from tests.dossiers.engine_world import MONDAY, make_world, received
from tests.payments.payment_world import HOUR, awaiting_payment, gateway_result, started

IPN_PATH = "/thanh-toan/vnpay/ipn/"

pytestmark = pytest.mark.django_db


def _processing():
    world = make_world()
    dossier = received(world, now=MONDAY)
    dossier = dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=MONDAY + HOUR)
    return world, dossier


def _fee(world, **values):
    return ProcedureFee.objects.create(procedure=world.procedure, channel=Channel.ONLINE, **values)


def test_request_payment_form_prefilled_with_catalog_fee_and_exemptions_when_catalog_has_one(
    client,
):
    world, dossier = _processing()
    _fee(
        world,
        amount=Decimal(200000),
        source=FeeSource.PARSED,
        source_text="Lệ phí: 200000 Đồng",
        exemptions="người có công với cách mạng",
    )
    _fee_direct = ProcedureFee.objects.create(  # another channel's fee is not used
        procedure=world.procedure, channel=Channel.DIRECT, amount=Decimal(1000), source="parsed"
    )
    client.force_login(world.clerk)  # the desk now holding it (its agency has no desk page)

    page = client.get(f"/ho-so/mot-cua/ho-so/{dossier.code}/").content.decode()

    assert 'name="request_payment-fee_amount" value="200000"' in page
    assert "200.000 đồng" in page
    assert "Đối tượng miễn, giảm: người có công với cách mạng" in page
    assert _fee_direct.amount == Decimal(1000)


def test_request_payment_uses_the_amount_the_clerk_typed_when_it_differs_from_catalog(client):
    world, dossier = _processing()
    _fee(world, amount=Decimal(200000), source=FeeSource.PARSED)
    client.force_login(world.clerk)  # the desk now holding it (its agency has no desk page)

    response = client.post(
        f"/ho-so/mot-cua/ho-so/{dossier.code}/thao-tac/request_payment/",
        {"request_payment-fee_amount": "100000"},
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "awaiting_payment" and dossier.fee_amount == Decimal(100000)


def test_fee_request_defaults_gives_no_amount_when_catalog_needs_an_administrator():
    world, dossier = _processing()
    _fee(world, source=FeeSource.NEEDS_ADMIN, source_text="Lệ phí: Theo quy định")

    defaults = fee_request_defaults(dossier=dossier, action="request_payment")

    assert defaults.initial == {}
    assert "Lệ phí: Theo quy định" in defaults.notes[0]
    assert fee_request_defaults(dossier=dossier, action="stop") is None


def test_fee_request_defaults_says_free_when_catalog_says_free():
    world, dossier = _processing()
    _fee(world, amount=Decimal(0), source=FeeSource.FREE, source_text="Miễn phí")

    defaults = fee_request_defaults(dossier=dossier, action="request_payment")

    assert defaults.initial == {} and "miễn phí" in defaults.notes[0]


def test_dashboard_shows_online_payment_indicator_when_one_fee_paid_online(client):
    world, dossier = awaiting_payment()
    _payment, params = started(world, dossier)
    assert client.get(IPN_PATH, gateway_result(params)).json()["RspCode"] == "00"
    # The dashboard reads the rollups; the outbox refreshes them after each change in production.
    day = MONDAY.date()
    rollup_rebuild(date_from=day, date_to=day, now=MONDAY + 4 * HOUR)
    client.force_login(world.leader)

    page = client.get(
        "/mot-cua/thong-ke/",
        {"period": "custom", "from": f"{MONDAY:%d/%m/%Y}", "to": f"{MONDAY:%d/%m/%Y}"},
    ).content.decode()

    assert 'data-indicator="paid-online">1/1 = 100,0%' in page
