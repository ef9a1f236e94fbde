"""Every write of the one-stop app; import services from `onestop.services`.

- units: the administrative-unit loader and the desk set-up;
- queue: queue tickets and counter ratings on the desk floor;
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
    "LoadResult",
    "QueueConflict",
    "QueueError",
    "QueueInvalid",
    "UnitDataError",
    "counter_rate",
    "desks_create_for_province",
    "rating_window",
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
