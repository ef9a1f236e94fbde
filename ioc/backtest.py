"""Backtest of the lateness model (bench/lateness_backtest.py runs it; tests call it too).

Train on the history up to `as_of`; then, each working day at 10:00 of the following `days`
days, score the dossiers that were in progress at that moment as they were then (received,
not finished yet, supplement asked so far). A dossier counts as flagged when its risk reached
the threshold at least 2 working days before its appointment. Over the dossiers whose
appointment falls inside the window: recall = late dossiers flagged / late dossiers, precision
= flagged dossiers that did turn late / flagged dossiers. Two baselines: today's fixed reminder
(one working day ahead, so it flags nothing 2 working days ahead), and the same reminder moved
to 2 working days ahead for every dossier still open then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from dossiers.deadlines import working_minutes_between as worked
from dossiers.models import Dossier, DossierEvent, DossierOutcome, DossierStatus
from ioc.lateness import fit
from ioc.services import HOURS, history_samples, score_rows, work_calendar

LEAD_MINUTES = 2 * 450  # two working days of 7 h 30


@dataclass
class BacktestResult:
    dossiers: int
    late: int
    flagged: int
    flagged_late: int
    baseline2_flagged: int
    baseline2_flagged_late: int
    samples: int

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    @property
    def recall(self) -> float | None:
        return self._share(self.flagged_late, self.late)

    @property
    def precision(self) -> float | None:
        return self._share(self.flagged_late, self.flagged)

    def lines(self) -> list[str]:
        b_recall = self._share(self.baseline2_flagged_late, self.late)
        b_precision = self._share(self.baseline2_flagged_late, self.baseline2_flagged)
        return [
            f"history samples: {self.samples}; dossiers due in window: {self.dossiers}; "
            f"late: {self.late}",
            f"model: recall {self.recall}% precision {self.precision}% "
            f"(flagged {self.flagged}, of which late {self.flagged_late})",
            "baseline today's reminder (1 working day ahead): recall 0.0% precision n/a "
            "(it never fires 2 working days ahead)",
            f"baseline reminder moved to 2 working days ahead: recall {b_recall}% "
            f"precision {b_precision}%",
        ]


def backtest(
    *, as_of: dt.datetime, days: int = 60, threshold: float = 0.5, retrain_days: int = 0
) -> BacktestResult:
    """Train at `as_of` (and again every `retrain_days` when > 0, on the history up to then,
    as the nightly retraining would), score each working day of the window."""
    samples = history_samples(until=as_of)
    table = fit(samples)
    trained = as_of
    end = as_of + dt.timedelta(days=days)
    candidates = list(
        Dossier.objects.filter(
            received_at__lt=end,
            due_at__gte=as_of,
            due_at__lt=end,
        )
        .exclude(status__in=[DossierStatus.NOT_ACCEPTED, DossierStatus.WITHDRAWN])
        .values_list(
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
    supplements: dict[int, dt.datetime] = dict(
        DossierEvent.objects.filter(
            action="request_supplement", from_status=DossierStatus.PROCESSING
        ).values_list("dossier_id", "at")
    )
    calendar = work_calendar(as_of - dt.timedelta(days=120), end + dt.timedelta(days=120))
    late_ids = {
        c[0]
        for c in candidates
        if c[6] == DossierOutcome.LATE
        or (c[5] is None and c[7] != DossierStatus.STOPPED and c[4] < timezone.now())
        or (c[5] is not None and c[5] > c[4])
    }
    flagged: set[int] = set()
    baseline: set[int] = set()
    day = timezone.localtime(as_of).date()
    while day < timezone.localtime(end).date():
        day += dt.timedelta(days=1)
        if not calendar.is_working_day(day):
            continue
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
        if retrain_days and moment - trained >= dt.timedelta(days=retrain_days):
            table, trained = fit(history_samples(until=moment)), moment
        rows = []
        for pk, procedure_id, desk_id, received, due, finished, _outcome, _status in candidates:
            if received > moment or (finished is not None and finished <= moment):
                continue
            if worked(start=moment, end=due, hours=HOURS, calendar=calendar) < LEAD_MINUTES:
                continue
            supplemented = pk in supplements and supplements[pk] <= moment
            rows.append((pk, procedure_id, desk_id, supplemented, received, due, None))
            baseline_day = worked(start=moment, end=due, hours=HOURS, calendar=calendar)
            if baseline_day < LEAD_MINUTES + 450:
                baseline.add(pk)  # the last working day that is still 2 days ahead
        for item in score_rows(table=table, rows=rows, now=moment):
            if item["risk"] >= threshold:
                flagged.add(item["dossier_id"])
    return BacktestResult(
        dossiers=len(candidates),
        late=len(late_ids),
        flagged=len(flagged),
        flagged_late=len(flagged & late_ids),
        baseline2_flagged=len(baseline),
        baseline2_flagged_late=len(baseline & late_ids),
        samples=len(samples),
    )
