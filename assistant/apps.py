from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    name = "assistant"
    verbose_name = _("Trợ lý ảo")

    def ready(self) -> None:
        # The catalog's engine prefers, among same-named procedures, the one with most dossiers;
        # the counts live above it, in dossiers, so this app hands them down.
        from assistant.selectors import procedure_popularity
        from procedures.retrieval.engine import set_popularity_provider

        set_popularity_provider(procedure_popularity)
