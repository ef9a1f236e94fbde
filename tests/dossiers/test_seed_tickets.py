"""Demo step: counter dossiers of a day linked to that day's served tickets, once."""

import io

import pytest

from dossiers import seed_tickets
from dossiers.models import DossierStatus
from onestop import seed_queue
from onestop.models import QueueTicket, TicketStatus
from procedures.models import Channel
from tests.factories import make_dossier
from tests.onestop.queue_builders import make_three_level_desks, vn_time

pytestmark = pytest.mark.django_db


def test_seed_tickets_links_direct_dossiers_of_the_day_once_when_dossiers_exist():
    province_desk, _, _ = make_three_level_desks()
    received = vn_time(9, day=24)
    dossier = make_dossier(
        desk=province_desk,
        channel=Channel.DIRECT,
        status=DossierStatus.RECEIVED,
        received_at=received,
    )
    seed_queue.run(io.StringIO(), now=vn_time(10))
    seed_tickets.run(io.StringIO())
    seed_tickets.run(io.StringIO())
    ticket = QueueTicket.objects.get(dossier_code=dossier.code)
    assert (ticket.day, ticket.status) == (received.date(), TicketStatus.SERVED)
