"""Writes about accounts: registration, profile updates, sign-in with throttling of failures.

Failed sign-ins are counted in the cache (Redis in production, so every web worker shares the
count) per identifier and per client address, in a fixed window of
LOGIN_FAILURE_WINDOW_SECONDS. Past LOGIN_FAILURE_LIMIT failures for an identifier, or
LOGIN_FAILURE_IP_LIMIT for an address, sign-in is refused without checking the password until
the window ends. The HTML login and the API token endpoint both go through `user_authenticate`.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.validators import normalize_phone


class LoginThrottledError(Exception):
    """Too many failed sign-ins; `retry_at` is when the window ends."""

    def __init__(self, *, retry_at: datetime.datetime, message: str) -> None:
        self.retry_at = retry_at
        super().__init__(message)


class InvalidCredentialsError(Exception):
    """Unknown identifier, wrong password or inactive account (never says which)."""


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int


def _identifier_key(identifier: str) -> str:
    canonical = identifier.strip().lower()
    phone = normalize_phone(canonical)
    if phone.isdigit() and len(phone) == 10:
        canonical = phone
    return "login-fail:id:" + hashlib.sha256(canonical.encode()).hexdigest()


def _counters(*, identifier: str, ip: str | None) -> list[_Counter]:
    counters = [_Counter(_identifier_key(identifier), settings.LOGIN_FAILURE_LIMIT)]
    if ip:
        counters.append(_Counter(f"login-fail:ip:{ip}", settings.LOGIN_FAILURE_IP_LIMIT))
    return counters


def login_throttle_message(*, retry_at: datetime.datetime, now: datetime.datetime) -> str:
    minutes = max(1, -(-int((retry_at - now).total_seconds()) // 60))
    return _(
        "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút (lúc %(time)s)."
    ) % {"minutes": minutes, "time": timezone.localtime(retry_at).strftime("%H:%M")}


def login_throttle_check(*, identifier: str, ip: str | None, now: datetime.datetime) -> None:
    """Raise LoginThrottledError when the identifier or the address is over its limit."""
    for counter in _counters(identifier=identifier, ip=ip):
        count = cache.get(counter.key + ":n", 0)
        if count >= counter.limit:
            started = cache.get(counter.key + ":t")
            started_at = (
                datetime.datetime.fromtimestamp(started, tz=datetime.UTC) if started else now
            )
            window = datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
            retry_at = max(started_at + window, now)
            raise LoginThrottledError(
                retry_at=retry_at, message=login_throttle_message(retry_at=retry_at, now=now)
            )


def login_failure_record(*, identifier: str, ip: str | None, now: datetime.datetime) -> None:
    """Count one failed sign-in for the identifier and the address."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for counter in _counters(identifier=identifier, ip=ip):
        cache.add(counter.key + ":t", now.timestamp(), timeout=window)
        if cache.add(counter.key + ":n", 1, timeout=window):
            continue
        try:
            cache.incr(counter.key + ":n")
        except ValueError:  # expired between add() and incr()
            cache.add(counter.key + ":n", 1, timeout=window)


def login_failure_reset(*, identifier: str) -> None:
    """Forget the identifier's failures after a successful sign-in (the address keeps its count)."""
    key = _identifier_key(identifier)
    cache.delete_many([key + ":n", key + ":t"])


def user_authenticate(
    *,
    request: HttpRequest | None,
    identifier: str,
    password: str,
    ip: str | None,
    now: datetime.datetime,
) -> User:
    """Check the password of the account named by username, CCCD, phone or email.

    Raises LoginThrottledError (password not even checked) or InvalidCredentialsError.
    """
    login_throttle_check(identifier=identifier, ip=ip, now=now)
    user = authenticate(request, username=identifier, password=password)
    if user is None:
        login_failure_record(identifier=identifier, ip=ip, now=now)
        raise InvalidCredentialsError(
            _("Thông tin đăng nhập hoặc mật khẩu không đúng. Vui lòng kiểm tra và thử lại.")
        )
    login_failure_reset(identifier=identifier)
    return user


def client_ip(request: HttpRequest) -> str | None:
    """The address that connected (a reverse proxy must pass REMOTE_ADDR through, e.g. gunicorn
    --forwarded-allow-ips); X-Forwarded-For is not trusted because clients can forge it."""
    return request.META.get("REMOTE_ADDR") or None


@transaction.atomic
def user_register(*, full_name: str, cccd: str, phone: str, email: str, password: str) -> User:
    """Create a citizen account; the CCCD doubles as the username."""
    user = User(
        username=cccd,
        full_name=full_name.strip(),
        cccd=cccd,
        phone=normalize_phone(phone),
        email=email.strip().lower(),
        role=Role.CITIZEN,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_update_profile(
    *, user: User, full_name: str, phone: str, email: str, address: str
) -> User:
    """Update the contact details a person may change themselves."""
    user.full_name = full_name.strip()
    user.phone = normalize_phone(phone) or None
    user.email = email.strip().lower()
    user.address = address.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone", "email", "address"])
    return user


def user_token_get_or_create(*, user: User) -> Token:
    """The user's API token (one per user, kept until revoked in the admin)."""
    token, _created = Token.objects.get_or_create(user=user)
    return token
