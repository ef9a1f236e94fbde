"""Writes of the operations centre: train the lateness model, score open dossiers, escalate."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from dossiers.calendar import calendar_load
from dossiers.deadlines import OfficeHours, WorkCalendar, add_working_minutes
from dossiers.deadlines import working_minutes_between as worked
from dossiers.models import Dossier, DossierLeg, DossierStatus
from dossiers.models.dossier import PENDING_STATUSES
from ioc.lateness import BUSY_FACTOR, Sample, Table, fit, predict
from ioc.models import (
    DeskEscalationSetting,
    DossierRisk,
    Escalation,
    EscalationLevel,
    LatenessModel,
)
from onestop.models import Agency, Desk
from outbox.services import outbox_publish
from stats.models import Notification, ReminderKind

ESCALATION_RAISED = "ioc.escalation_raised"
RESOLVED = (DossierStatus.RESOLVED, DossierStatus.RETURNED)
HISTORY_DAYS = 365
HOURS = OfficeHours()
WORKDAY_MINUTES = 450  # the office hours of one working day


def work_calendar(start: dt.datetime, end: dt.datetime) -> WorkCalendar:
    return calendar_load(start=start.date() - dt.timedelta(days=1), end=end.date())


class BacklogIndex:
    """Open dossiers per desk at any moment: received by then minus finished by then."""

    def __init__(self, *, until: dt.datetime | None = None):
        received: dict[int, list] = {}
        finished: dict[int, list] = {}
        queryset = Dossier.objects.filter(received_at__isnull=False)
        if until is not None:
            queryset = queryset.filter(received_at__lt=until)
        for desk_id, got, done in queryset.values_list("desk_id", "received_at", "finished_at"):
            received.setdefault(desk_id, []).append(got)
            if done is not None:
                finished.setdefault(desk_id, []).append(done)
        self.received = {k: sorted(v) for k, v in received.items()}
        self.finished = {k: sorted(v) for k, v in finished.items()}

    def at(self, desk_id: int, moment: dt.datetime) -> int:
        got = bisect_right(self.received.get(desk_id, []), moment)
        done = bisect_right(self.finished.get(desk_id, []), moment)
        return max(got - done, 0)

    def all_at(self, moment: dt.datetime) -> dict[int, int]:
        return {desk_id: self.at(desk_id, moment) for desk_id in self.received}


def typical_backlogs(table: dict) -> dict[int, float]:
    """The usual open dossiers per desk the model learnt ("typical:<desk>" entries)."""
    return {
        int(key.split(":")[1]): values[0]
        for key, values in table.items()
        if key.startswith("typical:") and values
    }


Leg = tuple  # (started_at, finished_at, to_agency_id, to_desk_id, due_at), in slip order


def legs_by_dossier(queryset) -> dict[int, list[Leg]]:
    """The hand-offs (Mẫu 05 legs) of the dossiers `queryset` selects, in order."""
    legs: dict[int, list[Leg]] = {}
    rows = (
        DossierLeg.objects.filter(dossier__in=queryset.values("pk"))
        .order_by("dossier_id", "position")
        .values_list(
            "dossier_id", "started_at", "finished_at", "to_agency_id", "to_desk_id", "due_at"
        )
    )
    for dossier_id, started, finished, agency_id, desk_id, due in rows.iterator(chunk_size=5000):
        legs.setdefault(dossier_id, []).append((started, finished, agency_id, desk_id, due))
    return legs


def leg_due(leg: Leg) -> dt.datetime | None:
    """The due moment of an agency's leg (None for a leg back at a desk or without one)."""
    due = leg[4] if len(leg) > 4 else None
    return due if leg[2] and due is not None and due > leg[0] else None


def leg_clock(
    *, start: dt.datetime, due: dt.datetime, moment: dt.datetime, calendar: WorkCalendar
) -> float:
    """The share of a leg's own working time (start → its due) spent at `moment`."""
    allowed = worked(start=start, end=due, hours=HOURS, calendar=calendar)
    if allowed <= 0:
        return 1.0 if moment >= due else 0.0
    return worked(start=start, end=max(moment, start), hours=HOURS, calendar=calendar) / allowed


