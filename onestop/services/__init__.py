"""Every write of the one-stop app; import services from `onestop.services`.

- units: the administrative-unit loader and the desk set-up;
- queue: queue tickets and counter ratings on the desk floor;
- stats: statistics rollups, deadline reminders and staff notifications.
"""

from onestop.services.queue import (
    QueueConflict,
    QueueError,
    QueueInvalid,
    counter_rate,
    rating_window,
    ticket_call_next,
    ticket_code,
    ticket_issue,
    ticket_link_dossier,
    ticket_no_show,
    ticket_recall,
    ticket_serve,
)
from onestop.services.stats import (
    ENQUEUE_ERRORS,
    citizen_overdue_notify,
    notification_mark_read,
    reminder_send,
    rollup_backlog_release,
    rollup_enqueue_refresh,
    rollup_rebuild,
    rollup_refresh_dossier,
)
from onestop.services.units import (
    DeskResult,
    LoadResult,
    UnitDataError,
    desks_create_for_province,
    units_load,
    units_load_file,
    units_read_file,
)

__all__ = [
    "DeskResult",
    "ENQUEUE_ERRORS",
    "LoadResult",
    "QueueConflict",
    "QueueError",
    "QueueInvalid",
    "UnitDataError",
    "citizen_overdue_notify",
    "counter_rate",
    "desks_create_for_province",
    "notification_mark_read",
    "rating_window",
    "reminder_send",
    "rollup_backlog_release",
    "rollup_enqueue_refresh",
    "rollup_rebuild",
    "rollup_refresh_dossier",
    "ticket_call_next",
    "ticket_code",
    "ticket_issue",
    "ticket_link_dossier",
    "ticket_no_show",
    "ticket_recall",
    "ticket_serve",
    "units_load",
    "units_load_file",
    "units_read_file",
]
