"""Glue between dossiers and the deadline engine (dossiers.deadlines, dossiers.calendar)."""

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from dossiers.calendar import calendar_load
from dossiers.deadlines import Deadline, OfficeHours, WorkCalendar, compute_due, extend_for_pause
from dossiers.models import Dossier, DossierOutcome
from dossiers.services.errors import DossierValidationError
from procedures.compiled import CompiledQuery
from procedures.models import Procedure, SubmissionMethod, TimeUnit

# Days of calendar loaded beyond the start: generous for holidays and long working-day counts.
_CALENDAR_MARGIN_DAYS = 90


# The first submission method of the channel that states its own processing time (compiled
# once: every reception reads it).
_METHOD_TIME = CompiledQuery(
    lambda shape, procedure_id, channel: (
        SubmissionMethod.objects.filter(procedure_id=procedure_id, channel=channel)
        .exclude(processing_time_unit="")
        .order_by("id")
        .values("processing_time_amount", "processing_time_unit")[:1]
    ),
    ints=("procedure_id",),
    texts=("channel",),
)


def processing_time(*, procedure: Procedure, channel: str) -> tuple[Decimal | None, str]:
    """The processing time for a channel: its submission method's when set, else the procedure's."""
    for method in _METHOD_TIME.rows(procedure_id=procedure.pk, channel=channel):
        return method["processing_time_amount"], method["processing_time_unit"]
    return procedure.processing_time_amount, procedure.processing_time_unit


def _calendar(*, start: datetime, amount: Decimal | None, unit: str) -> WorkCalendar:
    days = int(amount or 0)
    if unit == TimeUnit.WORKING_HOURS:
        days = days // 4
    first = timezone.localdate(start)
    return calendar_load(start=first, end=first + timedelta(days=2 * days + _CALENDAR_MARGIN_DAYS))


def deadline_compute(*, dossier: Dossier, start: datetime) -> Deadline:
    """The appointment for `dossier` when its clock starts at `start`."""
    procedure = dossier.procedure
    amount, unit = processing_time(procedure=procedure, channel=dossier.channel)
    if not unit:
        raise DossierValidationError(
            _("Thủ tục chưa có thời hạn giải quyết nên chưa thể hẹn ngày trả kết quả.")
        )
    try:
        # The explanation is stored on the record (receipt, control slip): in the official
        # language, whatever the clerk's interface language.
        with override(settings.LANGUAGE_CODE):
            return compute_due(
                received_at=start,
                amount=amount,
                unit=unit,
                hours=OfficeHours.for_desk(dossier.desk),
                calendar=_calendar(start=start, amount=amount, unit=unit),
                same_day_cutoff=procedure.same_day_cutoff,
            )
    except ValueError as error:
        raise DossierValidationError(str(error)) from error


def deadline_extend(
    *, dossier: Dossier, due_at: datetime, paused_at: datetime, resumed_at: datetime
) -> datetime:
    """`due_at` pushed back by the office time between `paused_at` and `resumed_at`."""
    amount = Decimal((resumed_at - paused_at).days + (due_at - paused_at).days + 1)
    return extend_for_pause(
        due_at=due_at,
        paused_at=paused_at,
        resumed_at=resumed_at,
        hours=OfficeHours.for_desk(dossier.current_desk or dossier.desk),
        calendar=_calendar(start=paused_at, amount=max(amount, Decimal(1)), unit="calendar_days"),
    )


def deadline_data(deadline: Deadline) -> dict[str, Any]:
    """A JSON-ready form of the deadline, for event data and the API."""
    return {
        "starts_at": deadline.starts_at.isoformat(),
        "due_at": deadline.due_at.isoformat(),
        "skipped": [
            {"day": skipped.day.isoformat(), "reason": skipped.reason}
            for skipped in deadline.skipped
        ],
        "explanation": list(deadline.explanation),
    }


def outcome_for(*, finished_at: datetime, due_at: datetime | None) -> str:
    """Early = finished on a local day before the appointment's day; on time = by the appointment
    (including earlier the same day); late = after it. Without an appointment: on time."""
    if due_at is None:
        return DossierOutcome.ON_TIME
    if finished_at > due_at:
        return DossierOutcome.LATE
    if timezone.localdate(finished_at) < timezone.localdate(due_at):
        return DossierOutcome.EARLY
    return DossierOutcome.ON_TIME
