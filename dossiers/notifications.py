"""Messages to the applicant when their dossier changes: email from templates, and SMS."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.sms import send_sms
from dossiers.models import Dossier, DossierEvent, DossierStatus

# Event action -> template kind. Only these four reach the citizen.
NOTIFIED_ACTIONS = {
    "receive": "received",
    "request_supplement": "supplement_requested",
    "resolve": "result_ready",
    "apologize": "apology",
}
SMS_TEXTS = {
    "received": _("Hồ sơ %(code)s đã được tiếp nhận. Hẹn trả kết quả: %(due)s."),
    "supplement_requested": _(
        "Hồ sơ %(code)s cần bổ sung giấy tờ. Vui lòng xem chi tiết trên Cổng Dịch vụ công."
    ),
    "result_ready": _("Hồ sơ %(code)s đã có kết quả. Mời ông/bà xem trên Cổng Dịch vụ công."),
    "apology": _("Xin lỗi ông/bà: hồ sơ %(code)s trả kết quả chậm. Ngày hẹn mới: %(due)s."),
}


def notification_kind(event: DossierEvent) -> str | None:
    """The kind of message an event sends, or None (resolving a refused dossier also notifies)."""
    kind = NOTIFIED_ACTIONS.get(event.action)
    if kind is None and event.to_status == DossierStatus.RESOLVED:
        return "result_ready"
    return kind


def notify_citizen_email(*, dossier: Dossier, event: DossierEvent) -> str | None:
    """E-mail the applicant about one event; the kind sent, or None when none applies (or the
    applicant has no address)."""
    kind = notification_kind(event)
    email = dossier.applicant_email or (dossier.applicant.email if dossier.applicant else "")
    if kind is None or not email:
        return None
    context = {
        "dossier": dossier,
        "event": event,
        "site_name": settings.PORTAL_SITE_NAME,
        "due": dossier.appointment_at,
        "dossier_url": settings.PORTAL_BASE_URL.rstrip("/")
        + reverse("dossiers:my_detail", args=[dossier.code or dossier.pk]),
        "items": dossier.supplement_items or (event.data or {}).get("items", []),
    }
    subject = render_to_string(f"dossiers/emails/{kind}.subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string(f"dossiers/emails/{kind}.txt", context),
        to=[email],
    )
    message.attach_alternative(
        render_to_string(f"dossiers/emails/{kind}.html", context), "text/html"
    )
    message.send()
    return kind


def notify_citizen_sms(*, dossier: Dossier, event: DossierEvent) -> str | None:
    """Text the applicant about one event; the kind sent, or None when none applies."""
    kind = notification_kind(event)
    if kind is None:
        return None
    due = dossier.appointment_at
    due_text = f"{timezone.localtime(due):%H:%M %d/%m/%Y}" if due else ""
    send_sms(
        dossier.applicant_phone, str(SMS_TEXTS[kind]) % {"code": dossier.code, "due": due_text}
    )
    return kind
