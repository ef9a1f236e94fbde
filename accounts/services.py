"""Writes about accounts: registration, profile updates, sign-in with throttling of failures,
API tokens.

Failed sign-ins are counted per ACCOUNT and per client address, in a fixed window of
LOGIN_FAILURE_WINDOW_SECONDS: the identifier (username, CCCD, phone in any spelling, email) is
resolved to the account it names, so five wrong passwords lock the account whichever identifier
kinds they came by; an identifier that names no account (or two) is counted as typed. Past
LOGIN_FAILURE_LIMIT failures for an account, or LOGIN_FAILURE_IP_LIMIT for an address, sign-in
is refused without checking the password until the window ends. The HTML login and the API token
endpoint both go through `user_authenticate`.

The counts live in the cache (Redis in production, shared by every web worker). When the cache
is down they fall back to the LoginFailure table, with a log line: an outage never unlocks an
account and never turns a sign-in into a 500.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from accounts.models import LoginFailure, Role, User
from accounts.selectors import user_get_by_identifier
from accounts.validators import normalize_phone
from onestop.models import AdministrativeUnit
from onestop.rate_limit import CACHE_ERRORS, rate_within

logger = logging.getLogger(__name__)


class LoginThrottledError(Exception):
    """Too many failed sign-ins; `retry_at` is when the window ends."""

    def __init__(self, *, retry_at: datetime.datetime, message: str) -> None:
        self.retry_at = retry_at
        super().__init__(message)


class InvalidCredentialsError(Exception):
    """Unknown identifier, wrong password or inactive account (never says which)."""


class RegistrationThrottledError(Exception):
    """Too many registration attempts from one client address."""


@dataclass(frozen=True)
class _Counter:
    key: str
    limit: int


def _identifier_key(identifier: str) -> str:
    """The account's counter when the identifier names one account, else the identifier's."""
    user = user_get_by_identifier(identifier)
    if user is not None:
        return f"login-fail:user:{user.pk}"
    canonical = identifier.strip().lower()
    phone = normalize_phone(canonical)
    if phone.isdigit() and phone.isascii() and len(phone) == 10:
        canonical = phone
    return "login-fail:id:" + hashlib.sha256(canonical.encode()).hexdigest()


def _counters(*, identifier: str, ip: str | None) -> list[_Counter]:
    counters = [_Counter(_identifier_key(identifier), settings.LOGIN_FAILURE_LIMIT)]
    if ip:
        counters.append(_Counter(f"login-fail:ip:{ip}", settings.LOGIN_FAILURE_IP_LIMIT))
    return counters


def _window() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _failures(key: str, *, now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """(failures in the window, when the window started) from the cache, else the table."""
    try:
        count = cache.get(key + ":n", 0)
        started = cache.get(key + ":t")
        return count, (
            datetime.datetime.fromtimestamp(started, tz=datetime.UTC) if started else None
        )
    except CACHE_ERRORS as exc:
        logger.warning("login failures read from the database, cache unavailable: %s", exc)
    rows = LoginFailure.objects.filter(key=key, at__gt=now - _window())
    return rows.count(), rows.order_by("at").values_list("at", flat=True).first()


def login_throttle_message(*, retry_at: datetime.datetime, now: datetime.datetime) -> str:
    minutes = max(1, -(-int((retry_at - now).total_seconds()) // 60))
    return _(
        "Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)d phút (lúc %(time)s)."
    ) % {"minutes": minutes, "time": timezone.localtime(retry_at).strftime("%H:%M")}


def login_throttle_check(*, identifier: str, ip: str | None, now: datetime.datetime) -> None:
    """Raise LoginThrottledError when the account (or identifier) or the address is over its
    limit."""
    for counter in _counters(identifier=identifier, ip=ip):
        count, started_at = _failures(counter.key, now=now)
        if count >= counter.limit:
            retry_at = max((started_at or now) + _window(), now)
            raise LoginThrottledError(
                retry_at=retry_at, message=login_throttle_message(retry_at=retry_at, now=now)
            )


def _cache_record(key: str, *, now: datetime.datetime, window: int) -> None:
    cache.add(key + ":t", now.timestamp(), timeout=window)
    if cache.add(key + ":n", 1, timeout=window):
        return
    try:
        cache.incr(key + ":n")
    except ValueError:  # expired between add() and incr()
        cache.add(key + ":n", 1, timeout=window)


def login_failure_record(*, identifier: str, ip: str | None, now: datetime.datetime) -> None:
    """Count one failed sign-in for the account (or identifier) and the address."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    for counter in _counters(identifier=identifier, ip=ip):
        try:
            _cache_record(counter.key, now=now, window=window)
        except CACHE_ERRORS as exc:
            logger.warning("login failure kept in the database, cache unavailable: %s", exc)
            LoginFailure.objects.filter(at__lte=now - _window()).delete()
            LoginFailure.objects.create(key=counter.key, at=now)


def login_failure_reset(*, identifier: str) -> None:
    """Forget the account's failures after a successful sign-in (the address keeps its count)."""
    key = _identifier_key(identifier)
    try:
        cache.delete_many([key + ":n", key + ":t"])
    except CACHE_ERRORS as exc:
        logger.warning("login failures not reset in the cache, cache unavailable: %s", exc)
    LoginFailure.objects.filter(key=key).delete()


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


def registration_throttle_check(*, ip: str | None) -> None:
    """Count one registration attempt of the address; raise past REGISTRATION_LIMIT an hour
    (the form tells whether a CCCD or phone is registered, so it must not be enumerable)."""
    if not ip:
        return
    if not rate_within(
        f"accounts:register:{ip}",
        limit=settings.REGISTRATION_LIMIT,
        window=settings.REGISTRATION_WINDOW_SECONDS,
    ):
        raise RegistrationThrottledError(
            _("Bạn đã thử đăng ký quá nhiều lần. Vui lòng thử lại sau một giờ.")
        )


@transaction.atomic
def user_register(
    *,
    full_name: str,
    cccd: str,
    phone: str,
    email: str,
    password: str,
    residence: AdministrativeUnit | None = None,
    address: str = "",
) -> User:
    """Create a citizen account; the CCCD doubles as the username."""
    user = User(
        username=cccd,
        full_name=full_name.strip(),
        cccd=cccd,
        phone=normalize_phone(phone),
        email=email.strip().lower(),
        role=Role.CITIZEN,
        residence=residence,
        address=address.strip(),
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    full_name: str,
    phone: str,
    email: str,
    address: str,
    residence: AdministrativeUnit | None = None,
) -> User:
    """Update the contact details a person may change themselves."""
    user.full_name = full_name.strip()
    user.phone = normalize_phone(phone) or None
    user.email = email.strip().lower()
    user.address = address.strip()
    user.residence = residence
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "phone", "email", "address", "residence"])
    return user


def user_token_get_or_create(*, user: User, now: datetime.datetime) -> Token:
    """The user's API token; an expired one is replaced by a fresh one."""
    token = Token.objects.filter(user=user).first()
    if token is not None and token_is_expired(token=token, now=now):
        token.delete()
        token = None
    if token is None:
        token = Token.objects.create(user=user)
    return token


def token_is_expired(*, token: Token, now: datetime.datetime) -> bool:
    """A token lives API_TOKEN_LIFETIME_DAYS from its creation."""
    return token.created + datetime.timedelta(days=settings.API_TOKEN_LIFETIME_DAYS) <= now


def user_tokens_revoke(*, user: User) -> int:
    """Delete the user's API tokens (sign-out of every API client); how many there were."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted
