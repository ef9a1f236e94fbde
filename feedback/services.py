"""Writes of feedback: submit (with attachments), answer, publish, reminders and their delivery.

Side effects (staff reminders, the answer sent to the person) go through the outbox: a service
publishes inside its transaction, the handlers below deliver after commit and are idempotent.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Role, User
from accounts.sms import send_sms
from accounts.validators import normalize_phone, validate_phone
from dossiers.calendar import calendar_load
from dossiers.deadlines import OfficeHours, add_working_minutes, compute_due
from dossiers.models import Dossier
from dossiers.selectors import dossier_public_lookup
from dossiers.services.documents import (
    UploadedDocument,
    documents_validate,
    files_removed_on_error,
)
from dossiers.services.errors import DossierValidationError
from dossiers.services.legs import agency_for_sector
from feedback.models import (
    Feedback,
    FeedbackAttachment,
    FeedbackKind,
    FeedbackOutcome,
    FeedbackReminderKind,
    FeedbackReminderLog,
    FeedbackStatus,
    FeedbackSubject,
)
from onestop.models import Agency, Desk
from outbox.services import outbox_publish
from procedures.models import Procedure, TimeUnit
from stats.models import Notification

logger = logging.getLogger(__name__)

FEEDBACK_REMINDER = "feedback.reminder"
FEEDBACK_ANSWERED = "feedback.answered"
STORAGE_DIR = "feedback"
# Staff of the desk who answer its feedback when no agency is responsible, and who route it.
ANSWER_ROLES = {Role.CLERK, Role.DESK_HEAD, Role.SPECIALIST}
ROUTE_ROLES = {Role.CLERK, Role.DESK_HEAD}
_CALENDAR_MARGIN_DAYS = 90


class FeedbackError(Exception):
    """Input the portal refuses; `field` names the form field when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def feedback_deadline(*, desk: Desk, received_at: dt.datetime) -> dt.datetime:
    """The answer deadline: FEEDBACK_ANSWER_WORKING_DAYS working days of the desk after reception
    (the working-day engine of dossiers: office hours, holidays, the editable calendar)."""
    days = settings.FEEDBACK_ANSWER_WORKING_DAYS
    first = timezone.localdate(received_at)
    calendar = calendar_load(
        start=first, end=first + dt.timedelta(days=2 * days + _CALENDAR_MARGIN_DAYS)
    )
    with override(settings.LANGUAGE_CODE):
        return compute_due(
            received_at=received_at,
            amount=days,
            unit=TimeUnit.WORKING_DAYS,
            hours=OfficeHours.for_desk(desk),
            calendar=calendar,
        ).due_at


def _new_code(now: dt.datetime) -> str:
    for _attempt in range(20):
        code = f"PA{timezone.localtime(now):%y%m%d}{secrets.randbelow(10**6):06d}"
        if not Feedback.objects.filter(code=code).exists():
            return code
    raise RuntimeError("no free feedback code after 20 tries")


def _subject_target(
    *,
    subject: str,
    desk_id: int | None,
    procedure_code: str,
    dossier_code: str,
    dossier_verifier: str,
) -> tuple[Desk, Agency | None, Procedure | None, Dossier | None]:
    """The desk concerned, the agency that answers (None: the desk does), the procedure and the
    dossier. A dossier's: its handling agency, else the agency of its desk's unit in charge of
    its procedure's sector; a procedure's: that agency at the chosen desk's unit."""
    if subject not in FeedbackSubject.values:
        raise FeedbackError(_("Chọn nội dung phản ánh là về thủ tục, bộ phận hay hồ sơ."))
    if subject == FeedbackSubject.DOSSIER:
        code = (dossier_code or "").strip()
        if not code or dossier_public_lookup(code=code, verifier=dossier_verifier) is None:
            raise FeedbackError(
                _("Không tìm thấy hồ sơ khớp với mã và 4 số cuối điện thoại hoặc CCCD đã nhập."),
                field="dossier_code",
            )
        dossier = Dossier.objects.select_related(
            "desk", "current_desk", "procedure", "handling_agency"
        ).get(code=code)
        desk = dossier.current_desk or dossier.desk
        agency = dossier.handling_agency or agency_for_sector(
            unit_id=dossier.desk.unit_id, sector_id=dossier.procedure.sector_id
        )
        return desk, agency, dossier.procedure, dossier
    desk = Desk.objects.filter(pk=desk_id, is_active=True).first() if desk_id else None
    if desk is None:
        raise FeedbackError(_("Chọn bộ phận một cửa liên quan."), field="desk")
    procedure = agency = None
    if subject == FeedbackSubject.PROCEDURE:
        procedure = Procedure.objects.filter(code=(procedure_code or "").strip()).first()
        if procedure is None:
            raise FeedbackError(
                _("Không tìm thấy thủ tục có mã này (ví dụ 1.001612)."), field="procedure_code"
            )
        agency = agency_for_sector(unit_id=desk.unit_id, sector_id=procedure.sector_id)
    return desk, agency, procedure, None


