"""Places and desks. Each concern has its own module; import models from `onestop.models`."""

from onestop.models.queue import (
    CounterRating,
    QueueTicket,
    SatisfactionLevel,
    ServiceGroup,
    TicketSequence,
    TicketStatus,
)
from onestop.models.units import AdministrativeUnit, Agency, Counter, Desk, UnitLevel

__all__ = ["AdministrativeUnit", "Agency", "Counter", "Desk", "UnitLevel"]
__all__ += ["CounterRating", "QueueTicket", "SatisfactionLevel", "ServiceGroup"]
__all__ += ["TicketSequence", "TicketStatus"]
