"""One console handler: a log line is printed once, whichever logger writes it."""

import io
import logging

import pytest
from django.conf import settings
from django.utils.log import configure_logging


def _stream_handlers_reached(name: str) -> list[logging.Handler]:
    """The stream handlers a record of logger `name` reaches, following propagation."""
    reached = []
    logger: logging.Logger | None = logging.getLogger(name)
    while logger is not None:
        reached += [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
        logger = logger.parent if logger.propagate else None
    return reached


@pytest.mark.parametrize("name", ["django", "django.request", "dossiers.services", "celery"])
def test_logging_prints_a_line_once_when_written_to(name, settings_debug_on):
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    handlers = _stream_handlers_reached(name)
    assert len(handlers) == 1
    stream = io.StringIO()
    old, handlers[0].stream = handlers[0].stream, stream
    try:
        logging.getLogger(name).warning("một dòng")
    finally:
        handlers[0].stream = old
    assert stream.getvalue().count("một dòng") == 1


@pytest.fixture
def settings_debug_on(settings):
    # Django's own "django" console handler only writes with DEBUG on: the case that doubled.
    settings.DEBUG = True
    return settings
