"""The dossiers side of linking a queue ticket to the dossier received for it."""

from django.utils.translation import gettext as _

from dossiers.models import Dossier
from onestop.hooks import DossierCodeInvalid


def dossier_code_check_for_desk(*, desk_id: int, code: str) -> str:
    """The code of the dossier received at the desk, for the floor's ticket link (see
    onestop.hooks); raises DossierCodeInvalid when there is none."""
    code = (code or "").strip()
    dossier = Dossier.objects.filter(code=code).only("code", "desk_id").first() if code else None
    if dossier is None:
        raise DossierCodeInvalid(_("Không tìm thấy hồ sơ có mã “%(code)s”.") % {"code": code})
    if dossier.desk_id != desk_id:
        raise DossierCodeInvalid(_("Hồ sơ này không được tiếp nhận tại bộ phận một cửa này."))
    return dossier.code