@transaction.atomic
def feedback_submit(
    *,
    kind: str,
    subject: str,
    desk_id: int | None,
    procedure_code: str = "",
    dossier_code: str = "",
    dossier_verifier: str = "",
    sender: User | None,
    sender_name: str,
    sender_phone: str,
    sender_email: str = "",
    organisation: str = "",
    title: str,
    content: str,
    is_public: bool,
    files: list[UploadedDocument],
    now: dt.datetime,
) -> Feedback:
    """Record a feedback with its files, its code and its answer deadline; nothing on error."""
    if kind not in FeedbackKind.values:
        raise FeedbackError(_("Chọn phản ánh hoặc kiến nghị."), field="kind")
    if not title.strip() or not content.strip():
        raise FeedbackError(_("Nhập tiêu đề và nội dung."), field="content")
    if not sender_name.strip():
        raise FeedbackError(_("Nhập họ tên người gửi."), field="sender_name")
    phone = normalize_phone(sender_phone)
    try:
        validate_phone(phone)
    except ValidationError:
        raise FeedbackError(_("Nhập số điện thoại di động hợp lệ."), field="sender_phone") from None
    if len(files) > settings.FEEDBACK_MAX_ATTACHMENTS:
        raise FeedbackError(
            _("Gửi tối đa %(count)s tệp đính kèm.") % {"count": settings.FEEDBACK_MAX_ATTACHMENTS},
            field="files",
        )
    desk, agency, procedure, dossier = _subject_target(
        subject=subject,
        desk_id=desk_id,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        dossier_verifier=dossier_verifier,
    )
    try:
        validated = documents_validate(documents=files)
    except DossierValidationError as error:
        raise FeedbackError(str(error), field="files") from error
    feedback = Feedback.objects.create(
        code=_new_code(now),
        kind=kind,
        subject=subject,
        procedure=procedure,
        dossier=dossier,
        desk=desk,
        agency=agency,
        sender=sender if sender is not None and sender.is_authenticated else None,
        sender_name=sender_name.strip()[:150],
        sender_phone=phone,
        sender_email=sender_email.strip().lower(),
        organisation=organisation.strip()[:255],
        title=title.strip()[:200],
        content=content.strip(),
        is_public=is_public,
        received_at=now,
        due_at=feedback_deadline(desk=desk, received_at=now),
    )
    with files_removed_on_error() as written:
        for doc in validated:
            path = f"{STORAGE_DIR}/{now:%Y/%m}/{uuid.uuid4().hex}{doc.extension}"
            stored = default_storage.save(path, ContentFile(doc.content))
            written.append(stored)
            row = FeedbackAttachment(
                feedback=feedback,
                original_name=doc.original_name,
                content_type=doc.content_type,
                size=len(doc.content),
                sha256=doc.sha256,
            )
            row.file.name = stored
            row.save()
    return feedback


