"""Backtest of the lateness model (bench/lateness_backtest.py runs it; tests call it too).

Train on the history up to `as_of` (and again every `retrain_days`, on the history up to then,
as the nightly job would); then, each working day at 10:00 of the following `days` days, score
the dossiers that were in progress at that moment as they were then (received, not finished
yet, supplement asked so far, the desk's open dossiers then). Nothing after a moment is used to
score it: no tuning on the window.

A dossier counts as flagged when its risk reached the threshold at a moment at least 2 working
days before its appointment. Over the dossiers whose appointment falls inside the window:

- eligible = dossiers allowed more than 2 working days (received → appointment): only those can
  be flagged 2 working days ahead by any method. Recall on the eligible set = eligible late
  dossiers flagged / eligible late dossiers; the overall recall divides by every late dossier.
- precision = flagged dossiers that did turn late / flagged dossiers.
- baselines: today's fixed reminder, at its own horizon (every dossier still open 1 working day
  before its appointment) and moved to 2 working days ahead (every dossier still open then).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from dossiers.deadlines import add_working_minutes
from dossiers.deadlines import working_minutes_between as worked
from dossiers.models import Dossier, DossierEvent, DossierOutcome, DossierStatus
from ioc.lateness import Table
from ioc.services import (
    HOURS,
    BacklogIndex,
    history_samples,
    legs_by_dossier,
    model_table,
    score_rows,
    step_at,
    work_calendar,
)

LEAD_MINUTES = 2 * 450  # two working days of 7 h 30


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Flags:
    """One method's flags, scored against the late dossiers."""

    flagged: set[int]
    late: set[int]
    eligible: set[int]

    @property
    def recall_eligible(self) -> float | None:
        late = self.late & self.eligible
        return share(len(self.flagged & late), len(late))

    @property
    def recall(self) -> float | None:
        return share(len(self.flagged & self.late), len(self.late))

    @property
    def precision(self) -> float | None:
        return share(len(self.flagged & self.late), len(self.flagged))

    def line(self, name: str) -> str:
        return (
            f"{name}: recall {self.recall_eligible}% of eligible late, {self.recall}% of all "
            f"late; precision {self.precision}% (flagged {len(self.flagged)}, of which late "
            f"{len(self.flagged & self.late)})"
        )


@dataclass
class BacktestResult:
    dossiers: int
    eligible: int
    late: int
    eligible_late: int
    samples: int
    model: Flags
    reminder: Flags  # today's reminder, 1 working day ahead
    reminder2: Flags  # the same moved to 2 working days ahead
    peaks: dict[int, float] = field(default_factory=dict)

    def at(self, threshold: float) -> Flags:
        """The model's flags had the threshold been `threshold`."""
        flagged = {pk for pk, risk in self.peaks.items() if risk >= threshold}
        return Flags(flagged, self.model.late, self.model.eligible)

    @property
    def recall(self) -> float | None:
        return self.model.recall_eligible

    @property
    def precision(self) -> float | None:
        return self.model.precision

    def lines(self) -> list[str]:
        return [
            f"history samples: {self.samples}; dossiers due in window: {self.dossiers} "
            f"(eligible, allowed > 2 working days: {self.eligible}); late: {self.late} "
            f"(eligible: {self.eligible_late})",
            self.model.line("model, 2 working days ahead"),
            self.reminder.line("today's reminder, 1 working day ahead"),
            "today's reminder, 2 working days ahead (the measure above): flags none, recall 0 %"
            " (it fires 1 working day before the appointment)",
            self.reminder2.line("reminder moved to 2 working days ahead"),
        ]


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)


def precision_floor(flags: Flags, *, z: float = 1.28) -> float:
    """The precision (%) that the flags reach with 90 % confidence (Wilson's lower bound): a
    thin tuning window's lucky precision does not pass for the window measured."""
    n = len(flags.flagged)
    if not n:
        return 0.0
    p = len(flags.flagged & flags.late) / n
    centre = p + z * z / (2 * n)
    margin = z * ((p * (1 - p) + z * z / (4 * n)) / n) ** 0.5
    return 100 * (centre - margin) / (1 + z * z / n)


def choose_threshold_confident(result: BacktestResult, *, precision: float = 50.0) -> float:
    """The earlier rule, printed for comparison: the lowest threshold whose precision reaches
    `precision` with 90 % confidence (precision_floor), else the best F1."""
    for threshold in THRESHOLDS:
        flags = result.at(threshold)
        if flags.flagged and precision_floor(flags) >= precision:
            return threshold
    return choose_threshold(result, precision=101.0)


