from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyncConfig(AppConfig):
    name = "sync"
    verbose_name = _("Đồng bộ Cổng Dịch vụ công quốc gia")

    def ready(self) -> None:
        from outbox.registry import subscribe
        from stats.hooks import register_dashboard_link
        from sync.services import HANDLER_NAME, sync_push_batch, sync_push_handler, sync_wants
        from sync.views import dashboard_links

        # The national side drops a repeat by its idempotency key.
        subscribe(
            "dossier.changed",
            HANDLER_NAME,
            sync_push_handler,
            when=sync_wants,
            batch=sync_push_batch,
            idempotent=True,
        )
        register_dashboard_link(dashboard_links)