def feedback_can_answer(*, user: User, feedback: Feedback) -> bool:
    """Specialists of the responsible agency; without one, staff of the desk; administrators."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    if feedback.agency_id is not None:
        return user.role == Role.SPECIALIST and user.agency_id == feedback.agency_id
    return user.role in ANSWER_ROLES and user.desk_id == feedback.desk_id


def feedback_can_route(*, user: User, feedback: Feedback) -> bool:
    """Clerks and heads of the feedback's desk, and administrators, send it to another agency
    (or back to the desk) while it is unanswered."""
    if not user.is_authenticated or not user.is_active:
        return False
    if feedback.status != FeedbackStatus.RECEIVED:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role in ROUTE_ROLES and user.desk_id == feedback.desk_id


@transaction.atomic
def feedback_route(
    *, feedback_id: int, actor: User, agency_id: int | None, now: dt.datetime
) -> Feedback:
    """Give an unanswered feedback to another agency (None: the desk answers it itself). The
    deadline does not move: the sender was promised it at reception."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
    if not feedback_can_route(user=actor, feedback=feedback):
        raise FeedbackError(
            _("Chỉ cán bộ một cửa của bộ phận tiếp nhận mới chuyển phản ánh chưa trả lời.")
        )
    agency = None
    if agency_id is not None:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is None:
            raise FeedbackError(_("Không tìm thấy cơ quan xử lý."), field="agency")
    feedback.agency = agency
    feedback.routed_at = now
    feedback.routed_by = actor
    feedback.save(update_fields=["agency", "routed_at", "routed_by"])
    return feedback


def outcome_for(*, answered_at: dt.datetime, due_at: dt.datetime) -> str:
    return FeedbackOutcome.ON_TIME if answered_at <= due_at else FeedbackOutcome.LATE


@transaction.atomic
def feedback_answer(
    *, feedback_id: int, actor: User, answer: str, publish: bool, now: dt.datetime
) -> Feedback:
    """Answer once; on time when by the deadline. Published only if the sender agreed."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
    if not feedback_can_answer(user=actor, feedback=feedback):
        raise FeedbackError(_("Chỉ cán bộ của cơ quan được giao mới trả lời phản ánh này."))
    if feedback.status != FeedbackStatus.RECEIVED:
        raise FeedbackError(_("Phản ánh này đã được trả lời."))
    if not answer.strip():
        raise FeedbackError(_("Nhập nội dung trả lời."), field="answer")
    if publish and not feedback.is_public:
        raise FeedbackError(
            _("Người gửi không đồng ý công khai nên không thể công khai trả lời."),
            field="publish",
        )
    feedback.answer = answer.strip()
    feedback.answered_at = now
    feedback.answered_by = actor
    feedback.status = FeedbackStatus.ANSWERED
    feedback.outcome = outcome_for(answered_at=now, due_at=feedback.due_at)
    feedback.published_at = now if publish else None
    feedback.save()
    outbox_publish(
        event=FEEDBACK_ANSWERED,
        payload={"feedback_id": feedback.pk},
        key=f"feedback-answered:{feedback.pk}",
        now=now,
    )
    return feedback


@transaction.atomic
def feedback_set_published(
    *, feedback_id: int, actor: User, publish: bool, now: dt.datetime
) -> Feedback:
    """Publish an answered feedback (when the sender agreed) or take it off the public page."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback_id)
    if not feedback_can_answer(user=actor, feedback=feedback):
        raise FeedbackError(_("Chỉ cán bộ của cơ quan được giao mới trả lời phản ánh này."))
    if publish and (not feedback.is_public or feedback.status != FeedbackStatus.ANSWERED):
        raise FeedbackError(_("Chỉ công khai phản ánh đã trả lời mà người gửi đồng ý công khai."))
    feedback.published_at = (feedback.published_at or now) if publish else None
    feedback.save(update_fields=["published_at"])
    return feedback


def reminder_kind_applies(*, kind: str, due_at: dt.datetime, desk: Desk, now: dt.datetime) -> bool:
    """Overdue once past the deadline; due soon within one working day of the desk before it."""
    if kind == FeedbackReminderKind.OVERDUE:
        return due_at < now
    if due_at < now:
        return False
    hours = OfficeHours.for_desk(desk)
    today = timezone.localdate(now)
    one_day_later = add_working_minutes(
        start=now,
        minutes=hours.minutes_per_day,
        hours=hours,
        calendar=calendar_load(start=today, end=today + dt.timedelta(days=30)),
    )
    return due_at <= one_day_later