def choose_threshold(result: BacktestResult, *, precision: float = 50.0) -> float:
    """The threshold to use, chosen on a tuning window: among the thresholds whose precision
    there reaches `precision`, the one with the best F1 (recall and precision together; ties,
    i.e. the same flags there: the higher, as the window cannot tell them apart and precision
    is the constraint); if none reaches it, the best F1.

    The earlier rule (the lowest threshold whose precision reached 50 % with 90 % confidence,
    `precision_floor`) asked more evidence than a 110-day window holds (35-50 late dossiers):
    once the model flagged them well, only a thin high tail passed it (on the development seed
    103, 0.8: 24 flags, recall 46 %, while 0.5 had 77 % at 53 %). F1 weighs the recall given
    up, so a lucky tail of a few flags does not win."""

    def f1(threshold: float) -> float:
        flags = result.at(threshold)
        p, r = flags.precision or 0, flags.recall_eligible or 0
        return 2 * p * r / (p + r) if p + r else 0

    reaching = [
        threshold
        for threshold in THRESHOLDS
        if result.at(threshold).flagged and result.at(threshold).precision >= precision
    ]
    return max(reaching or THRESHOLDS, key=lambda t: (f1(t), t))


MOMENTS = (dt.time(10, 0),)


class DuesAsKnown:
    """The appointment and the legs' dues as they stood at a moment. A supplement asked during
    processing extends both when the citizen submits it (`open_leg_extend`); the rows hold the
    extended ones, so before that submission the earlier ones (in the events) are used: nothing
    after a moment scores it."""

    def __init__(self, window):
        self.extended: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
        events = DossierEvent.objects.filter(
            dossier__in=window.values("pk"),
            action__in=("submit_supplement", "start_processing", "hand_off"),
        ).order_by("at", "pk")
        self.leg_due: dict[tuple[int, dt.datetime], dt.datetime] = {}
        for pk, action, at, data in events.values_list("dossier_id", "action", "at", "data"):
            data = data or {}
            if action != "submit_supplement":
                if data.get("leg_due_at"):
                    self.leg_due[(pk, at)] = dt.datetime.fromisoformat(data["leg_due_at"])
            elif data.get("stage") == "processing" and data.get("previous_due_at"):
                previous = dt.datetime.fromisoformat(data["previous_due_at"])
                self.extended.setdefault(pk, []).append((at, previous))

    def at(
        self, pk: int, *, due: dt.datetime, legs: list, moment: dt.datetime
    ) -> tuple[dt.datetime, list]:
        later = [previous for at, previous in self.extended.get(pk, []) if at > moment]
        if not later:
            return due, legs
        # The appointment before the first extension after the moment; the legs begun by then
        # with the due they were given (a leg's due moves only with such an extension).
        legs = [(*leg[:4], self.leg_due.get((pk, leg[0]), leg[4])) for leg in legs]
        return later[0], legs


