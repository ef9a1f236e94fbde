"""Extension points of the desk floor, filled in by the apps above it when they start.

The floor knows queue tickets, counters and desks, not dossiers. When a clerk links a ticket to
the dossier received for it, the app that owns dossiers checks the code (it exists, and it was
received at this desk) through the checker it registers here in its `AppConfig.ready()`.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

DossierCodeCheck = Callable[..., str]
_dossier_code_check: DossierCodeCheck | None = None


class DossierCodeInvalid(Exception):
    """The code names no dossier received at the desk; `message` says why, for the clerk."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def register_dossier_code_check(check: DossierCodeCheck) -> None:
    """`check(*, desk_id, code)` returns the dossier's canonical code or raises
    DossierCodeInvalid."""
    global _dossier_code_check
    _dossier_code_check = check


def dossier_code_check(*, desk_id: int, code: str) -> str:
    """The canonical code of the dossier `code` names at the desk; raises DossierCodeInvalid."""
    if _dossier_code_check is None:
        raise DossierCodeInvalid(_("Cổng chưa bật chức năng hồ sơ: không thể gắn hồ sơ."))
    return _dossier_code_check(desk_id=desk_id, code=code)
