"""How dossiers enter the portal: online submission (with drafts) and reception at the counter."""

import re
from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from dossiers.models import Dossier, DossierDocument, DossierStatus
from dossiers.services.clock import deadline_compute, deadline_data
from dossiers.services.codes import dossier_code_next
from dossiers.services.documents import (
    UploadedDocument,
    ValidatedDocument,
    documents_check_total,
    documents_store,
    documents_validate,
    dossier_stored_bytes,
    files_removed_on_error,
)
from dossiers.services.errors import (
    DossierNotFound,
    DossierPermissionDenied,
    DossierValidationError,
    TransitionForbidden,
)
from dossiers.services.events import event_record
from dossiers.services.perform import action_perform, schedule_side_effects
from dossiers.services.permissions import DESK_ROLES, permission_message
from onestop.models import Desk
from procedures.models import Channel, OnlineLevel, Procedure

APPLICANT_FIELDS = ("name", "cccd", "phone", "email", "address", "organisation")
APPLICANT_ROLES = {Role.CITIZEN, Role.BUSINESS}


def _applicant_values(*, applicant: User | None, fields: dict[str, Any]) -> dict[str, str]:
    """Applicant details: the form's values over the account's; checked for shape."""
    account = {
        "name": applicant.full_name if applicant else "",
        "cccd": (applicant.cccd or "") if applicant else "",
        "phone": (applicant.phone or "") if applicant else "",
        "email": applicant.email if applicant else "",
        "address": applicant.address if applicant else "",
        "organisation": applicant.organisation if applicant else "",
    }
    values = {key: str(fields.get(key) or account[key] or "").strip() for key in APPLICANT_FIELDS}
    if not values["name"]:
        raise DossierValidationError(_("Cần nhập họ tên người nộp hồ sơ."), field="name")
    if values["cccd"] and not re.fullmatch(r"[0-9]{12}", values["cccd"]):
        raise DossierValidationError(_("Số CCCD phải gồm đúng 12 chữ số."), field="cccd")
    if values["phone"] and not re.fullmatch(r"0[0-9]{9,10}", values["phone"]):
        raise DossierValidationError(
            _("Số điện thoại phải gồm 10 hoặc 11 chữ số, bắt đầu bằng 0."), field="phone"
        )
    if not (values["cccd"] or values["phone"]):
        raise DossierValidationError(
            _("Cần nhập số CCCD hoặc số điện thoại để tra cứu hồ sơ."), field="cccd"
        )
    return {f"applicant_{key}": value for key, value in values.items()}


def _check_procedure(
    *, procedure: Procedure, desk: Desk | None, online: bool, draft: bool = False
) -> None:
    if not (procedure.is_published and procedure.accepts_dossiers):
        raise DossierValidationError(
            _("Thủ tục “%(name)s” hiện chưa tiếp nhận hồ sơ.") % {"name": procedure.name},
            field="procedure",
        )
    if online and procedure.online_level == OnlineLevel.NONE:
        raise DossierValidationError(
            _("Thủ tục này chưa được cung cấp trực tuyến; vui lòng nộp trực tiếp."),
            field="procedure",
        )
    if desk is None and draft:
        return
    if desk is None:
        raise DossierValidationError(_("Chọn nơi tiếp nhận hồ sơ (bộ phận một cửa)."), field="desk")
    if not desk.is_active:
        raise DossierValidationError(_("Bộ phận một cửa này tạm ngừng tiếp nhận."), field="desk")
    if procedure.level and desk.unit.level != procedure.level:
        raise DossierValidationError(
            _("Thủ tục này không được tiếp nhận tại %(desk)s.") % {"desk": desk.name},
            field="desk",
        )


def _attach(
    *,
    dossier: Dossier,
    validated: list[ValidatedDocument],
    actor: User,
    now: datetime,
    written: list[str],
    new_dossier: bool = False,
) -> list[int]:
    """Store files without their event yet (the caller links them once the event exists); a
    dossier created in this transaction has no stored bytes to count yet."""
    if not validated:
        return []
    existing = 0 if new_dossier else dossier_stored_bytes(dossier=dossier)
    documents_check_total(documents=validated, existing_bytes=existing)
    rows = documents_store(
        dossier=dossier,
        documents=validated,
        kind=DossierDocument.Kind.SUBMITTED,
        event=None,
        uploaded_by=actor,
        now=now,
        written=written,
    )
    return [row.pk for row in rows]


