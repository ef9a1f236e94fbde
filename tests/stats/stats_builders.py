"""Builders for the statistics tests: a small province and many random dossiers."""

import datetime as dt
import random

from django.utils import timezone

from dossiers.models import (
    Dossier,
    DossierEvent,
    DossierOutcome,
    DossierStatus,
    SatisfactionRating,
)
from onestop.models import SatisfactionLevel, UnitLevel
from procedures.models import Channel, OnlineLevel, ProcedureLevel
from tests.factories import make_desk, make_procedure, make_unit

TZ = timezone.get_default_timezone()
FINISHED = (
    DossierStatus.RESOLVED,
    DossierStatus.RETURNED,
    DossierStatus.NOT_ACCEPTED,
    DossierStatus.WITHDRAWN,
    DossierStatus.STOPPED,
)
OPEN = (
    DossierStatus.RECEIVED,
    DossierStatus.PROCESSING,
    DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.AWAITING_PAYMENT,
    DossierStatus.WITHDRAWAL_REQUESTED,
)


def make_province() -> dict:
    """A province (77) with two districts of two communes each, a desk on every unit."""
    province = make_unit(code="77", level=UnitLevel.PROVINCE, name="Tỉnh Bà Rịa - Vũng Tàu")
    districts, communes = [], []
    for d in range(2):
        district = make_unit(parent=province, code=f"74{d}", name=f"Huyện {d}")
        districts.append(district)
        for c in range(2):
            communes.append(make_unit(parent=district, code=f"2650{d}{c}", name=f"Xã {d}{c}"))
    units = [province, *districts, *communes]
    desks = {unit.code: make_desk(unit=unit) for unit in units}
    procedures = [
        make_procedure(level=ProcedureLevel.PROVINCE, online_level=OnlineLevel.FULL),
        make_procedure(level=ProcedureLevel.DISTRICT, online_level=OnlineLevel.PARTIAL),
        make_procedure(level=ProcedureLevel.COMMUNE, online_level=OnlineLevel.FULL),
        make_procedure(level=ProcedureLevel.COMMUNE, online_level=OnlineLevel.NONE),
    ]
    return {
        "province": province,
        "districts": districts,
        "communes": communes,
        "desks": desks,
        "procedures": procedures,
    }


def make_random_dossiers(
    world: dict, *, count: int, start: dt.datetime, days: int, seed: int = 7
) -> list[Dossier]:
    """`count` dossiers received over `days` days from `start`, in every status, channel and
    outcome, with supplement events and ratings on some."""
    rng = random.Random(seed)
    desks = list(world["desks"].values())
    dossiers = []
    for n in range(count):
        received = start + dt.timedelta(minutes=rng.randrange(days * 24 * 60))
        due = received + dt.timedelta(days=rng.randrange(1, 8), hours=rng.randrange(0, 9))
        status = rng.choice(FINISHED + OPEN)
        fields = {}
        if status in (DossierStatus.RESOLVED, DossierStatus.RETURNED):
            finished = received + dt.timedelta(hours=rng.randrange(1, 24 * 12))
            fields["finished_at"] = finished
            fields["outcome"] = (
                DossierOutcome.LATE
                if finished > due
                else rng.choice([DossierOutcome.EARLY, DossierOutcome.ON_TIME])
            )
            if status == DossierStatus.RETURNED:
                fields["returned_at"] = finished + dt.timedelta(hours=rng.randrange(1, 72))
        elif status in (DossierStatus.WITHDRAWN, DossierStatus.STOPPED, DossierStatus.NOT_ACCEPTED):
            fields["finished_at"] = received + dt.timedelta(hours=rng.randrange(1, 100))
        fee = rng.choice([None, 0, 50000])
        dossiers.append(
            Dossier(
                code=f"RND-{seed}-{n}",
                procedure=rng.choice(world["procedures"]),
                desk=(desk := rng.choice(desks)),
                current_desk=desk,
                applicant_name="Nguyễn Văn An",
                channel=rng.choice(Channel.values),
                status=status,
                submitted_at=received,
                received_at=received,
                due_at=due,
                fee_amount=fee,
                paid_online=bool(fee) and rng.random() < 0.5,
                digitised_at_reception=rng.random() < 0.6,
                **fields,
            )
        )
    Dossier.objects.bulk_create(dossiers)
    for dossier in dossiers:
        if rng.random() < 0.15:
            DossierEvent.objects.create(
                dossier=dossier,
                action="request_supplement",
                from_status=DossierStatus.PROCESSING,
                to_status=DossierStatus.SUPPLEMENT_REQUESTED,
                at=dossier.received_at + dt.timedelta(hours=rng.randrange(1, 48)),
            )
        if dossier.returned_at and rng.random() < 0.5:
            rating = SatisfactionRating.objects.create(
                dossier=dossier, level=rng.choice(SatisfactionLevel.values)
            )
            SatisfactionRating.objects.filter(pk=rating.pk).update(
                created_at=dossier.returned_at + dt.timedelta(hours=2)
            )
    return dossiers
