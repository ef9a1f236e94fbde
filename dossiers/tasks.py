"""Background work of the dossiers app: thin tasks that load by id and call one function."""

from celery import shared_task
from django.utils import timezone

from dossiers.services.documents import documents_sweep_orphans


@shared_task
def sweep_orphan_documents_task() -> int:
    """Nightly: delete stored files that no dossier document points to (an outer rollback)."""
    return documents_sweep_orphans(now=timezone.now())
