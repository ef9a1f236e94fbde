"""Builders for the payment tests: a dossier awaiting its fee, and the sandbox's signed answer."""

import datetime
from urllib.parse import parse_qsl, urlsplit

import outbox.tasks  # noqa: F401 (registers the delivery task the outbox asks for)
from dossiers.services import dossier_request_payment, dossier_start_processing
from payments.sandbox import sandbox_decide
from payments.services import payment_start
from tests.dossiers.engine_world import MONDAY, make_world, received

HOUR = datetime.timedelta(hours=1)
FEE = 200000


def awaiting_payment(world=None, *, now=MONDAY):
    world = world or make_world()
    dossier = received(world, now=now)
    dossier_start_processing(dossier_id=dossier.pk, actor=world.clerk, now=now + HOUR)
    dossier = dossier_request_payment(
        dossier_id=dossier.pk, actor=world.specialist, fee_amount=FEE, now=now + 2 * HOUR
    )
    return world, dossier


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def started(world, dossier, *, now=MONDAY + 3 * HOUR, host="http://testserver"):
    """A pending payment and the signed redirect the citizen's browser follows."""
    payment, url = payment_start(
        dossier_id=dossier.pk,
        payer=world.citizen,
        return_url=f"{host}/thanh-toan/vnpay/tra-ve/",
        client_ip="203.0.113.7",
        now=now,
    )
    return payment, query(url)


def gateway_result(request_params: dict, *, approve=True, now=MONDAY + 3 * HOUR) -> dict:
    """The sandbox decides (no IPN sent: the test delivers it) and returns its signed result."""
    return query(sandbox_decide(params=request_params, approve=approve, send_ipn=False, now=now))
