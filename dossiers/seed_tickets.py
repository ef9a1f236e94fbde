"""Demo step: the dossiers received over the counter on a day go to that day's served tickets.

Runs after the queue seed (onestop) and the dossiers seed; links only dossiers and tickets not
linked yet, so running it twice changes nothing.
"""

import datetime
from typing import TextIO

from django.utils import timezone

from dossiers.models import Dossier
from onestop.models import QueueTicket, TicketStatus
from onestop.seed_queue import RESULT_ONLY
from procedures.models import Channel


def _local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))
    return start, start + datetime.timedelta(days=1)


def run(stdout: TextIO) -> None:
    open_tickets = QueueTicket.objects.filter(status=TicketStatus.SERVED, dossier_code="").exclude(
        group__prefix__in=RESULT_ONLY
    )
    linked_codes = set(
        QueueTicket.objects.exclude(dossier_code="").values_list("dossier_code", flat=True)
    )
    linked = 0
    for desk_id, day in open_tickets.values_list("desk_id", "day").distinct().order_by():
        start, end = _local_day_bounds(day)
        codes = [
            code
            for code in Dossier.objects.filter(
                desk_id=desk_id,
                channel=Channel.DIRECT,
                received_at__gte=start,
                received_at__lt=end,
            )
            .order_by("received_at", "pk")
            .values_list("code", flat=True)
            if code not in linked_codes
        ]
        tickets = list(open_tickets.filter(desk_id=desk_id, day=day).order_by("issued_at", "pk"))
        for ticket, code in zip(tickets, codes, strict=False):
            ticket.dossier_code = code
        QueueTicket.objects.bulk_update(tickets[: len(codes)], ["dossier_code"])
        linked += min(len(tickets), len(codes))
    stdout.write(f"  Số thứ tự được gắn hồ sơ tiếp nhận: {linked}.\n")
