from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Thống kê"

    def ready(self) -> None:
        from dossiers.side_effects import DOSSIER_CHANGED
        from outbox.registry import subscribe
        from stats.services import (
            DOSSIER_OVERDUE,
            citizen_overdue_handler,
            rollup_refresh_batch_handler,
            rollup_refresh_handler,
            rollup_refresh_wants,
        )

        subscribe(
            DOSSIER_CHANGED,
            "stats.rollup_refresh",
            rollup_refresh_handler,
            when=rollup_refresh_wants,
            batch=rollup_refresh_batch_handler,
            idempotent=True,
        )
        subscribe(
            DOSSIER_OVERDUE,
            "stats.rollup_refresh_overdue",
            rollup_refresh_handler,
            batch=rollup_refresh_batch_handler,
            idempotent=True,
        )
        # ReminderLog, written in the notice's transaction, keeps a repeat from sending again.
        subscribe(
            DOSSIER_OVERDUE,
            "stats.citizen_overdue_notify",
            citizen_overdue_handler,
            idempotent=True,
        )
