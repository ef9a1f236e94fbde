"""Background work of the dossiers app: thin tasks that load by id and call one function."""

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import override

from dossiers.models import DossierEvent
from dossiers.notifications import notify_citizen
from dossiers.services.documents import documents_sweep_orphans


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_citizen_task(dossier_id: int, event_id: int) -> str | None:
    """Email and SMS the applicant about one event (received, supplement, result, apology).

    A cache marker per event, set once the messages are out, keeps a duplicated task from
    messaging twice while a send that failed (and is retried) still goes out.
    """
    marker = f"dossiers:notified:{event_id}"
    if cache.get(marker):
        return None
    event = DossierEvent.objects.select_related("dossier__applicant").get(
        pk=event_id, dossier_id=dossier_id
    )
    with override(settings.LANGUAGE_CODE):  # eager in-process runs inherit the visitor's language
        kind = notify_citizen(dossier=event.dossier, event=event)
    cache.set(marker, 1, timeout=7 * 24 * 3600)
    return kind


@shared_task
def sweep_orphan_documents_task() -> int:
    """Nightly: delete stored files that no dossier document points to (an outer rollback)."""
    return documents_sweep_orphans(now=timezone.now())
