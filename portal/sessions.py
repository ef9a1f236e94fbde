"""Session lifetime by role: staff sign-ins end after a working day, citizens' after two days.

Staff sessions reach personal data of many citizens, often from shared counter computers:
STAFF_SESSION_SECONDS (8 hours by default). Citizens keep SESSION_COOKIE_AGE (2 days), enough
to finish a submission started the day before without signing in again.
A receiver of user_logged_in, so every way in (login page, admin, password reset) gets it.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from accounts.models import STAFF_ROLES, User


def session_set_expiry_for_role(*, request: HttpRequest, user: User) -> None:
    if user.is_staff or user.is_superuser or user.role in STAFF_ROLES:
        request.session.set_expiry(settings.STAFF_SESSION_SECONDS)


def on_user_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        session_set_expiry_for_role(request=request, user=user)
