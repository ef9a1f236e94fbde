"""Sign-in by CCCD, phone, email or username, with one password.

Authentication is pluggable through settings.AUTHENTICATION_BACKENDS. A later OIDC login
(VNeID or the national portal's single sign-on) is one more backend in that list, for example
mozilla-django-oidc's OIDCAuthenticationBackend subclassed to find or create the User whose
`cccd` equals the identity number claim; views and services do not change, since they only call
django.contrib.auth.authenticate/login. Throttling of failed attempts lives in
accounts.services.user_authenticate, in front of every backend.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from accounts.models import Role
from accounts.selectors import user_identifier_match
from onestop.models import Desk
from onestop.permissions import OPERATE_DESK, VIEW_DESK_FIGURES

# Staff who work a desk's counters.
FLOOR_ROLES = {Role.CLERK, Role.DESK_HEAD}


class IdentifierBackend(ModelBackend):
    """The identifier may be a username, an email, a 12-digit CCCD or a mobile number in any
    usual spelling (0912 345 678, +84912345678). An identifier that matches two accounts (say one
    person's username is another's phone) signs nobody in."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: object,
    ) -> AbstractBaseUser | None:
        if not username or password is None:
            return None
        user_model = get_user_model()
        match = user_identifier_match(username)
        candidates = list(user_model.objects.filter(match)[:2])
        if len(candidates) != 1:
            user_model().set_password(password)  # same cost whether or not the user exists
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class ScopeBackend(BaseBackend):
    """Answers the object permissions that lower apps ask about a desk (onestop.permissions),
    from the user's role, desk and unit; it authenticates nobody."""

    def has_perm(self, user_obj: AbstractBaseUser, perm: str, obj: object = None) -> bool:
        if not (user_obj.is_active and user_obj.is_authenticated) or not isinstance(obj, Desk):
            return False
        if user_obj.role == Role.ADMIN:
            return perm in (OPERATE_DESK, VIEW_DESK_FIGURES)
        if perm == OPERATE_DESK:
            return user_obj.role in FLOOR_ROLES and user_obj.desk_id == obj.pk
        if perm == VIEW_DESK_FIGURES:
            if user_obj.role == Role.DESK_HEAD:
                return user_obj.desk_id == obj.pk
            if user_obj.role == Role.LEADER and user_obj.unit_id:
                return user_obj.unit.contains(obj.unit)
        return False


class OidcBackend(ModelBackend):
    """The backend recorded in the session of a person who signed in through OpenID Connect
    (accounts.oidc_views). It authenticates nobody from credentials: the sign-in itself is the
    checked authorization-code flow; loading the user on each request is ModelBackend's."""

    def authenticate(self, request: HttpRequest | None, **kwargs: object) -> None:
        return None
