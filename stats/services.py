"""Statistics and reminder writes: rollup rebuild/refresh, reminders, staff notifications."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from accounts.sms import send_sms
from dossiers.models import Dossier, DossierEvent, DossierStatus, SatisfactionRating
from dossiers.models.dossier import PENDING_STATUSES
from onestop.models import AdministrativeUnit, Desk
from outbox.services import outbox_publish
from stats.cache import stats_changed
from stats.models import (
    STAT_FIELDS,
    DailyDeskProcedureStat,
    DailyDeskStat,
    MonthlyDeskProcedureStat,
    MonthlyDeskStat,
    MonthlyUnitProcedureStat,
    Notification,
    ReminderKind,
    ReminderLog,
)
from stats.selectors import stats_rollup_cells_raw

logger = logging.getLogger(__name__)

DOSSIER_OVERDUE = "dossier.overdue"

_ADVISORY_LOCK_NAMESPACE = 7705  # "stats" rollup locks, one per desk


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _lock_desk_rollup(desk_id: int | None) -> None:
    """Serialise rollup writes for one desk (or all desks) on PostgreSQL until commit."""
    if connection.vendor != "postgresql":
        return  # SQLite serialises writers anyway.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [_ADVISORY_LOCK_NAMESPACE, desk_id or 0]
        )


_INSERT_BATCH = 500


def _insert_rows(model: type, columns: list[str], rows: Iterable[tuple]) -> None:
    """Multi-row INSERTs without model instances: rollups are written by the hundred thousand."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    iterator = iter(rows)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(iterator, _INSERT_BATCH)):
            params = [value for row in batch for value in row]
            cursor.execute(head + ", ".join([one] * len(batch)), params)


@transaction.atomic
def rollup_rebuild(
    *,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
    desk_id: int | None = None,
    procedure_id: int | None = None,
) -> int:
    """Recompute the rollups for local days [date_from, date_to], optionally for one desk (and
    procedure), from the raw rows. Idempotent; returns the number of desk × procedure × day rows."""
    _lock_desk_rollup(desk_id)
    stats_changed()
    cells = stats_rollup_cells_raw(
        date_from=date_from, date_to=date_to, now=now, desk_id=desk_id, procedure_id=procedure_id
    )
    _delete_rows(DailyDeskProcedureStat, _range("day", date_from, date_to, desk_id, procedure_id))
    stamp = connection.ops.adapt_datetimefield_value(now)
    _insert_rows(
        DailyDeskProcedureStat,
        ["desk_id", "procedure_id", "day", "refreshed_at", *STAT_FIELDS],
        (
            (
                desk,
                procedure,
                connection.ops.adapt_datefield_value(day),
                stamp,
                *(counts[field] for field in STAT_FIELDS),
            )
            for (desk, procedure, day), counts in cells.items()
            if any(counts.values())
        ),
    )
    _desk_procedure_month_rebuild(
        date_from=date_from, date_to=date_to, desk_id=desk_id, procedure_id=procedure_id, now=now
    )
    _desk_day_rebuild(date_from=date_from, date_to=date_to, desk_id=desk_id, now=now)
    return len(cells)


# The rollups' own rebuilds are written out: they run after every reception, and building their
# querysets cost more Python than the statements cost the database. A range of rows, as a
# condition and its parameters.
Range = tuple[str, list]


def _range(
    column: str,
    first: dt.date,
    last: dt.date,
    desk_id: int | None = None,
    procedure_id: int | None = None,
) -> Range:
    """Rows whose `column` (a date) lies in [first, last], of one desk and procedure when given."""
    q, adapt = connection.ops.quote_name, connection.ops.adapt_datefield_value
    conditions, params = [f"{q(column)} >= %s", f"{q(column)} <= %s"], [adapt(first), adapt(last)]
    for name, value in (("desk_id", desk_id), ("procedure_id", procedure_id)):
        if value is not None:
            conditions.append(f"{q(name)} = %s")
            params.append(value)
    return " AND ".join(conditions), params


def _delete_rows(model: type, rows: Range) -> None:
    condition, params = rows
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {condition}",
            params,
        )


