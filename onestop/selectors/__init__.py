"""Every read of the one-stop app; import selectors from `onestop.selectors`.

- units: administrative units and their desks;
- queue: the desk floor (board, counters, kiosks, queue figures);
"""

from onestop.selectors.queue import (
    board_state,
    counter_get,
    counter_list,
    counter_operable_by,
    counter_rating_pending,
    counter_state,
    desk_figures_visible_to,
    desk_floor_visible_to,
    desk_get_active,
    desk_operable_by,
    queue_figures,
    queue_figures_breakdown,
    service_group_list,
    ticket_ahead_count,
    ticket_get,
)
from onestop.selectors.units import (
    desk_count,
    desk_default_for,
    desk_get,
    desk_list,
    unit_ancestor_at,
    unit_get,
    unit_list,
    unit_subtree,
)

__all__ = [
    "board_state",
    "counter_get",
    "counter_list",
    "counter_operable_by",
    "counter_rating_pending",
    "counter_state",
    "desk_count",
    "desk_default_for",
    "desk_figures_visible_to",
    "desk_floor_visible_to",
    "desk_get",
    "desk_get_active",
    "desk_list",
    "desk_operable_by",
    "queue_figures",
    "queue_figures_breakdown",
    "service_group_list",
    "ticket_ahead_count",
    "ticket_get",
    "unit_ancestor_at",
    "unit_get",
    "unit_list",
    "unit_subtree",
]
