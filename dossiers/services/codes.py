"""Dossier codes (Circular 01/2018, article 19): `<agency code>-<yymmdd>-<daily number>`."""

from datetime import datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dossiers.models import DailySequence


def dossier_code_next(*, agency_code: str, now: datetime) -> str:
    """Take the next number of the agency's local day. Call inside the dossier's transaction.

    The UPDATE takes the sequence row's lock until the caller commits, so two clerks at the
    same instant get consecutive numbers; the first number of a day is an INSERT guarded by the
    unique constraint (the loser of that race falls back to the UPDATE).
    """
    day = timezone.localdate(now)
    table = connection.ops.quote_name(DailySequence._meta.db_table)
    # One statement takes the row lock and reads the new number (UPDATE … RETURNING, on
    # PostgreSQL and SQLite ≥ 3.35 alike). No savepoint of its own: the caller's transaction
    # fails as a whole if this does.
    sql = (
        f"UPDATE {table} SET last_number = last_number + 1 "
        "WHERE agency_code = %s AND day = %s RETURNING last_number"
    )
    params = [agency_code, connection.ops.adapt_datefield_value(day)]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            try:
                with transaction.atomic():
                    DailySequence.objects.create(agency_code=agency_code, day=day, last_number=1)
                row = (1,)
            except IntegrityError:
                cursor.execute(sql, params)
                row = cursor.fetchone()
        number = int(row[0])
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"