def dossier_submit_online(
    *,
    applicant: User,
    procedure: Procedure,
    desk: Desk,
    applicant_fields: dict[str, Any],
    form_data: dict[str, Any],
    documents: list[UploadedDocument],
    idempotency_key: str | None,
    now: datetime,
) -> Dossier:
    """Create an online dossier (NEW, code assigned) and its documents.

    The same `idempotency_key` from the same applicant returns the first dossier, also when
    both requests race (the unique constraint decides; the loser fetches the winner's row).
    """
    key = (idempotency_key or "").strip()[:100] or None
    if key:
        existing = Dossier.objects.filter(applicant=applicant, idempotency_key=key).first()
        if existing:
            return existing
    if applicant.role not in APPLICANT_ROLES:
        raise DossierPermissionDenied(
            _("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến.")
        )
    _check_procedure(procedure=procedure, desk=desk, online=True)
    values = _applicant_values(applicant=applicant, fields=applicant_fields)
    validated = documents_validate(documents=documents)
    with files_removed_on_error() as written, transaction.atomic():
        try:
            # A savepoint only when a retry with the same key can collide and be answered.
            with transaction.atomic(savepoint=bool(key)):
                dossier = Dossier.objects.create(
                    code=dossier_code_next(agency_code=desk.agency_code, now=now),
                    procedure=procedure,
                    desk=desk,
                    current_desk=desk,
                    applicant=applicant,
                    channel=Channel.ONLINE,
                    form_data=form_data or {},
                    status=DossierStatus.NEW,
                    submitted_at=now,
                    idempotency_key=key,
                    **values,
                )
        except IntegrityError:
            if key:
                existing = Dossier.objects.filter(applicant=applicant, idempotency_key=key).first()
                if existing:
                    return existing
            raise
        ids = _attach(
            dossier=dossier,
            validated=validated,
            actor=applicant,
            now=now,
            written=written,
            new_dossier=True,
        )
        event = event_record(
            dossier=dossier,
            action="submit",
            actor=applicant,
            from_status="",
            now=now,
            data={"documents": ids, "channel": Channel.ONLINE},
        )
        if ids:
            DossierDocument.objects.filter(pk__in=ids).update(event=event)
        schedule_side_effects(dossier=dossier, event=event)
    return dossier


def dossier_save_draft(
    *,
    applicant: User,
    procedure: Procedure,
    desk: Desk | None,
    applicant_fields: dict[str, Any],
    form_data: dict[str, Any],
    now: datetime,
    documents: list[UploadedDocument] | None = None,
    dossier_id: int | None = None,
) -> Dossier:
    """Create or update the applicant's DRAFT (the browser's step form); no code, no event.

    The desk may still be missing (chosen later); submitting needs it (`dossier_submit_draft`).
    """
    if applicant.role not in APPLICANT_ROLES:
        raise DossierPermissionDenied(
            _("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến.")
        )
    _check_procedure(procedure=procedure, desk=desk, online=True, draft=True)
    validated = documents_validate(documents=documents or [])
    fields = {
        f"applicant_{key}": str(applicant_fields.get(key) or "").strip() for key in APPLICANT_FIELDS
    }
    with files_removed_on_error() as written, transaction.atomic():
        if dossier_id is None:
            dossier = Dossier.objects.create(
                procedure=procedure,
                desk=desk,
                current_desk=desk,
                applicant=applicant,
                channel=Channel.ONLINE,
                form_data=form_data or {},
                **fields,
            )
        else:
            dossier = (
                Dossier.objects.select_for_update()
                .filter(pk=dossier_id, applicant=applicant, status=DossierStatus.DRAFT)
                .first()
            )
            if dossier is None:
                raise DossierValidationError(_("Không tìm thấy bản nháp."), field="dossier")
            dossier.procedure = procedure
            dossier.desk = dossier.current_desk = desk
            dossier.form_data = form_data or {}
            for name, value in fields.items():
                setattr(dossier, name, value)
            dossier.save()
        _attach(dossier=dossier, validated=validated, actor=applicant, now=now, written=written)
    return dossier


def dossier_draft_attach(
    *,
    applicant: User,
    procedure: Procedure,
    documents: list[UploadedDocument],
    now: datetime,
    applicant_fields: dict[str, Any] | None = None,
) -> tuple[Dossier, list[int]]:
    """Store files in the applicant's DRAFT of `procedure` the moment they are picked.

    The draft is the newest one of this procedure, created (without a desk) when there is none,
    so files survive any error elsewhere on the form. Returns the draft and the new rows' ids.
    """
    if applicant.role not in APPLICANT_ROLES:
        raise DossierPermissionDenied(
            _("Chỉ tài khoản công dân, tổ chức mới nộp hồ sơ trực tuyến.")
        )
    _check_procedure(procedure=procedure, desk=None, online=True, draft=True)
    validated = documents_validate(documents=documents)
    with files_removed_on_error() as written, transaction.atomic():
        dossier = (
            Dossier.objects.select_for_update()
            .filter(applicant=applicant, procedure=procedure, status=DossierStatus.DRAFT)
            .order_by("-updated_at")
            .first()
        )
        if dossier is None:
            fields = {
                f"applicant_{key}": str((applicant_fields or {}).get(key) or "").strip()
                for key in APPLICANT_FIELDS
            }
            dossier = Dossier.objects.create(
                procedure=procedure,
                applicant=applicant,
                channel=Channel.ONLINE,
                form_data={},
                **fields,
            )
        else:
            Dossier.objects.filter(pk=dossier.pk).update(updated_at=now)
        ids = _attach(
            dossier=dossier, validated=validated, actor=applicant, now=now, written=written
        )
    return dossier, ids


