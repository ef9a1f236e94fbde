"""Which account a provider's verified claims sign in to (no provider needed here; the whole
flow against a real provider is tests/accounts/oidc/)."""

import datetime as dt

import pytest

from accounts.models import OidcIdentity, Role
from accounts.oidc import OidcProviderConfig, OidcSignInError, oidc_providers, oidc_user_for_claims
from tests.factories import make_user

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def _config(**overrides) -> OidcProviderConfig:
    values = {
        "name": "vneid",
        "discovery_url": "https://id.example/.well-known/openid-configuration",
        "client_id": "portal",
        "client_secret": "secret",
        "scope": "openid",
        "cccd_claim": "cccd",
        "verified_claim": "cccd_verified",
    }
    values.update(overrides)
    return OidcProviderConfig(**values)


def test_oidc_user_for_claims_reads_configured_claim_names_when_renamed():
    config = _config(cccd_claim="so_dinh_danh", verified_claim="da_xac_thuc")

    user = oidc_user_for_claims(
        config=config,
        claims={"sub": "s1", "so_dinh_danh": "079090001122", "da_xac_thuc": "true"},
        now=NOW,
    )

    assert user.cccd == "079090001122" and user.role == Role.CITIZEN
    with pytest.raises(OidcSignInError):
        oidc_user_for_claims(config=config, claims={"sub": "s2", "cccd": "077188001234"}, now=NOW)


def test_oidc_user_for_claims_trusts_every_cccd_when_verified_claim_is_empty():
    citizen = make_user(cccd="077188001234")

    user = oidc_user_for_claims(
        config=_config(verified_claim=""), claims={"sub": "s1", "cccd": "077188001234"}, now=NOW
    )

    assert user == citizen


def test_oidc_user_for_claims_refuses_when_cccd_malformed():
    with pytest.raises(OidcSignInError):
        oidc_user_for_claims(
            config=_config(), claims={"sub": "s1", "cccd": "12345", "cccd_verified": True}, now=NOW
        )
    assert not OidcIdentity.objects.exists()


def test_oidc_user_for_claims_refuses_when_linked_account_disabled():
    citizen = make_user(cccd="077188001234", is_active=False)

    with pytest.raises(OidcSignInError):
        oidc_user_for_claims(
            config=_config(),
            claims={"sub": "s1", "cccd": "077188001234", "cccd_verified": True},
            now=NOW,
        )
    assert not OidcIdentity.objects.filter(user=citizen).exists()


def test_oidc_providers_lists_only_configured_providers(settings):
    settings.OIDC_PROVIDERS = {
        "vneid": {"discovery_url": "https://id.example/x", "client_id": "portal"},
        "staff": {"discovery_url": "", "client_id": "portal"},
        "other": {"discovery_url": "https://id.example/y", "client_id": "portal"},
    }

    providers = oidc_providers()

    assert list(providers) == ["vneid"]
    assert providers["vneid"].scope == "openid profile"
    assert providers["vneid"].cccd_claim == "cccd"
