from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Hàng đợi tác vụ sau giao dịch")

    def ready(self) -> None:
        # Register the delivery task in every process, not only in Celery workers (whose
        # autodiscovery imports tasks modules at start): `make run` delivers in-process, and a
        # web process must know the task by name to send it.
        from outbox import tasks  # noqa: F401
