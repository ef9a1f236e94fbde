"""Invalidate the in-process search index when the catalog, a vector or a lexicon term changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from procedures.models import Procedure, RequiredDocument
from procedures.retrieval import engine
from procedures.retrieval.models import ColloquialTerm, ProcedureVector


@receiver([post_save, post_delete], sender=Procedure)
@receiver([post_save, post_delete], sender=RequiredDocument)
@receiver([post_save, post_delete], sender=ColloquialTerm)
@receiver([post_save, post_delete], sender=ProcedureVector)
def _catalog_changed(**kwargs) -> None:
    engine.invalidate()
