from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IocConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "ioc"
    verbose_name = _("Trung tâm điều hành")

    def ready(self) -> None:
        from ioc.services import ESCALATION_RAISED, escalation_notify_handler
        from outbox.registry import subscribe

        subscribe(ESCALATION_RAISED, "ioc.escalation_notify", escalation_notify_handler)