def leg_holder(leg: Leg, desk_id: int) -> str:
    return f"a{leg[2]}" if leg[2] else f"d{leg[3] or desk_id}"


def step_at(
    *, desk_id: int, received: dt.datetime, legs: list[Leg], moment: dt.datetime
) -> tuple[str, dt.datetime, dt.datetime | None]:
    """Who holds the dossier at `moment`, since when and the step's due on the control slip
    (an agency's leg only): the last leg begun by then, else the reception (which, for a
    dossier never handed off, lasts until the result)."""
    current = None
    for leg in legs:
        if leg[0] <= moment:
            current = leg
    if current is None:
        return f"r{desk_id}", received, None
    return leg_holder(current, desk_id), current[0], leg_due(current)


def steps_of(
    *, desk_id: int, received: dt.datetime, legs: list[Leg], end: dt.datetime
) -> list[tuple[str, dt.datetime, dt.datetime, dt.datetime | None]]:
    """(holder, start, stop, leg due) of each step of a finished dossier."""
    if not legs:
        return [(f"r{desk_id}", received, end, None)]
    out = [(f"r{desk_id}", received, min(legs[0][0], end), None)]
    for leg in legs:
        out.append((leg_holder(leg, desk_id), leg[0], min(leg[1] or end, end), leg_due(leg)))
    return out


def history_samples(
    *, until: dt.datetime, backlog: BacklogIndex | None = None
) -> tuple[list[Sample], dict[int, float]]:
    """One sample per step of each dossier finished before `until` (last year), oldest first,
    with whether its desk had a backlog when the step began; and each desk's usual backlog (the
    mean of the open dossiers its dossiers met on arrival)."""
    queryset = Dossier.objects.filter(
        status__in=RESOLVED,
        received_at__isnull=False,
        due_at__isnull=False,
        finished_at__lt=until,
        finished_at__gte=until - dt.timedelta(days=HISTORY_DAYS),
    )
    rows = list(
        queryset.order_by("finished_at", "pk").values_list(
            "pk",
            "procedure_id",
            "desk_id",
            "supplement_requested_in_processing",
            "received_at",
            "due_at",
            "finished_at",
        )
    )
    if not rows:
        return [], {}
    legs = legs_by_dossier(queryset)
    backlog = backlog or BacklogIndex(until=until)
    per_desk: dict[int, list[int]] = {}
    for row in rows:
        per_desk.setdefault(row[2], []).append(backlog.at(row[2], row[4]))
    typical = {desk: sum(v) / len(v) for desk, v in per_desk.items()}
    calendar = work_calendar(min(r[4] for r in rows), max(max(r[5], r[6]) for r in rows))
    samples = []
    for pk, procedure_id, desk_id, supplemented, received, due, finished in rows:
        allowed = worked(start=received, end=due, hours=HOURS, calendar=calendar)
        if allowed <= 0:
            continue
        total = worked(start=received, end=finished, hours=HOURS, calendar=calendar)
        for holder, start, stop, due_leg in steps_of(
            desk_id=desk_id, received=received, legs=legs.get(pk, []), end=finished
        ):
            before = (
                0
                if start <= received
                else worked(start=received, end=start, hours=HOURS, calendar=calendar)
            )
            upto = (
                total
                if stop >= finished
                else worked(start=received, end=stop, hours=HOURS, calendar=calendar)
            )
            share = before / allowed
            rest = (total - before) / allowed
            if finished > due:  # late even inside the same office minute
                rest = max(rest, 1.0001 - share)
            busy = backlog.at(desk_id, start) > BUSY_FACTOR * typical[desk_id]
            samples.append(
                Sample(
                    procedure_id=procedure_id,
                    desk_id=desk_id,
                    holder=holder,
                    supplemented=bool(supplemented),
                    spent=max(upto - before, 0) / allowed,
                    rest=rest,
                    busy=busy,
                    start=share,
                    leg=None
                    if due_leg is None
                    else leg_clock(start=start, due=due_leg, moment=stop, calendar=calendar),
                )
            )
    return samples, typical


