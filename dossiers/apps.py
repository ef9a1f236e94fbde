from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Hồ sơ")

    def ready(self) -> None:
        from dossiers.services.tickets import dossier_code_check_for_desk
        from dossiers.side_effects import (
            DOSSIER_CHANGED,
            notify_citizen_email_handler,
            notify_citizen_sms_handler,
            wants_citizen_email,
            wants_citizen_sms,
        )
        from onestop.hooks import register_dossier_code_check
        from outbox.registry import subscribe

        register_dossier_code_check(dossier_code_check_for_desk)
        # "notify_citizen" is the e-mail (the name rows already written carry); the SMS has its own.
        subscribe(
            DOSSIER_CHANGED,
            "dossiers.notify_citizen",
            notify_citizen_email_handler,
            when=wants_citizen_email,
        )
        subscribe(
            DOSSIER_CHANGED,
            "dossiers.notify_citizen_sms",
            notify_citizen_sms_handler,
            when=wants_citizen_sms,
        )
