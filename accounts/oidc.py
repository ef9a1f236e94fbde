"""Sign-in through OpenID Connect providers: VNeID for citizens, the province's provider for staff.

Authlib (BSD-3-Clause) is the client: authorization-code flow with PKCE (S256); state, nonce and
code verifier kept in the session and checked on the way back; the ID token's signature, issuer,
audience, expiry and nonce verified against the provider's published metadata and keys. Who the
person is, in this order:

1. The account already linked to the provider's subject (OidcIdentity).
2. Else the CCCD claim (its name is configurable), only when the provider marks it verified,
   finds the account with that CCCD, which is then linked.
3. Else the citizen provider creates a citizen account (username = CCCD, no usable password:
   the person signs in with VNeID, or sets a password through "Quên mật khẩu?"). The staff
   provider never creates accounts: an administrator creates staff accounts with their role and
   desk, and the first staff sign-in links them by CCCD.

Each provider signs in only the roles it is for (PROVIDER_ROLES): VNeID citizens and businesses,
the province's provider staff. Local accounts keep their passwords and the usual login page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import STAFF_ROLES, OidcIdentity, Role, User
from accounts.validators import validate_cccd

CITIZEN_PROVIDER = "vneid"
STAFF_PROVIDER = "staff"
PROVIDER_ROLES = {
    CITIZEN_PROVIDER: frozenset({Role.CITIZEN, Role.BUSINESS}),
    STAFF_PROVIDER: frozenset(STAFF_ROLES),
}
PROVIDER_LABELS = {
    CITIZEN_PROVIDER: gettext_lazy("Đăng nhập bằng VNeID"),
    STAFF_PROVIDER: gettext_lazy("Cán bộ: đăng nhập bằng tài khoản công vụ"),
}


class OidcSignInError(Exception):
    """A sign-in the portal refuses; the message is for the person."""


@dataclass(frozen=True)
class OidcProviderConfig:
    name: str
    discovery_url: str
    client_id: str
    client_secret: str
    scope: str
    cccd_claim: str
    # Name of the claim that says the CCCD was verified; "" means the provider only ever
    # releases verified CCCDs (say so only when its documentation does).
    verified_claim: str

    @property
    def label(self) -> str:
        return str(PROVIDER_LABELS[self.name])

    @property
    def roles(self) -> frozenset[str]:
        return PROVIDER_ROLES[self.name]

    @property
    def creates_accounts(self) -> bool:
        return self.name == CITIZEN_PROVIDER


def oidc_providers() -> dict[str, OidcProviderConfig]:
    """The configured providers: OIDC_PROVIDERS entries with a discovery URL and a client id."""
    found = {}
    for name, values in settings.OIDC_PROVIDERS.items():
        if name not in PROVIDER_ROLES or not values.get("discovery_url"):
            continue
        if not values.get("client_id"):
            continue
        found[name] = OidcProviderConfig(
            name=name,
            discovery_url=values["discovery_url"],
            client_id=values["client_id"],
            client_secret=values.get("client_secret", ""),
            scope=values.get("scope") or "openid profile",
            cccd_claim=values.get("cccd_claim") or "cccd",
            verified_claim=values.get("verified_claim", "cccd_verified"),
        )
    return found


def oidc_client(config: OidcProviderConfig) -> Any:
    """An Authlib client for the provider: metadata from discovery, PKCE with S256."""
    oauth = OAuth()
    return oauth.register(
        name=f"oidc_{config.name}",
        client_id=config.client_id,
        client_secret=config.client_secret,
        server_metadata_url=config.discovery_url,
        client_kwargs={
            "scope": config.scope,
            "code_challenge_method": "S256",
            "timeout": settings.OIDC_TIMEOUT_SECONDS,
        },
    )


def _is_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _verified_cccd(*, config: OidcProviderConfig, claims: dict[str, Any]) -> str:
    cccd = str(claims.get(config.cccd_claim) or "").strip()
    if not cccd:
        raise OidcSignInError(_("Nhà cung cấp định danh không gửi số CCCD nên chưa thể đăng nhập."))
    if config.verified_claim and not _is_true(claims.get(config.verified_claim)):
        raise OidcSignInError(
            _("Số CCCD của tài khoản định danh chưa được xác thực nên chưa thể đăng nhập.")
        )
    try:
        validate_cccd(cccd)
    except ValidationError as error:
        raise OidcSignInError(_("Số CCCD nhà cung cấp định danh gửi không hợp lệ.")) from error
    return cccd


def _citizen_create(*, cccd: str, claims: dict[str, Any]) -> User:
    email = str(claims.get("email") or "").strip().lower()
    if not _is_true(claims.get("email_verified")) or User.objects.filter(email=email).exists():
        email = ""
    username = cccd if not User.objects.filter(username=cccd).exists() else f"vneid-{cccd}"
    user = User(
        username=username,
        full_name=str(claims.get("name") or "").strip()[:150],
        cccd=cccd,
        email=email,
        role=Role.CITIZEN,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def oidc_user_for_claims(
    *, config: OidcProviderConfig, claims: dict[str, Any], now: dt.datetime
) -> User:
    """The account these verified claims sign in to: linked, found by CCCD, or created."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise OidcSignInError(_("Nhà cung cấp định danh không gửi mã định danh (sub)."))
    identity = (
        OidcIdentity.objects.select_related("user")
        .filter(provider=config.name, subject=subject)
        .first()
    )
    if identity is not None:
        user = identity.user
    else:
        cccd = _verified_cccd(config=config, claims=claims)
        user = User.objects.filter(cccd=cccd).first()
        if user is None:
            if not config.creates_accounts:
                raise OidcSignInError(
                    _(
                        "Chưa có tài khoản cán bộ nào mang số CCCD này. Đề nghị quản trị hệ "
                        "thống tạo tài khoản trước khi đăng nhập."
                    )
                )
            user = _citizen_create(cccd=cccd, claims=claims)
    if not user.is_active:
        raise OidcSignInError(_("Tài khoản này đã bị khóa."))
    if user.role not in config.roles:
        raise OidcSignInError(
            _("Tài khoản này không đăng nhập qua nhà cung cấp định danh này.")
            if config.name == CITIZEN_PROVIDER
            else _("Chỉ tài khoản cán bộ đăng nhập qua nhà cung cấp định danh công vụ.")
        )
    if identity is None:
        try:
            with transaction.atomic():
                OidcIdentity.objects.create(
                    user=user, provider=config.name, subject=subject, linked_at=now
                )
        except IntegrityError:
            pass  # linked by a parallel sign-in of the same person
    return user