def model_table(samples: list[Sample], typical: dict[int, float]) -> dict:
    """The fitted steps plus each desk's usual backlog, as one JSON-able table."""
    table: dict = fit(samples)
    for desk_id, value in typical.items():
        table[f"typical:{desk_id}"] = [round(value, 2)]
    return table


@transaction.atomic
def lateness_train(*, now: dt.datetime, until: dt.datetime | None = None) -> LatenessModel:
    """Learn from the history up to `until` (default now) and keep it as the current model."""
    until = until or now
    samples, typical = history_samples(until=until)
    return LatenessModel.objects.create(
        trained_at=now,
        history_until=until,
        samples=len(samples),
        table=model_table(samples, typical),
    )


def lateness_model_current() -> LatenessModel | None:
    return LatenessModel.objects.order_by("-trained_at", "-id").first()


def _open_dossiers(*, now: dt.datetime):
    """Dossiers with the administration at `now` (received before it, not finished then)."""
    return Dossier.objects.filter(
        received_at__lte=now, due_at__isnull=False, status__in=PENDING_STATUSES
    )


def holder_names(holders: set[str]) -> dict[str, str]:
    """Agency and desk names for the reasons (no person is named)."""
    agencies = {int(h[1:]) for h in holders if h.startswith("a")}
    desks = {int(h[1:]) for h in holders if h[0] in "dr"}
    names = {
        f"a{pk}": name
        for pk, name in Agency.objects.filter(pk__in=agencies).values_list("pk", "name")
    }
    for pk, name in Desk.objects.filter(pk__in=desks).values_list("pk", "name"):
        names[f"d{pk}"] = names[f"r{pk}"] = name
    return names


def score_rows(
    *,
    table: dict,
    rows: list[tuple],
    now: dt.datetime,
    backlog: dict[int, int] | None = None,
    names: bool = True,
    calendar: WorkCalendar | None = None,
) -> list[dict]:
    """Predictions for (id, procedure, desk, supplemented, received, due, paused_at, holder,
    step start[, the step's leg due]) rows."""
    if not rows:
        return []
    backlog = backlog or {}
    calendar = calendar or work_calendar(
        min(r[4] for r in rows), max(max(r[5], now) for r in rows) + dt.timedelta(days=90)
    )
    prepared = table if isinstance(table, Table) else Table(table)
    usual = typical_backlogs(prepared.raw)
    named = holder_names({r[7] for r in rows}) if names else {}
    out = []
    for row in rows:
        pk, procedure_id, desk_id, supplemented, received, due, paused_at, holder, since = row[:9]
        due_leg = row[9] if len(row) > 9 else None
        allowed = worked(start=received, end=due, hours=HOURS, calendar=calendar)
        clock = min(now, paused_at) if paused_at else now
        used = worked(start=received, end=clock, hours=HOURS, calendar=calendar)
        fraction = used / allowed if allowed > 0 else (1.0 if clock >= due else 0.0)
        if allowed > 0 and since > received:
            start = worked(start=received, end=min(since, clock), hours=HOURS, calendar=calendar)
            start /= allowed
        else:
            start = 0.0
        desk_backlog = backlog.get(desk_id, 0)
        typical = usual.get(desk_id, 0.0)
        busy = bool(typical) and desk_backlog > BUSY_FACTOR * typical
        prediction = predict(
            prepared,
            procedure_id=procedure_id,
            desk_id=desk_id,
            holder=holder,
            supplemented=bool(supplemented),
            start=start,
            fraction=fraction,
            busy=busy,
            leg=None
            if due_leg is None
            else leg_clock(start=since, due=due_leg, moment=clock, calendar=calendar),
        )
        finish = add_working_minutes(
            start=max(clock, received),
            minutes=int(prediction.remaining_fraction * allowed),
            hours=HOURS,
            calendar=calendar,
        )
        reasons = [{"code": "overdue"}] if fraction >= 1.0 else []
        reasons.append(
            {
                "code": "similar",
                "key": prediction.key.split(":")[0],
                "late": prediction.late_similar,
                "of": prediction.similar,
            }
        )
        in_step = fraction - start
        # On the leg's clock, the step's usual time is in shares of the leg's own time.
        unit = allowed
        if due_leg is not None:
            in_step = leg_clock(start=since, due=due_leg, moment=clock, calendar=calendar)
            unit = worked(start=since, end=due_leg, hours=HOURS, calendar=calendar)
        if prediction.step_long is not None and in_step > prediction.step_long:
            reasons.append(
                {
                    "code": "step",
                    "holder": named.get(holder, ""),
                    "days": round(in_step * unit / WORKDAY_MINUTES, 1),
                    "usual": round(prediction.step_usual * unit / WORKDAY_MINUTES, 1),
                }
            )
        reasons.append({"code": "elapsed", "percent": round(fraction * 100)})
        if supplemented:
            reasons.append({"code": "supplement"})
        if busy:
            reasons.append({"code": "backlog", "count": desk_backlog, "typical": round(typical)})
        if now < due:
            days = (timezone.localtime(due).date() - timezone.localtime(now).date()).days
            off = sum(
                1
                for i in range(1, days + 1)
                if not calendar.is_working_day(timezone.localtime(now).date() + dt.timedelta(i))
            )
            if off:
                reasons.append({"code": "days_off", "count": off})
        out.append(
            {
                "dossier_id": pk,
                "desk_id": desk_id,
                "risk": round(prediction.risk, 4),
                "estimated_finish": finish,
                "reasons": reasons,
            }
        )
    return out


