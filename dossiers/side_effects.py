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

from dossiers.models import DossierEvent
from dossiers.notifications import notify_citizen_email, notify_citizen_sms
from outbox.services import outbox_publish

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


def dossier_event_publish(*, dossier_id: int, event_id: int) -> None:
    """Inside the change's transaction: the side effects of one committed dossier event."""
    if side_effects_are_suppressed():
        return
    outbox_publish(
        event=DOSSIER_CHANGED,
        payload={"dossier_id": dossier_id, "event_id": event_id},
        key=f"dossier-event:{event_id}",
    )


def _notice_event(payload: dict) -> DossierEvent:
    return DossierEvent.objects.select_related("dossier__applicant").get(
        pk=payload["event_id"], dossier_id=payload["dossier_id"]
    )


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
