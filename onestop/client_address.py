"""The client address behind every limit of the portal, HTML pages and API alike.

`X-Forwarded-For` is trusted only when the connecting address (REMOTE_ADDR) is one of the
reverse proxies the operator lists in settings.TRUSTED_PROXIES (env DJANGO_TRUSTED_PROXIES,
IPs or CIDRs, default none). The chain is then walked from the right, skipping trusted proxies:
the first address that is not one of them is the client, since every hop left of it could have
been written by the client itself. It lives in the lowest app that limits anything (the desk
floor's kiosks), so accounts and dossiers import it from here.
"""

import ipaddress
import logging
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for raw in proxies:
        raw = raw.strip()
        if not raw:
            continue
        try:
            networks.append(ipaddress.ip_network(raw, strict=False))
        except ValueError:
            logger.warning("TRUSTED_PROXIES: %r is not an IP address or network, ignored", raw)
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    """The configured proxies (a list or a comma-separated string in settings)."""
    proxies = getattr(settings, "TRUSTED_PROXIES", ()) or ()
    if isinstance(proxies, str):
        proxies = proxies.split(",")
    return _networks(tuple(proxies))


def _parse(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    raw = raw.strip().strip('"')
    if raw.startswith("[") and "]" in raw:  # [2001:db8::1]:443
        raw = raw[1 : raw.index("]")]
    elif raw.count(":") == 1:  # 203.0.113.7:51234
        raw = raw.split(":", 1)[0]
    try:
        return ipaddress.ip_address(raw)
    except ValueError:
        return None


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The address of the client as far as the configured proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    connected = _parse(remote)
    if connected is None:
        return remote or "unknown"
    networks = trusted_proxies()
    if not networks or not _is_trusted(connected, networks):
        return str(connected)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = connected
    for hop in reversed([part for part in forwarded.split(",") if part.strip()]):
        address = _parse(hop)
        if address is None:
            break  # garbage written by someone untrusted: stop at the last good hop
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