ROW_FIELDS = (
    "pk",
    "procedure_id",
    "desk_id",
    "supplement_requested_in_processing",
    "received_at",
    "due_at",
    "paused_at",
)


@transaction.atomic
def lateness_score(*, now: dt.datetime, model: LatenessModel | None = None) -> int:
    """Score every dossier in progress with the current model; drop risks of closed ones."""
    model = model or lateness_model_current()
    if model is None:
        return 0
    queryset = _open_dossiers(now=now)
    legs = legs_by_dossier(queryset)
    rows = []
    for row in queryset.values_list(*ROW_FIELDS):
        holder, since, due_leg = step_at(
            desk_id=row[2], received=row[4], legs=legs.get(row[0], []), moment=now
        )
        rows.append((*row, holder, since, due_leg))
    backlog = dict(queryset.values("desk_id").annotate(n=Count("pk")).values_list("desk_id", "n"))
    scored = score_rows(table=model.table, rows=rows, now=now, backlog=backlog)
    DossierRisk.objects.exclude(dossier_id__in=[s["dossier_id"] for s in scored]).delete()
    existing = dict(DossierRisk.objects.values_list("dossier_id", "pk"))
    create, update = [], []
    for item in scored:
        risk = DossierRisk(scored_at=now, **item)
        if item["dossier_id"] in existing:
            risk.pk = existing[item["dossier_id"]]
            update.append(risk)
        else:
            create.append(risk)
    DossierRisk.objects.bulk_create(create, batch_size=500)
    DossierRisk.objects.bulk_update(
        update, ["desk_id", "risk", "estimated_finish", "reasons", "scored_at"], batch_size=500
    )
    return len(scored)


