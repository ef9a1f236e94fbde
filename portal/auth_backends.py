"""Sign-in by CCCD, phone, email or username, with one password."""
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest


class IdentifierBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None,
        password: str | None = None, **kwargs: object,
    ):
        if not username or password is None:
            return None
        identifier = username.strip()
        user_model = get_user_model()
        match = (
            Q(username__iexact=identifier) | Q(email__iexact=identifier)
            | Q(cccd=identifier) | Q(phone=identifier)
        )
        candidates = list(user_model.objects.filter(match)[:2])
        if len(candidates) != 1:
            user_model().set_password(password)  # same cost whether or not the user exists
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
