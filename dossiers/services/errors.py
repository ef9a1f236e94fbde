"""Domain errors of the dossier engine; the API maps them to HTTP statuses."""

from django.utils.translation import gettext as _


class DossierError(Exception):
    """Base class: `message` is a Vietnamese sentence for the user."""

    http_status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DossierNotFound(DossierError):
    """Unknown dossier, or one the user may not see (never reveal which)."""

    http_status = 404

    def __init__(self, message: str = "") -> None:
        super().__init__(message or _("Không tìm thấy hồ sơ."))


class DossierPermissionDenied(DossierError):
    """The user sees the dossier but may not perform this action."""

    http_status = 403


class TransitionForbidden(DossierError):
    """The action is not allowed in the dossier's current state (or was just done by someone)."""

    http_status = 409


class DossierValidationError(DossierError):
    """Input is invalid; `field` names the offending input when there is one."""

    http_status = 400

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