def _raise(*, dossier_id: int, level: str, risk: float, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            escalation = Escalation.objects.create(
                dossier_id=dossier_id, level=level, risk=risk, raised_at=now
            )
            outbox_publish(
                event=ESCALATION_RAISED,
                payload={"escalation_id": escalation.pk},
                key=f"escalation:{escalation.pk}",
                now=now,
            )
    except IntegrityError:
        return False  # raised already at this level: once per dossier and level
    return True


def escalation_scan(*, now: dt.datetime) -> int:
    """Escalate risky dossiers before they are late: the desk head first, then (after
    IOC_LEADER_AFTER_HOURS still at risk) the unit's leader. Returns how many were raised."""
    raised = 0
    thresholds = dict(DeskEscalationSetting.objects.values_list("desk_id", "threshold"))
    leader_after = dt.timedelta(hours=settings.IOC_LEADER_AFTER_HOURS)
    risks = DossierRisk.objects.filter(
        dossier__status__in=PENDING_STATUSES, dossier__due_at__gt=now
    ).values_list("dossier_id", "desk_id", "risk", "dossier__current_desk_id")
    with_head = set(
        User.objects.filter(role=Role.DESK_HEAD, is_active=True, desk__isnull=False).values_list(
            "desk_id", flat=True
        )
    )
    head_raised = dict(
        Escalation.objects.filter(level=EscalationLevel.DESK_HEAD).values_list(
            "dossier_id", "raised_at"
        )
    )
    for dossier_id, desk_id, risk, holding_desk_id in risks:
        if risk < thresholds.get(desk_id, settings.IOC_ESCALATION_THRESHOLD):
            continue
        if (holding_desk_id or desk_id) not in with_head:
            # No desk head to tell: the unit's leader is told straight away.
            raised += _raise(
                dossier_id=dossier_id, level=EscalationLevel.UNIT_LEADER, risk=risk, now=now
            )
        elif dossier_id not in head_raised:
            raised += _raise(
                dossier_id=dossier_id, level=EscalationLevel.DESK_HEAD, risk=risk, now=now
            )
        elif head_raised[dossier_id] <= now - leader_after:
            raised += _raise(
                dossier_id=dossier_id, level=EscalationLevel.UNIT_LEADER, risk=risk, now=now
            )
    return raised


def _escalation_recipients(escalation: Escalation) -> list[User]:
    dossier = escalation.dossier
    desk = dossier.current_desk or dossier.desk
    if escalation.level == EscalationLevel.DESK_HEAD:
        who = Q(role=Role.DESK_HEAD, desk_id=desk.pk)
    else:
        who = Q(role=Role.LEADER, unit_id=desk.unit_id)
    return list(User.objects.filter(who, is_active=True).order_by("pk"))


def escalation_notify_handler(payload: dict) -> str | None:
    """Outbox handler: notify the escalation's recipients once, with the link to act."""
    with transaction.atomic():
        escalation = (
            Escalation.objects.select_for_update(of=("self",))
            .select_related("dossier__desk", "dossier__current_desk")
            .filter(pk=payload["escalation_id"])
            .first()
        )
        if escalation is None or escalation.notified_at is not None:
            return "skipped"
        dossier = escalation.dossier
        recipients = _escalation_recipients(escalation)
        link = (
            reverse("dossiers:desk_detail", kwargs={"code": dossier.code}) if dossier.code else ""
        )
        title = _("Hồ sơ %(code)s có nguy cơ trễ hạn (%(risk)s%%)") % {
            "code": dossier.code or dossier.pk,
            "risk": round(escalation.risk * 100),
        }
        body = _(
            "Dự báo hồ sơ khó kịp hẹn trả %(due)s. Xem và xử lý (điều chuyển, xin lỗi sớm): "
            "%(link)s"
        ) % {"due": f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}", "link": link}
        now = timezone.now()
        Notification.objects.bulk_create(
            Notification(
                recipient=user,
                dossier=dossier,
                kind=ReminderKind.ESCALATION,
                title=title,
                body=body,
                created_at=now,
            )
            for user in recipients
        )
        messages = [
            EmailMessage(title, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            for user in recipients
            if user.email
        ]
        if messages:
            get_connection().send_messages(messages)
        escalation.recipients.set(recipients)
        escalation.notified_at = now
        escalation.save(update_fields=["notified_at"])
    return f"notified {len(recipients)}"