def _insert_sums(
    target: type, *, keys: list[str], constants: dict[str, object], source: type, rows: Range
) -> None:
    """INSERT INTO target the counters of `source`'s rows in `rows` summed per `keys`, with
    `constants` (a month, the refresh time) in their own columns."""
    q = connection.ops.quote_name
    condition, params = rows
    columns = ", ".join(map(q, [*keys, *constants, *STAT_FIELDS]))
    selected = ", ".join(
        [*map(q, keys), *["%s"] * len(constants), *(f"SUM({q(f)})" for f in STAT_FIELDS)]
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {q(target._meta.db_table)} ({columns}) SELECT {selected} "
            f"FROM {q(source._meta.db_table)} WHERE {condition} GROUP BY {', '.join(map(q, keys))}",
            [*constants.values(), *params],
        )


def _months(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of each month from `first`'s to `last`'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        following = (month + dt.timedelta(days=32)).replace(day=1)
        months.append((month, following - dt.timedelta(days=1)))
        month = following
    return months


def _sum_by_month(
    target: type,
    source: type,
    *,
    keys: list[str],
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime,
    desk_id: int | None,
    procedure_id: int | None = None,
) -> None:
    """Replace `target`'s months touching [date_from, date_to] by the sums of `source`'s days."""
    months = _months(date_from, date_to)
    if not months:
        return
    _delete_rows(target, _range("month", months[0][0], months[-1][0], desk_id, procedure_id))
    stamp = connection.ops.adapt_datetimefield_value(now)
    for month, last_day in months:
        _insert_sums(
            target,
            keys=keys,
            constants={"month": connection.ops.adapt_datefield_value(month), "refreshed_at": stamp},
            source=source,
            rows=_range("day", month, last_day, desk_id, procedure_id),
        )


def _desk_day_rebuild(
    *, date_from: dt.date, date_to: dt.date, desk_id: int | None, now: dt.datetime
) -> None:
    """DailyDeskStat = the sum over procedures of DailyDeskProcedureStat, for the same days;
    MonthlyDeskStat = the sum of DailyDeskStat over each month touching them."""
    days = _range("day", date_from, date_to, desk_id)
    _delete_rows(DailyDeskStat, days)
    _insert_sums(
        DailyDeskStat,
        keys=["desk_id", "day"],
        constants={"refreshed_at": connection.ops.adapt_datetimefield_value(now)},
        source=DailyDeskProcedureStat,
        rows=days,
    )
    _sum_by_month(
        MonthlyDeskStat,
        DailyDeskStat,
        keys=["desk_id"],
        date_from=date_from,
        date_to=date_to,
        now=now,
        desk_id=desk_id,
    )


def _desk_procedure_month_rebuild(
    *,
    date_from: dt.date,
    date_to: dt.date,
    desk_id: int | None,
    procedure_id: int | None,
    now: dt.datetime,
) -> None:
    """MonthlyDeskProcedureStat = the sum of DailyDeskProcedureStat over each month touching
    [date_from, date_to] (for one desk and procedure when given), then the units' months."""
    _sum_by_month(
        MonthlyDeskProcedureStat,
        DailyDeskProcedureStat,
        keys=["desk_id", "procedure_id"],
        date_from=date_from,
        date_to=date_to,
        now=now,
        desk_id=desk_id,
        procedure_id=procedure_id,
    )
    _unit_procedure_month_rebuild(
        first=date_from.replace(day=1),
        last_month=date_to.replace(day=1),
        desk_id=desk_id,
        procedure_id=procedure_id,
        now=now,
    )


def _unit_procedure_month_rebuild(
    *,
    first: dt.date,
    last_month: dt.date,
    desk_id: int | None,
    procedure_id: int | None,
    now: dt.datetime,
) -> None:
    """MonthlyUnitProcedureStat for the months [first, last_month]: for each unit above the
    desk (its commune, district, province; every unit when no desk is given), the sum of its
    subtree's desk × procedure months, all units in one DELETE and one INSERT … SELECT. A unit's
    subtree is the same path or a path below it (the rule of AdministrativeUnit.subtree_q)."""
    q = connection.ops.quote_name
    unit, desk = q(AdministrativeUnit._meta.db_table), q(Desk._meta.db_table)
    fine = q(MonthlyDeskProcedureStat._meta.db_table)
    coarse = q(MonthlyUnitProcedureStat._meta.db_table)
    path, pk, month, procedure = q("path"), q("id"), q("month"), q("procedure_id")

    def under(inner: str, outer: str) -> str:
        return f"({inner}.{path} = {outer}.{path} OR {inner}.{path} LIKE ({outer}.{path} || '/%%'))"

    def where(month_column: str, unit_column: str, procedure_column: str) -> str:
        conditions = [f"{month_column} >= %s", f"{month_column} <= %s"]
        if desk_id is not None:
            conditions.append(
                f"{unit_column} IN (SELECT above.{pk} FROM {unit} above, {desk} desk "
                f"JOIN {unit} desk_unit ON desk.{q('unit_id')} = desk_unit.{pk} "
                f"WHERE desk.{pk} = %s AND {under('desk_unit', 'above')})"
            )
        if procedure_id is not None:
            conditions.append(f"{procedure_column} = %s")
        return " AND ".join(conditions)

    params = [connection.ops.adapt_datefield_value(day) for day in (first, last_month)]
    params += [value for value in (desk_id, procedure_id) if value is not None]
    columns = ", ".join(map(q, ["procedure_id", "month", "unit_id", "refreshed_at", *STAT_FIELDS]))
    sums = ", ".join(f"SUM(fine.{q(name)})" for name in STAT_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {coarse} WHERE {where(month, q('unit_id'), procedure)}", params
        )
        cursor.execute(
            f"INSERT INTO {coarse} ({columns}) "
            f"SELECT fine.{procedure}, fine.{month}, unit.{pk}, %s, {sums} FROM {fine} fine "
            f"JOIN {desk} desk ON fine.{q('desk_id')} = desk.{pk} "
            f"JOIN {unit} desk_unit ON desk.{q('unit_id')} = desk_unit.{pk} "
            f"JOIN {unit} unit ON {under('desk_unit', 'unit')} "
            f"WHERE {where(f'fine.{month}', f'unit.{pk}', f'fine.{procedure}')} "
            f"GROUP BY fine.{procedure}, fine.{month}, unit.{pk}",
            [connection.ops.adapt_datetimefield_value(now), *params],
        )


def _dossier_spans(dossier_ids: list[int]) -> dict[int, tuple[int, int, dt.date, dt.date]]:
    """For each dossier that has a day in the statistics: its desk, procedure, first and last
    local day (reception, supplement requests, finish, return, rating). Three queries for all."""
    dossiers = Dossier.objects.filter(pk__in=dossier_ids).values(
        "pk", "desk_id", "procedure_id", "received_at", "finished_at", "returned_at"
    )
    moments: dict[int, list[dt.datetime]] = {}
    for row in dossiers:
        moments[row["pk"]] = [row[key] for key in ("received_at", "finished_at", "returned_at")]
    cells = {row["pk"]: (row["desk_id"], row["procedure_id"]) for row in dossiers}
    extra = itertools.chain(
        DossierEvent.objects.filter(
            dossier_id__in=dossier_ids, to_status=DossierStatus.SUPPLEMENT_REQUESTED
        ).values_list("dossier_id", "at"),
        SatisfactionRating.objects.filter(dossier_id__in=dossier_ids).values_list(
            "dossier_id", "created_at"
        ),
    )
    for dossier_id, moment in extra:
        moments.setdefault(dossier_id, []).append(moment)
    spans = {}
    for dossier_id, found in moments.items():
        days = [_local_day(moment) for moment in found if moment is not None]
        if days and dossier_id in cells:
            spans[dossier_id] = (*cells[dossier_id], min(days), max(days))
    return spans


def _merged(spans: Iterable[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Overlapping or adjacent day ranges merged: [(1, 3), (2, 5), (9, 9)] -> [(1, 5), (9, 9)]."""
    merged: list[list[dt.date]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(first, last) for first, last in merged]


def rollup_refresh_dossiers(*, dossier_ids: Iterable[int], now: dt.datetime) -> int:
    """Recompute the rollup cells these dossiers count in: for each desk × procedure, the days
    from each dossier's reception day to its latest day, overlapping ranges rebuilt once (a
    burst of receptions at one desk on one day is one rebuild of that day). Returns the number
    of rebuilds; dossiers without a day yet have nothing to rebuild."""
    by_cell: dict[tuple[int, int], list[tuple[dt.date, dt.date]]] = {}
    for desk_id, procedure_id, first, last in _dossier_spans(list(set(dossier_ids))).values():
        by_cell.setdefault((desk_id, procedure_id), []).append((first, last))
    rebuilds = 0
    for (desk_id, procedure_id), spans in sorted(by_cell.items()):
        for first, last in _merged(spans):
            rollup_rebuild(
                date_from=first, date_to=last, now=now, desk_id=desk_id, procedure_id=procedure_id
            )
            rebuilds += 1
    return rebuilds


def rollup_refresh_dossier(*, dossier_id: int, now: dt.datetime) -> bool:
    """Recompute the rollup cells one dossier counts in (its desk and procedure, from its
    reception day to its latest day). Returns False when the dossier has no day yet."""
    return rollup_refresh_dossiers(dossier_ids=[dossier_id], now=now) > 0


def _reminder_recipients(dossier: Dossier) -> list[User]:
    """The clerk or specialist who last acted on the dossier (else the desk's clerks) and the
    desk heads of the desk that holds it."""
    desk_id = dossier.current_desk_id or dossier.desk_id
    handler_id = (
        DossierEvent.objects.filter(
            dossier_id=dossier.pk, actor__role__in=[Role.CLERK, Role.SPECIALIST]
        )
        .order_by("-at", "-id")
        .values_list("actor_id", flat=True)
        .first()
    )
    who = Q(role=Role.DESK_HEAD, desk_id=desk_id)
    who |= Q(pk=handler_id) if handler_id else Q(role=Role.CLERK, desk_id=desk_id)
    return list(User.objects.filter(who, is_active=True).order_by("pk"))


_TITLES = {
    ReminderKind.DUE_SOON: gettext_lazy("Hồ sơ %(code)s sắp đến hạn trả kết quả (%(due)s)"),
    ReminderKind.DUE_TODAY: gettext_lazy("Hồ sơ %(code)s đến hạn trả kết quả hôm nay (%(due)s)"),
    ReminderKind.OVERDUE: gettext_lazy("Hồ sơ %(code)s đã quá hạn trả kết quả (%(due)s)"),
}


def _format_moment(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M %d/%m/%Y}"


def _kind_applies(*, kind: str, due_at: dt.datetime, now: dt.datetime) -> bool:
    if kind == ReminderKind.OVERDUE:
        return due_at < now
    return due_at >= now


def reminder_send(*, dossier_id: int, kind: str, due_at: dt.datetime, now: dt.datetime) -> bool:
    """Send one staff reminder (in-app notifications and email) unless it was already sent for
    this dossier, kind and appointment, or no longer applies. Returns True when sent now."""
    with transaction.atomic():
        dossier = Dossier.objects.select_related("procedure", "desk").filter(pk=dossier_id).first()
        if (
            dossier is None
            or dossier.status not in PENDING_STATUSES
            or dossier.due_at != due_at
            or not _kind_applies(kind=kind, due_at=due_at, now=now)
        ):
            return False
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(
                    dossier=dossier, kind=kind, due_at=due_at, sent_at=now
                )
        except IntegrityError:
            return False  # Sent already (a retried task or a second scan).
        recipients = _reminder_recipients(dossier)
        due = _format_moment(due_at)
        title = str(_TITLES[kind]) % {"code": dossier.code or dossier.pk, "due": due}
        context = {
            "dossier": dossier,
            "kind": kind,
            "title": title,
            "due": _format_moment(due_at),
            "is_overdue": kind == ReminderKind.OVERDUE,
        }
        body = render_to_string("stats/emails/deadline_reminder.txt", context).strip()
        Notification.objects.bulk_create(
            Notification(
                recipient=user, dossier=dossier, kind=kind, title=title, body=body, created_at=now
            )
            for user in recipients
        )
        messages = []
        for user in recipients:
            if user.email:
                messages.append(_email("deadline_reminder", {**context, "user": user}, user.email))
        if messages:
            get_connection().send_messages(messages)
        log.recipients = len(recipients)
        log.save(update_fields=["recipients"])
        if kind == ReminderKind.OVERDUE:
            # Turned overdue: tell the applicant, and move the dossier to pending_overdue in
            # the rollup (no transition happened, so nothing else would).
            outbox_publish(
                event=DOSSIER_OVERDUE,
                payload={"dossier_id": dossier_id, "due_at": due_at.isoformat()},
                key=f"dossier-overdue:{dossier_id}:{due_at.isoformat()}",
                now=now,
            )
    return True


def _email(template: str, context: dict, to: str) -> EmailMultiAlternatives:
    base = f"stats/emails/{template}"
    subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{base}.txt", context), settings.DEFAULT_FROM_EMAIL, [to]
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    return message


def citizen_overdue_notify(*, dossier_id: int, due_at: dt.datetime, now: dt.datetime) -> bool:
    """Tell the applicant (email and SMS) once that their dossier is overdue, with the apology
    and new appointment (Mẫu 04) when one was issued. Returns True when sent now."""
    with transaction.atomic():
        dossier = (
            Dossier.objects.select_related("procedure", "applicant", "apology_agency")
            .filter(pk=dossier_id)
            .first()
        )
        if dossier is None or dossier.due_at != due_at or due_at >= now:
            return False
        try:
            with transaction.atomic():
                ReminderLog.objects.create(
                    dossier=dossier,
                    kind=ReminderKind.CITIZEN_OVERDUE,
                    due_at=due_at,
                    sent_at=now,
                    recipients=1,
                )
        except IntegrityError:
            return False
        email = dossier.applicant_email or (dossier.applicant.email if dossier.applicant else "")
        phone = dossier.applicant_phone or (dossier.applicant.phone if dossier.applicant else "")
        context = {
            "dossier": dossier,
            "due": _format_moment(due_at),
            "new_due": (
                _format_moment(dossier.rescheduled_due_at) if dossier.rescheduled_due_at else ""
            ),
        }
        if email:
            _email("citizen_overdue", context, email).send()
        if phone:
            send_sms(
                phone, render_to_string("stats/emails/citizen_overdue.sms.txt", context).strip()
            )
    return True


def notification_mark_read(
    *, user_id: int, now: dt.datetime, notification_id: int | None = None
) -> int:
    """Mark one (or all) of a user's unread notifications read; returns how many changed."""
    unread = Notification.objects.filter(recipient_id=user_id, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=now)


def rollup_refresh_handler(payload: dict) -> bool:
    """Outbox handler: refresh the rollup cells of the dossier named in the payload."""
    return rollup_refresh_dossier(dossier_id=payload["dossier_id"], now=timezone.now())


def rollup_refresh_batch_handler(payloads: list[dict]) -> int:
    """Outbox batch handler: the rows of several changes claimed together, one rebuild per
    desk × procedure and span of days (see rollup_refresh_dossiers)."""
    return rollup_refresh_dossiers(
        dossier_ids=[payload["dossier_id"] for payload in payloads], now=timezone.now()
    )


def rollup_refresh_wants(payload: dict) -> bool:
    """Publish-time filter of "dossier.changed" (see outbox.registry): a dossier with no day in
    the statistics yet (submitted online, not received) has no cell to rebuild (payloads without
    the fact: unknown, so yes)."""
    return bool(payload.get("counted", True))


def citizen_overdue_handler(payload: dict) -> bool:
    """Outbox handler: the applicant's overdue notice (ReminderLog keeps it to one)."""
    return citizen_overdue_notify(
        dossier_id=payload["dossier_id"],
        due_at=dt.datetime.fromisoformat(payload["due_at"]),
        now=timezone.now(),
    )
