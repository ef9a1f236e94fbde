"""Every read of the statistics app; import selectors from `stats.selectors`.

- figures: dashboard and API figures from the rollups, and the raw reference;
- reminders: staff notifications and the deadline reminder scan.
"""

from stats.selectors.figures import (
    LEVELS,
    StatsScope,
    local_bounds,
    stats_by_procedure,
    stats_children,
    stats_figures,
    stats_monthly_trend,
    stats_online_procedures,
    stats_rollup_cells_raw,
    stats_scope_units,
    stats_summary,
    stats_summary_raw,
    stats_top_desks_late,
)
from stats.selectors.reminders import (
    next_working_day,
    notification_list,
    notification_unread_count,
    reminder_candidates,
    reminder_scan_queryset,
    work_calendar,
)

__all__ = [
    "LEVELS",
    "StatsScope",
    "local_bounds",
    "next_working_day",
    "notification_list",
    "notification_unread_count",
    "reminder_candidates",
    "reminder_scan_queryset",
    "stats_by_procedure",
    "stats_children",
    "stats_figures",
    "stats_monthly_trend",
    "stats_online_procedures",
    "stats_rollup_cells_raw",
    "stats_scope_units",
    "stats_summary",
    "stats_summary_raw",
    "stats_top_desks_late",
    "work_calendar",
]