def backtest(
    *,
    as_of: dt.datetime,
    days: int = 60,
    threshold: float = 0.5,
    retrain_days: int = 0,
    moments: tuple[dt.time, ...] = MOMENTS,
    last_moment: bool = False,
) -> BacktestResult:
    """Train at `as_of` (and again every `retrain_days` when > 0, on the history up to then,
    as the nightly retraining would), score at each of `moments` of each working day of the
    window (live, the beat rescores every 15 minutes). With `last_moment`, each eligible dossier
    is also scored at the last quarter hour that is still 2 working days before its appointment
    (a moment at which the 15-minute beat scores it live)."""
    index = BacklogIndex()
    samples, typical = history_samples(until=as_of, backlog=index)
    table = model_table(samples, typical)
    prepared = Table(table)
    trained = as_of
    end = as_of + dt.timedelta(days=days)
    window = Dossier.objects.filter(
        received_at__isnull=False,
        received_at__lt=end,
        due_at__gte=as_of,
        due_at__lt=end,
    ).exclude(status__in=[DossierStatus.NOT_ACCEPTED, DossierStatus.WITHDRAWN])
    candidates = list(
        window.values_list(
            "pk",
            "procedure_id",
            "desk_id",
            "received_at",
            "due_at",
            "finished_at",
            "outcome",
            "status",
        )
    )
    legs = legs_by_dossier(window)
    supplements: dict[int, dt.datetime] = dict(  # the first asked during processing
        DossierEvent.objects.filter(
            action="request_supplement", from_status=DossierStatus.PROCESSING
        )
        .order_by("-at")
        .values_list("dossier_id", "at")
    )
    as_known = DuesAsKnown(window)
    calendar = work_calendar(as_of - dt.timedelta(days=400), end + dt.timedelta(days=120))
    late_ids = {
        c[0]
        for c in candidates
        if c[6] == DossierOutcome.LATE
        or (c[5] is None and c[7] != DossierStatus.STOPPED and c[4] < timezone.now())
        or (c[5] is not None and c[5] > c[4])
    }
    allowed = {
        c[0]: worked(start=c[3], end=c[4], hours=HOURS, calendar=calendar) for c in candidates
    }
    eligible = {pk for pk, minutes in allowed.items() if minutes > LEAD_MINUTES}
    last: dict[dt.date, list[tuple[dt.datetime, tuple]]] = {}
    if last_moment:
        for c in candidates:
            if c[0] not in eligible:
                continue
            limit = add_working_minutes(
                start=c[3], minutes=allowed[c[0]] - LEAD_MINUTES, hours=HOURS, calendar=calendar
            )
            limit = timezone.localtime(limit)
            limit = limit.replace(minute=limit.minute - limit.minute % 15, second=0, microsecond=0)
            if c[3] <= limit and as_of <= limit < end:
                last.setdefault(limit.date(), []).append((limit, c))
    peaks: dict[int, float] = {}  # highest risk at a moment 2 working days ahead or more
    reminder: set[int] = set()
    reminder2: set[int] = set()
    day = timezone.localtime(as_of).date()

    def row_at(pk: int, procedure_id: int, desk_id: int, received, due, own_legs, moment) -> tuple:
        """A dossier as score_rows takes it, as it was at the moment."""
        holder, since, due_leg = step_at(
            desk_id=desk_id, received=received, legs=own_legs, moment=moment
        )
        supplemented = pk in supplements and supplements[pk] <= moment
        return (
            pk,
            procedure_id,
            desk_id,
            supplemented,
            received,
            due,
            None,
            holder,
            since,
            due_leg,
        )

    def keep(scored: list[dict]) -> None:
        for item in scored:
            if item["risk"] > peaks.get(item["dossier_id"], -1.0):
                peaks[item["dossier_id"]] = item["risk"]

    while day < timezone.localtime(end).date():
        day += dt.timedelta(days=1)
        if not calendar.is_working_day(day):
            continue
        # The day's moments in time order: the fixed ones (every dossier in progress), then
        # each dossier's own last moment (that dossier only).
        events = [(timezone.make_aware(dt.datetime.combine(day, clock)), None) for clock in moments]
        events += last.get(day, [])
        events.sort(key=lambda event: (event[0], event[1] is not None))
        for moment, only in events:
            if retrain_days and moment - trained >= dt.timedelta(days=retrain_days):
                samples_now, typical = history_samples(until=moment, backlog=index)
                table, trained = model_table(samples_now, typical), moment
                prepared = Table(table)
            if only is not None:
                pk, procedure_id, desk_id, received, due, finished = only[:6]
                if finished is not None and finished <= moment:
                    continue
                due, own_legs = as_known.at(pk, due=due, legs=legs.get(pk, []), moment=moment)
                keep(
                    score_rows(
                        table=prepared,
                        rows=[row_at(pk, procedure_id, desk_id, received, due, own_legs, moment)],
                        now=moment,
                        backlog={desk_id: index.at(desk_id, moment)},
                        names=False,
                        calendar=calendar,
                    )
                )
                continue
            # The baselines are read at the day's first fixed moment only (as before).
            first = moment == timezone.make_aware(dt.datetime.combine(day, moments[0]))
            rows = []
            for pk, procedure_id, desk_id, received, due, finished, _outcome, _status in candidates:
                if received > moment or (finished is not None and finished <= moment):
                    continue
                due, own_legs = as_known.at(pk, due=due, legs=legs.get(pk, []), moment=moment)
                left = worked(start=moment, end=due, hours=HOURS, calendar=calendar)
                if first and 450 <= left < LEAD_MINUTES:
                    reminder.add(pk)  # the last working day that is still 1 day ahead
                if left < LEAD_MINUTES:
                    continue
                if first and left < LEAD_MINUTES + 450:
                    reminder2.add(pk)  # the last working day that is still 2 days ahead
                rows.append(row_at(pk, procedure_id, desk_id, received, due, own_legs, moment))
            backlog = index.all_at(moment)
            keep(score_rows(table=prepared, rows=rows, now=moment, backlog=backlog, names=False))
    return BacktestResult(
        dossiers=len(candidates),
        eligible=len(eligible),
        late=len(late_ids),
        eligible_late=len(late_ids & eligible),
        samples=len(samples),
        model=Flags({pk for pk, risk in peaks.items() if risk >= threshold}, late_ids, eligible),
        peaks=peaks,
        reminder=Flags(reminder, late_ids, eligible),
        reminder2=Flags(reminder2, late_ids, eligible),
    )
