from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IocConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ioc"
    verbose_name = _("Trung tâm điều hành")

    def ready(self) -> None:
        from dossiers.hooks import register_lateness_provider
        from ioc.provider import PROVIDER
        from ioc.services import ESCALATION_RAISED, escalation_notify_handler
        from outbox.registry import subscribe

        register_lateness_provider(PROVIDER)
        subscribe(ESCALATION_RAISED, "ioc.escalation_notify", escalation_notify_handler)
