from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = _("Thủ tục hành chính")

    def ready(self) -> None:
        from procedures.retrieval import signals  # noqa: F401  (index invalidation)
