"""Dossier codes (Circular 01/2018, article 19): `<agency code>-<yymmdd>-<daily number>`."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from dossiers.models import DailySequence


def dossier_code_next(*, agency_code: str, now: datetime) -> str:
    """Take the next number of the agency's local day. Call inside the dossier's transaction.

    The UPDATE takes the sequence row's lock until the caller commits, so two clerks at the
    same instant get consecutive numbers; the first number of a day is an INSERT guarded by the
    unique constraint (the loser of that race falls back to the UPDATE).
    """
    day = timezone.localdate(now)
    rows = DailySequence.objects.filter(agency_code=agency_code, day=day)
    with transaction.atomic():
        if not rows.update(last_number=F("last_number") + 1):
            try:
                with transaction.atomic():
                    DailySequence.objects.create(agency_code=agency_code, day=day, last_number=1)
            except IntegrityError:
                rows.update(last_number=F("last_number") + 1)
        number = rows.values_list("last_number", flat=True).get()
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"
