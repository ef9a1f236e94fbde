from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from procedures.cache import on_catalog_row_changed
        from procedures.models import Procedure, RequiredDocument, Sector, SubmissionMethod
        from procedures.retrieval import signals  # noqa: F401  (search index invalidation)

        for model in (Procedure, Sector, SubmissionMethod, RequiredDocument):
            post_save.connect(on_catalog_row_changed, sender=model, dispatch_uid=f"cat-{model}")
            post_delete.connect(on_catalog_row_changed, sender=model, dispatch_uid=f"cat-d-{model}")
