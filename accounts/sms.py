"""Pluggable SMS: settings.SMS_BACKEND names a class with `send(phone, text)`."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class LoggingSmsBackend:
    """Default backend: writes the message to the log instead of a carrier."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend:
    """Test backend: keeps messages in `outbox`, like Django's locmem email backend."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def send_sms(phone: str, text: str) -> None:
    if phone:
        import_string(settings.SMS_BACKEND)().send(phone, text)
