"""Token sign-in for API clients: POST /api/v1/auth/token/; DELETE revokes the caller's tokens."""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.services import (
    InvalidCredentialsError,
    LoginThrottledError,
    user_authenticate,
    user_token_get_or_create,
    user_tokens_revoke,
)
from onestop.client_address import client_ip
from onestop.throttling import ScopedRateThrottle


class TokenInput(serializers.Serializer):
    username = serializers.CharField(
        max_length=254, help_text="Tên đăng nhập, số CCCD, số điện thoại hoặc thư điện tử"
    )
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TooManyAttempts(APIException):
    """429 with our own Vietnamese message (DRF's Throttled appends an English sentence)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "throttled"

    def __init__(self, *, detail: str, wait: int) -> None:
        super().__init__(detail=detail)
        self.wait = wait  # sent as the Retry-After header


class TokenApi(APIView):
    """Exchange credentials for a token, sent afterwards as `Authorization: Token <token>`."""

    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    def _method(self) -> str:
        # None while drf-spectacular builds the schema's mock request.
        return getattr(getattr(self, "request", None), "method", "") or ""

    def get_authenticators(self) -> list:
        # Signing in needs no credentials (and no CSRF check of a browser session); revoking
        # needs the token or the session being revoked.
        if self._method() == "DELETE":
            return super().get_authenticators()
        return []

    def get_permissions(self) -> list:
        if self._method() == "DELETE":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        request=TokenInput,
        responses={
            200: TokenOutput,
            400: OpenApiResponse(description="Sai thông tin đăng nhập"),
            429: OpenApiResponse(description="Quá nhiều lần đăng nhập sai"),
        },
    )
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = user_authenticate(
                request=request._request,
                identifier=data.validated_data["username"],
                password=data.validated_data["password"],
                ip=client_ip(request._request),
                now=timezone.now(),
            )
        except LoginThrottledError as error:
            wait = max(1, int((error.retry_at - timezone.now()).total_seconds()))
            raise TooManyAttempts(detail=str(error), wait=wait) from error
        except InvalidCredentialsError as error:
            return Response({"detail": str(error)}, status=status.HTTP_400_BAD_REQUEST)
        token = user_token_get_or_create(user=user, now=timezone.now())
        return Response(TokenOutput({"token": token.key}).data)

    @extend_schema(
        request=None,
        responses={204: None, 401: OpenApiResponse(description="Chưa đăng nhập")},
    )
    def delete(self, request: Request) -> Response:
        """Revoke every API token of the signed-in user."""
        user_tokens_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def throttled(self, request: Request, wait: float | None) -> None:
        seconds = max(1, int(wait or 60))
        raise TooManyAttempts(
            detail=_("Quá nhiều yêu cầu đăng nhập. Vui lòng thử lại sau %(seconds)d giây.")
            % {"seconds": seconds},
            wait=seconds,
        )
