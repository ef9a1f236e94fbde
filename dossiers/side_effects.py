"""The one place where a dossier change fans out to background work.

Services call `dossier_changed` through `transaction.on_commit` after every event they write.
It enqueues this app's citizen notice, then calls the handlers that apps above dossiers register
in their `AppConfig.ready()` (the statistics rollup refresh), with ids only: each loads what it
needs by id.
"""

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

import kombu.exceptions
import redis.exceptions

from dossiers.tasks import notify_citizen_task

logger = logging.getLogger(__name__)
_state = threading.local()

# Errors raised when the broker cannot take a message: the dossier is never lost for them.
ENQUEUE_ERRORS = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError)

DossierChangeHandler = Callable[..., object]
_change_handlers: list[DossierChangeHandler] = []


def register_dossier_change_handler(handler: DossierChangeHandler) -> None:
    """`handler(dossier_id=...)` runs after every committed dossier event; it must not raise
    for a broker outage (log and leave a backlog instead)."""
    if handler not in _change_handlers:
        _change_handlers.append(handler)


@contextlib.contextmanager
def side_effects_suppressed() -> Iterator[None]:
    """Schedule nothing inside (demo seeding: no messages to invented people; the statistics
    seed step rebuilds its rollups afterwards)."""
    previous = getattr(_state, "suppressed", False)
    _state.suppressed = True
    try:
        yield
    finally:
        _state.suppressed = previous


def side_effects_are_suppressed() -> bool:
    return getattr(_state, "suppressed", False)


def dossier_changed(dossier_id: int, event_id: int) -> None:
    """Enqueue the tasks that follow a committed dossier event."""
    for handler in _change_handlers:
        handler(dossier_id=dossier_id)
    # Email and SMS to the applicant on reception, supplement request, result and apology.
    try:
        notify_citizen_task.delay(dossier_id, event_id)
    except ENQUEUE_ERRORS:
        # The dossier is committed already; a broker outage must not turn into an error page.
        logger.warning("Citizen notice for event %s not enqueued (broker down).", event_id)