@transaction.atomic
def dossier_draft_remove_document(
    *, dossier_id: int, actor: User, document_id: int, now: datetime
) -> Dossier:
    """Delete a file from the applicant's own DRAFT; the stored file goes once the row is gone.

    Drafts have no timeline, so no event is written (as for `dossier_save_draft`). Anyone but
    the applicant gets "not found"; a submitted dossier keeps its files (they are evidence).
    """
    dossier = (
        Dossier.objects.select_for_update().filter(pk=dossier_id, applicant_id=actor.pk).first()
    )
    if dossier is None:
        raise DossierNotFound()
    if dossier.status != DossierStatus.DRAFT:
        raise TransitionForbidden(_("Hồ sơ đã nộp: không thể xóa tệp của hồ sơ."))
    document = DossierDocument.objects.filter(pk=document_id, dossier=dossier).first()
    if document is None:
        raise DossierNotFound(_("Không tìm thấy tệp trong bản nháp."))
    stored = document.file.name
    document.delete()
    Dossier.objects.filter(pk=dossier.pk).update(updated_at=now)
    transaction.on_commit(lambda: default_storage.delete(stored))
    return dossier


def dossier_submit_draft(
    *,
    dossier_id: int,
    actor: User,
    now: datetime,
    documents: list[UploadedDocument] | None = None,
) -> Dossier:
    """DRAFT -> NEW: the applicant submits the draft; the dossier gets its code."""
    validated = documents_validate(documents=documents or [])
    with files_removed_on_error() as written, transaction.atomic():

        def change(dossier: Dossier) -> dict[str, Any]:
            if dossier.status == DossierStatus.DRAFT:
                _check_procedure(procedure=dossier.procedure, desk=dossier.desk, online=True)
                values = _applicant_values(
                    applicant=dossier.applicant,
                    fields={key: getattr(dossier, f"applicant_{key}") for key in APPLICANT_FIELDS},
                )
                for name, value in values.items():
                    setattr(dossier, name, value)
            code = dossier_code_next(agency_code=dossier.desk.agency_code, now=now)
            dossier.submit(code=code, now=now)
            ids = _attach(
                dossier=dossier, validated=validated, actor=actor, now=now, written=written
            )
            return {"documents": ids, "channel": Channel.ONLINE}

        dossier, event = action_perform(
            dossier_id=dossier_id, actor=actor, action="submit", now=now, note="", change=change
        )
        DossierDocument.objects.filter(dossier=dossier, event__isnull=True).update(event=event)
    return dossier


def dossier_receive_walk_in(
    *,
    clerk: User,
    procedure: Procedure,
    applicant_fields: dict[str, Any],
    documents: list[UploadedDocument],
    channel: str,
    now: datetime,
    form_data: dict[str, Any] | None = None,
    applicant: User | None = None,
) -> Dossier:
    """A dossier handed in at the counter or by post: created RECEIVED, code and appointment set.

    Documents scanned at reception mark the dossier as digitised (Decision 766 indicator).
    """
    if clerk.role not in DESK_ROLES or clerk.desk_id is None:
        raise DossierPermissionDenied(permission_message())
    if channel not in (Channel.DIRECT, Channel.POSTAL):
        raise DossierValidationError(_("Kênh nộp không hợp lệ."), field="channel")
    desk = clerk.desk
    _check_procedure(procedure=procedure, desk=desk, online=False)
    values = _applicant_values(applicant=applicant, fields=applicant_fields)
    validated = documents_validate(documents=documents)
    with files_removed_on_error() as written, transaction.atomic():
        dossier = Dossier(
            procedure=procedure,
            desk=desk,
            current_desk=desk,
            applicant=applicant,
            channel=channel,
            form_data=form_data or {},
            status=DossierStatus.RECEIVED,
            submitted_at=now,
            digitised_at_reception=bool(validated),
            **values,
        )
        deadline = deadline_compute(dossier=dossier, start=now)
        dossier.code = dossier_code_next(agency_code=desk.agency_code, now=now)
        dossier.received_at = now
        dossier.due_at = deadline.due_at
        dossier.deadline_explanation = "\n".join(deadline.explanation)
        dossier.save()
        ids = _attach(
            dossier=dossier,
            validated=validated,
            actor=clerk,
            now=now,
            written=written,
            new_dossier=True,
        )
        event = event_record(
            dossier=dossier,
            action="receive",
            actor=clerk,
            from_status="",
            now=now,
            data={
                "documents": ids,
                "channel": channel,
                "due_at": deadline.due_at.isoformat(),
                "deadline": deadline_data(deadline),
            },
        )
        if ids:
            DossierDocument.objects.filter(pk__in=ids).update(event=event)
        schedule_side_effects(dossier=dossier, event=event)
    return dossier
