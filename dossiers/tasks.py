"""Background work of the dossiers app: thin tasks that load by id and call one function."""

from celery import shared_task
from django.core.cache import cache

from dossiers.models import DossierEvent
from dossiers.notifications import notify_citizen


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def notify_citizen_task(dossier_id: int, event_id: int) -> str | None:
    """Email and SMS the applicant about one event (received, supplement, result, apology).

    A cache marker per event keeps a retried or duplicated task from messaging twice.
    """
    if not cache.add(f"dossiers:notified:{event_id}", 1, timeout=7 * 24 * 3600):
        return None
    event = DossierEvent.objects.select_related("dossier__applicant").get(
        pk=event_id, dossier_id=dossier_id
    )
    return notify_citizen(dossier=event.dossier, event=event)
