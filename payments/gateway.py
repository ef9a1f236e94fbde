"""The payment-gateway adapter interface, and the one the portal is configured with.

A gateway turns a pending Payment into a URL the citizen's browser goes to, checks the
signature of what it sends back (the browser's return and the server-to-server notice), and
answers a status query for the daily reconciliation. `payments.vnpay.VnpayGateway` speaks
VNPAY's protocol; the local sandbox (`payments.sandbox`) speaks the same one, so switching to
the real gateway is configuration only (docs/payments.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class GatewayNotice:
    """A verified result from the gateway (return URL or IPN), in portal units (VND)."""

    txn_ref: str
    amount: Decimal
    success: bool
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: dt.datetime | None


@dataclass(frozen=True)
class GatewayStatus:
    """What the gateway says about one transaction when asked (querydr)."""

    found: bool
    paid: bool
    amount: Decimal | None
    transaction_status: str
    transaction_no: str = ""


class PaymentGateway(Protocol):
    name: str

    def pay_url(
        self,
        *,
        txn_ref: str,
        amount: Decimal,
        order_info: str,
        return_url: str,
        client_ip: str,
        created_at: dt.datetime,
        expires_at: dt.datetime,
    ) -> str: ...

    def verify(self, params: dict[str, str]) -> bool: ...

    def notice(self, params: dict[str, str]) -> GatewayNotice: ...

    def query(self, *, txn_ref: str, order_info: str, created_at: dt.datetime) -> GatewayStatus: ...


def gateway() -> PaymentGateway:
    """The configured gateway (PAYMENT_GATEWAY_CLASS), built from settings."""
    return import_string(settings.PAYMENT_GATEWAY_CLASS).from_settings()
