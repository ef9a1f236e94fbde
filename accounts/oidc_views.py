"""Sign-in with an OpenID Connect provider: start (redirect there) and callback (come back)."""

from __future__ import annotations

import logging

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.jose.errors import JoseError
from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.oidc import OidcSignInError, oidc_client, oidc_providers, oidc_user_for_claims

logger = logging.getLogger(__name__)
NEXT_SESSION_KEY = "oidc_next"


def _refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "accounts/oidc_error.html", {"message": message}, status=status)


def _provider(name: str):
    config = oidc_providers().get(name)
    if config is None:
        raise Http404(_("Không có nhà cung cấp định danh này."))
    return config


@require_GET
def oidc_start(request: HttpRequest, provider: str) -> HttpResponse:
    """Redirect to the provider with a fresh state, nonce and PKCE challenge (kept in session)."""
    config = _provider(provider)
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    request.session[NEXT_SESSION_KEY] = next_url
    redirect_uri = request.build_absolute_uri(reverse("oidc_callback", args=[config.name]))
    try:
        return oidc_client(config).authorize_redirect(request, redirect_uri)
    except (requests.RequestException, OAuthError, ValueError) as error:
        logger.warning("OIDC provider %s unreachable: %s", config.name, error)
        return _refuse(
            request,
            _("Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau."),
            status=503,
        )


@require_GET
def oidc_callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Check state, exchange the code (with the PKCE verifier), verify the ID token and its nonce,
    then sign the person in to their account (accounts.oidc.oidc_user_for_claims)."""
    config = _provider(provider)
    if request.GET.get("error"):
        return _refuse(request, _("Đăng nhập đã bị hủy hoặc bị nhà cung cấp định danh từ chối."))
    client = oidc_client(config)
    try:
        token = client.authorize_access_token(request)
        claims = dict(token.get("userinfo") or {})
        if not claims:
            raise OidcSignInError(_("Nhà cung cấp định danh không gửi mã định danh (ID token)."))
        if config.cccd_claim not in claims:
            # Providers that keep scope claims out of the ID token give them at userinfo.
            extra = client.userinfo(token=token)
            if str(extra.get("sub")) != str(claims.get("sub")):
                raise OidcSignInError(_("Thông tin định danh không khớp nhau."))
            claims = {**extra, **claims}
        user = oidc_user_for_claims(config=config, claims=claims, now=timezone.now())
    except MismatchingStateError:
        logger.warning("OIDC %s: state missing or not ours", config.name)
        return _refuse(
            request, _("Phiên đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng thử lại.")
        )
    except (OAuthError, JoseError) as error:
        logger.warning("OIDC %s refused: %s", config.name, error)
        return _refuse(request, _("Không xác minh được thông tin đăng nhập. Vui lòng thử lại."))
    except requests.RequestException as error:
        logger.warning("OIDC provider %s unreachable: %s", config.name, error)
        return _refuse(
            request,
            _("Không kết nối được nhà cung cấp định danh. Vui lòng thử lại sau."),
            status=503,
        )
    except OidcSignInError as error:
        return _refuse(request, str(error))
    next_url = request.session.pop(NEXT_SESSION_KEY, "")
    login(request, user, backend="accounts.auth_backends.OidcBackend")
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)
