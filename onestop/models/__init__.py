"""Places and desks. Each concern has its own module; import models from `onestop.models`."""

from onestop.models.queue import (
    CounterRating,
    QueueTicket,
    ServiceGroup,
    TicketSequence,
    TicketStatus,
)
from onestop.models.stats import (
    STAT_FIELDS,
    DailyDeskProcedureStat,
    DailyDeskStat,
    MonthlyDeskStat,
    Notification,
    ReminderKind,
    ReminderLog,
    RollupBacklog,
)
from onestop.models.units import AdministrativeUnit, Agency, Counter, Desk, UnitLevel

__all__ = ["AdministrativeUnit", "Agency", "Counter", "Desk", "UnitLevel"]
__all__ += ["CounterRating", "QueueTicket", "ServiceGroup", "TicketSequence", "TicketStatus"]
__all__ += ["STAT_FIELDS", "DailyDeskProcedureStat", "DailyDeskStat", "Notification"]
__all__ += ["MonthlyDeskStat", "ReminderKind", "ReminderLog", "RollupBacklog"]
