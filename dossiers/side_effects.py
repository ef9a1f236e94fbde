"""The one place where a dossier change fans out to background work: the outbox.

Services call `dossier_event_publish` inside the transaction that wrote a DossierEvent. It writes
one outbox row per handler subscribed to "dossier.changed" (this app's citizen notice, the
statistics refresh of the app above, later the national-portal sync), delivered after commit.
A broker, mail server or SMS gateway that is down delays them; it never undoes the change.
"""

import contextlib
import threading
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import override

from dossiers.models import Dossier, DossierEvent, DossierStatus
from dossiers.notifications import notification_kind, notify_citizen_email, notify_citizen_sms
from outbox.services import outbox_publish
from procedures.compiled import CompiledQuery
from procedures.models import PROCEDURE_LONG_FIELDS

DOSSIER_CHANGED = "dossier.changed"
_state = threading.local()


@contextlib.contextmanager
def side_effects_suppressed() -> Iterator[None]:
    """Publish nothing inside (demo seeding: no messages to invented people; the statistics
    seed step rebuilds its rollups afterwards)."""
    previous = getattr(_state, "suppressed", False)
    _state.suppressed = True
    try:
        yield
    finally:
        _state.suppressed = previous


def side_effects_are_suppressed() -> bool:
    return getattr(_state, "suppressed", False)


def _has_email(dossier: Dossier) -> bool:
    """Whether the applicant has an e-mail address, without a query: True when unknown (the
    account is not loaded), so that the handler decides."""
    if dossier.applicant_email:
        return True
    if dossier.applicant_id is None:
        return False
    if Dossier.applicant.is_cached(dossier):
        return bool(dossier.applicant.email)
    return True


def dossier_event_payload(*, dossier: Dossier, event: DossierEvent) -> dict:
    """The payload of "dossier.changed": the ids the handlers load, and the facts in hand that
    let each subscription's `when` skip a row its handler would do nothing with:

    - action, from_status, to_status: the transition (the sync tracks changes of status, the
      counter receipt follows `confirm_payment`);
    - counted: the dossier has a day in the statistics (received, finished, returned, a
      supplement request or a rating): the rollup refresh has cells to rebuild;
    - notice (the citizen notice kind, or None), email, phone: whether the e-mail and the SMS
      handlers would send;
    - paid_online (on `confirm_payment` only): a payment the payments app recorded itself.
    """
    notice = notification_kind(event)
    payload = {
        "dossier_id": dossier.pk,
        "event_id": event.pk,
        "action": event.action,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "counted": bool(
            dossier.received_at
            or dossier.finished_at
            or dossier.returned_at
            or event.to_status == DossierStatus.SUPPLEMENT_REQUESTED
            or event.action == "rate"
        ),
        "notice": notice,
    }
    if notice is not None:
        payload["email"] = _has_email(dossier)
        payload["phone"] = bool(dossier.applicant_phone)
    if event.action == "confirm_payment":
        payload["paid_online"] = bool((event.data or {}).get("paid_online"))
    return payload


def dossier_event_publish(*, dossier: Dossier, event: DossierEvent) -> None:
    """Inside the change's transaction: the side effects of one committed dossier event (one
    outbox row per handler that will act on it, none at all when no handler will)."""
    if side_effects_are_suppressed():
        return
    outbox_publish(
        event=DOSSIER_CHANGED,
        payload=dossier_event_payload(dossier=dossier, event=event),
        key=f"dossier-event:{event.pk}",
    )


def _known_false(payload: dict, key: str) -> bool:
    """A fact the payload states as false (an older or foreign payload without it: unknown)."""
    return key in payload and not payload[key]


def wants_citizen_email(payload: dict) -> bool:
    """The e-mail handler acts on a notified event of an applicant with an address."""
    return not (_known_false(payload, "notice") or _known_false(payload, "email"))


def wants_citizen_sms(payload: dict) -> bool:
    """The SMS handler acts on a notified event of an applicant with a phone number."""
    return not (_known_false(payload, "notice") or _known_false(payload, "phone"))


# The e-mail templates show the procedure's name and the desk: loaded with the event in one
# query compiled once, without the catalog's long texts.
_NOTICE_EVENT = CompiledQuery(
    lambda shape, event_id, dossier_id: (
        DossierEvent.objects.select_related(
            "dossier__applicant", "dossier__procedure", "dossier__desk"
        )
        .defer(*(f"dossier__procedure__{name}" for name in PROCEDURE_LONG_FIELDS))
        .filter(pk=event_id, dossier_id=dossier_id)
    ),
    ints=("event_id", "dossier_id"),
)


def _notice_event(payload: dict) -> DossierEvent:
    found = _NOTICE_EVENT.instances(event_id=payload["event_id"], dossier_id=payload["dossier_id"])
    if not found:
        raise DossierEvent.DoesNotExist(f"event {payload['event_id']}")
    return found[0]


def notify_citizen_email_handler(payload: dict) -> str | None:
    """Outbox handler: e-mail the applicant about one event (received, supplement, result,
    apology). The e-mail and the SMS are two handlers, so a gateway that fails retries its own
    message only: the other is not sent twice."""
    event = _notice_event(payload)
    with override(settings.LANGUAGE_CODE):  # in-process deliveries inherit the visitor's language
        return notify_citizen_email(dossier=event.dossier, event=event)


def notify_citizen_sms_handler(payload: dict) -> str | None:
    """Outbox handler: the SMS of the same event (see notify_citizen_email_handler)."""
    event = _notice_event(payload)
    with override(settings.LANGUAGE_CODE):
        return notify_citizen_sms(dossier=event.dossier, event=event)