def feedback_reminder_record(
    *, feedback_id: int, kind: str, due_at: dt.datetime, now: dt.datetime
) -> bool:
    """Decide one reminder: a FeedbackReminderLog row (unique per feedback, kind and deadline)
    and its outbox message, in one transaction. False when already decided or not applicable."""
    with transaction.atomic():
        feedback = (
            Feedback.objects.select_for_update().select_related("desk").filter(pk=feedback_id)
        ).first()
        if (
            feedback is None
            or feedback.status != FeedbackStatus.RECEIVED
            or feedback.due_at != due_at
            or not reminder_kind_applies(kind=kind, due_at=due_at, desk=feedback.desk, now=now)
        ):
            return False
        try:
            with transaction.atomic():
                log = FeedbackReminderLog.objects.create(
                    feedback=feedback, kind=kind, due_at=due_at, created_at=now
                )
        except IntegrityError:
            return False
        outbox_publish(
            event=FEEDBACK_REMINDER,
            payload={"reminder_id": log.pk},
            key=f"feedback-reminder:{log.pk}",
            now=now,
        )
    return True


def _reminder_recipients(feedback: Feedback) -> list[User]:
    """The agency's specialists; the desk's clerks and heads when there is no agency or it has
    no active account yet (someone must hear of it)."""
    if feedback.agency_id is not None:
        staff = list(
            User.objects.filter(
                agency_id=feedback.agency_id, role=Role.SPECIALIST, is_active=True
            ).order_by("pk")
        )
        if staff:
            return staff
    return list(
        User.objects.filter(
            desk_id=feedback.desk_id, role__in=[Role.CLERK, Role.DESK_HEAD], is_active=True
        ).order_by("pk")
    )


def _email(template: str, context: dict[str, Any], to: str) -> EmailMultiAlternatives:
    base = f"feedback/emails/{template}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{base}.txt", context), settings.DEFAULT_FROM_EMAIL, [to]
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    return message


def feedback_reminder_deliver(*, reminder_id: int, now: dt.datetime) -> int:
    """In-app notifications and emails to the agency's staff (or the desk's clerks and heads),
    once (delivered_at).
    Returns the number of recipients reached now (0 when delivered already)."""
    with transaction.atomic():
        log = (
            FeedbackReminderLog.objects.select_for_update()
            .select_related("feedback", "feedback__desk")
            .filter(pk=reminder_id)
            .first()
        )
        if log is None or log.delivered_at is not None:
            return 0
        feedback = log.feedback
        recipients = _reminder_recipients(feedback)
        with override(settings.LANGUAGE_CODE):
            due = f"{timezone.localtime(log.due_at):%H:%M %d/%m/%Y}"
            title = (
                _("Phản ánh %(code)s đã quá hạn trả lời (%(due)s)")
                if log.kind == FeedbackReminderKind.OVERDUE
                else _("Phản ánh %(code)s sắp đến hạn trả lời (%(due)s)")
            ) % {"code": feedback.code, "due": due}
            context = {"feedback": feedback, "title": title, "due": due}
            body = render_to_string("feedback/emails/reminder.txt", context).strip()
            messages = [
                _email("reminder", {**context, "user": user}, user.email)
                for user in recipients
                if user.email
            ]
        Notification.objects.bulk_create(
            Notification(recipient=user, kind=log.kind, title=title, body=body, created_at=now)
            for user in recipients
        )
        if messages:
            get_connection().send_messages(messages)
        log.delivered_at = now
        log.recipients = len(recipients)
        log.save(update_fields=["delivered_at", "recipients"])
    return len(recipients)


def feedback_reminder_handler(payload: dict) -> int:
    return feedback_reminder_deliver(reminder_id=payload["reminder_id"], now=timezone.now())


def feedback_answer_notify(*, feedback_id: int, now: dt.datetime) -> bool:
    """Tell the sender of the answer, once: an SMS to their phone and, when they gave one, an
    email. True when told now."""
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().filter(pk=feedback_id).first()
        if feedback is None or feedback.answer_notified_at is not None:
            return False
        email = feedback.sender_email or (feedback.sender.email if feedback.sender else "")
        with override(settings.LANGUAGE_CODE):
            message = _email("answered", {"feedback": feedback}, email) if email else None
            text = _(
                "Phản ánh, kiến nghị %(code)s đã được trả lời. "
                "Mời ông/bà xem trên Cổng Dịch vụ công."
            ) % {"code": feedback.code}
        send_sms(feedback.sender_phone, text)
        if message is not None:
            message.send()
        feedback.answer_notified_at = now
        feedback.save(update_fields=["answer_notified_at"])
    return True


def feedback_answered_handler(payload: dict) -> bool:
    return feedback_answer_notify(feedback_id=payload["feedback_id"], now=timezone.now())
