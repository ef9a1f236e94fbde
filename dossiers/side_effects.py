"""The one place where a dossier change fans out to background work.

Services call `dossier_changed` through `transaction.on_commit` after every event they write.
Keep it a plain list of `.delay(...)` calls with ids only: each app adds its own task here
(statistics rollups, citizen notifications...), and each task loads what it needs by id.
"""

import contextlib
import logging
import threading
from collections.abc import Iterator

from dossiers.tasks import notify_citizen_task
from onestop.services import ENQUEUE_ERRORS, rollup_enqueue_refresh

logger = logging.getLogger(__name__)
_state = threading.local()


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
    # Statistics rollup: never raises when the broker is down (logs, the next scan catches up).
    rollup_enqueue_refresh(dossier_id=dossier_id)
    # Email and SMS to the applicant on reception, supplement request, result and apology.
    try:
        notify_citizen_task.delay(dossier_id, event_id)
    except ENQUEUE_ERRORS:
        # The dossier is committed already; a broker outage must not turn into an error page.
        logger.warning("Citizen notice for event %s not enqueued (broker down).", event_id)
