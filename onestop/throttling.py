"""DRF throttles that identify the client by `onestop.client_address.client_ip` and let the
request through, with a log line, when the cache is down (a throttle must never answer 500).

DRF's own `SimpleRateThrottle.get_ident` trusts any `X-Forwarded-For` unless NUM_PROXIES is
set; every throttle of the project derives from these classes instead.
"""

import logging

from rest_framework import throttling

from onestop.client_address import client_ip
from onestop.rate_limit import CACHE_ERRORS

logger = logging.getLogger(__name__)


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_ip(request._request if hasattr(request, "_request") else request)

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning("throttle %s skipped, cache unavailable: %s", type(self).__name__, exc)
            return True


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientAddressMixin, throttling.ScopedRateThrottle):
    pass
