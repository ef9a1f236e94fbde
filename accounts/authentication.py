"""API token authentication with a lifetime.

The tokens stay `rest_framework.authtoken` tokens: one per user, shown in the admin, used by the
test suites and the desk hardware clients as `Authorization: Token <key>`. What that model lacks
is a lifetime and rotation, added here and in accounts.services: a token older than
API_TOKEN_LIFETIME_DAYS answers 401, a password change or reset deletes the user's tokens, and
the user revokes them with `DELETE /api/v1/auth/token/` or the profile page. A model of our own
would only rename the same table.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed

from accounts.services import token_is_expired
from procedures.compiled import CompiledQuery

# Every API request reads its token and user: the query is compiled once (procedures.compiled).
# No ORDER BY: the key is unique.
TOKEN_WITH_USER = CompiledQuery(
    lambda shape, key: Token.objects.select_related("user").filter(key=key).order_by(),
    texts=("key",),
)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple:
        found = TOKEN_WITH_USER.instances(key=key)
        if not found:
            raise AuthenticationFailed(_("Mã truy cập API không hợp lệ."))
        token = found[0]
        if not token.user.is_active:
            raise AuthenticationFailed(_("Tài khoản đã bị khóa."))
        if token_is_expired(token=token, now=timezone.now()):
            raise AuthenticationFailed(
                _("Mã truy cập API đã hết hạn. Vui lòng đăng nhập lại để lấy mã mới.")
            )
        return token.user, token
