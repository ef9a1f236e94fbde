"""Every write of the dossier engine; import services from `dossiers.services`."""

from dossiers.services.actions import dossier_perform_action
from dossiers.services.closing import (
    dossier_rate,
    dossier_request_withdrawal,
    dossier_resolve,
    dossier_return_result,
    dossier_withdraw,
)
from dossiers.services.codes import dossier_code_next
from dossiers.services.documents import (
    UploadedDocument,
    documents_sweep_orphans,
    documents_validate,
)
from dossiers.services.errors import (
    DossierError,
    DossierNotFound,
    DossierPermissionDenied,
    DossierValidationError,
    TransitionForbidden,
)
from dossiers.services.intake import (
    dossier_draft_attach,
    dossier_draft_remove_document,
    dossier_receive_walk_in,
    dossier_save_draft,
    dossier_submit_draft,
    dossier_submit_online,
)
from dossiers.services.processing import (
    dossier_apologize,
    dossier_confirm_payment,
    dossier_hand_off,
    dossier_request_payment,
    dossier_start_processing,
    dossier_stop,
)
from dossiers.services.reception import (
    dossier_receive,
    dossier_refuse_reception,
    dossier_request_supplement,
    dossier_submit_supplement,
)

__all__ = [
    "dossier_draft_attach",
    "DossierError",
    "DossierNotFound",
    "DossierPermissionDenied",
    "DossierValidationError",
    "TransitionForbidden",
    "UploadedDocument",
    "documents_sweep_orphans",
    "documents_validate",
    "dossier_apologize",
    "dossier_code_next",
    "dossier_confirm_payment",
    "dossier_draft_remove_document",
    "dossier_hand_off",
    "dossier_perform_action",
    "dossier_rate",
    "dossier_receive",
    "dossier_receive_walk_in",
    "dossier_refuse_reception",
    "dossier_request_payment",
    "dossier_request_supplement",
    "dossier_request_withdrawal",
    "dossier_resolve",
    "dossier_return_result",
    "dossier_save_draft",
    "dossier_start_processing",
    "dossier_stop",
    "dossier_submit_draft",
    "dossier_submit_online",
    "dossier_submit_supplement",
    "dossier_withdraw",
]
