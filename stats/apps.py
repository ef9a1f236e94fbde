from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Thống kê"

    def ready(self) -> None:
        from dossiers.side_effects import register_dossier_change_handler
        from stats.tasks import rollup_enqueue_refresh

        register_dossier_change_handler(rollup_enqueue_refresh)
