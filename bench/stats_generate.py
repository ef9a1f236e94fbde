"""Generate N dossiers over two years across every desk and published procedure, then build the
statistics rollup. PostgreSQL only, into a SEPARATE database (its name must end in "bench").

    DATABASE_URL=postgres://portal:portal@127.0.0.1:5432/portal_bench \\
        .venv/bin/python bench/stats_generate.py --count 1000000

Units, desks and the catalog come from the demo seed steps (onestop.seed_desks,
procedures.seed_catalog); `--minimal-catalog` generates 91 desks and 1,911 procedures instead.
Dossiers are written with COPY (psycopg2 copy_expert); the mix follows the 2022 figures:
volume by level 15/23/62 % (province/district/commune), online share 55.8/6.7/5.6 %, late share
0.3/3.3/0.2 %, popular procedures far more frequent than others (Zipf).

`--lateness-causes` (for the lateness backtest, bench/lateness_backtest.py): the late share per
level stays the same, but lateness has causes instead of a coin toss: SLOW_DESKS slow desks per
level, heavy procedures (land, construction, housing, planning sectors) and, at each slow desk,
BACKLOG_PERIODS periods when dossiers of its level pile up there (a share of the level's intake
goes to it). A dossier's chance to be late is the level's share times its cause weight over the
batch's mean weight at that level; the on-time dossiers of slow desks and heavy procedures also
take longer. Without the flag, late dossiers are drawn at random as before.

`--lateness-steps` (the same spirit as the demo history, dossiers.seed_play.work_through):
lateness is not drawn but arises from the steps, written as control-slip legs (DossierLeg):
reception → the competent agency of the desk's unit for the procedure's sector (leg due at 70 %
of the time) → the result back at the desk → resolution. The agency's share of the time is drawn
by `dossiers.seed_play.agency_share` (stuck now and then: STEP_STUCK, more at the land,
construction, housing and planning offices of the slow district desks, much more while such a
desk is in one of its backlog periods), and a resolution stalls past the appointment for no
visible reason with STALL. The late share per level comes out of that (not forced).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from dossiers.models import Dossier, DossierLeg, DossierOutcome, DossierStatus  # noqa: E402
from dossiers.seed_people import agencies_ensure  # noqa: E402
from dossiers.seed_play import STALL, agency_share  # noqa: E402
from onestop.models import AdministrativeUnit, Agency, Desk, UnitLevel  # noqa: E402
from procedures.models import Channel, OnlineLevel, Procedure, Sector, TimeUnit  # noqa: E402
from stats.services import rollup_rebuild  # noqa: E402

LEVEL_SHARE = {UnitLevel.PROVINCE: 0.15, UnitLevel.DISTRICT: 0.23, UnitLevel.COMMUNE: 0.62}
ONLINE_SHARE = {UnitLevel.PROVINCE: 0.5576, UnitLevel.DISTRICT: 0.0673, UnitLevel.COMMUNE: 0.0562}
LATE_SHARE = {UnitLevel.PROVINCE: 0.003, UnitLevel.DISTRICT: 0.033, UnitLevel.COMMUNE: 0.002}
POSTAL_SHARE = 0.02
DAYS = 730
# --lateness-causes
SLOW_DESKS = {UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 6}
HEAVY_SECTOR_KEYWORDS = ("dat-dai", "xay-dung", "nha-o", "quy-hoach")
BACKLOG_PERIODS = 6  # per slow desk over the two years, BACKLOG_DAYS long each
BACKLOG_DAYS = 20
SURGE_SHARE = 0.3  # of the level's intake in a slow desk's backlog period that goes to it
CAUSE_WEIGHT = {"slow": 3.0, "heavy": 3.0, "backlog": 12.0}
# --lateness-steps: chance of getting stuck at the agency (slow agency, backlog period), set so
# that the district's late share comes out near its 3.3 % with this generator's mix.
STEP_STUCK = {(False, False): 0.001, (True, False): 0.25, (False, True): 0.12, (True, True): 0.6}


def _check_database() -> None:
    settings = connection.settings_dict
    if connection.vendor != "postgresql" or not settings["NAME"].endswith("bench"):
        sys.exit("Refusing: set DATABASE_URL to a PostgreSQL database whose name ends in 'bench'.")


def _catalog(minimal: bool) -> None:
    if Desk.objects.count() >= 91 and Procedure.objects.filter(is_published=True).count() >= 1911:
        return  # Loaded by an earlier run.
    if not minimal:
        try:
            from onestop import seed_desks
            from procedures import seed_catalog

            seed_desks.run(sys.stdout)
            seed_catalog.run(sys.stdout)
            if Desk.objects.exists() and Procedure.objects.filter(is_published=True).exists():
                return
        except Exception as exc:  # noqa: BLE001 - a broken seed step falls back to minimal data
            print(f"seed steps unavailable ({exc!r}); generating a minimal catalog")
    _minimal_catalog()


def _minimal_catalog() -> None:
    """1 province, 8 districts, 82 communes, a desk each; 1,911 published procedures."""
    if Desk.objects.count() >= 91 and Procedure.objects.filter(is_published=True).count() >= 1911:
        return
    province, _ = AdministrativeUnit.objects.get_or_create(
        code="77",
        defaults={
            "name": "Tỉnh Bà Rịa - Vũng Tàu",
            "short_name": "Bà Rịa - Vũng Tàu",
            "type_label": "Tỉnh",
            "level": UnitLevel.PROVINCE,
            "path": "77",
        },
    )
    units = [province]
    for d in range(8):
        district, _ = AdministrativeUnit.objects.get_or_create(
            code=f"{747 + d}",
            defaults={
                "name": f"Huyện {d + 1}",
                "short_name": f"Huyện {d + 1}",
                "type_label": "Huyện",
                "level": UnitLevel.DISTRICT,
                "parent": province,
                "path": f"77/{747 + d}",
            },
        )
        units.append(district)
        for c in range(82 // 8 + (1 if d < 82 % 8 else 0)):
            code = f"{26500 + d * 20 + c}"
            commune, _ = AdministrativeUnit.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"Xã {code}",
                    "short_name": f"Xã {code}",
                    "type_label": "Xã",
                    "level": UnitLevel.COMMUNE,
                    "parent": district,
                    "path": f"{district.path}/{code}",
                },
            )
            units.append(commune)
    for n, unit in enumerate(units):
        Desk.objects.get_or_create(
            unit=unit,
            defaults={
                "name": f"Bộ phận một cửa {unit.name}",
                "agency_code": f"000.{n // 100:02d}.{n % 100:02d}.H02",
            },
        )
    sector, _ = Sector.objects.get_or_create(code="chung", defaults={"name": "Chung"})
    levels = [UnitLevel.PROVINCE] * 1100 + [UnitLevel.DISTRICT] * 500 + [UnitLevel.COMMUNE] * 311
    Procedure.objects.bulk_create(
        [
            Procedure(
                code=f"B.{n:06d}",
                name=f"Thủ tục {n}",
                sector=sector,
                level=level,
                processing_time_amount=5,
                processing_time_unit=TimeUnit.WORKING_DAYS,
                online_level=OnlineLevel.FULL if n % 3 else OnlineLevel.PARTIAL,
                is_published=True,
            )
            for n, level in enumerate(levels)
        ],
        ignore_conflicts=True,
    )


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _columns() -> tuple[list[str], dict[str, str]]:
    """Every concrete column but the id, with the text COPY writes when a row does not set it."""
    columns, defaults = [], {}
    for field in Dossier._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        default = field.get_default() if field.has_default() else None
        if default is None and not field.null:
            default = ""
        defaults[field.column] = _copy_value(default)
    return columns, defaults


class Causes:
    """Where lateness comes from in --lateness-causes mode (drawn once from the seed)."""

    def __init__(self, rng: random.Random, desks: dict):
        self.slow = {}
        self.backlog: dict[str, list[tuple[int, tuple[int, str]]]] = {}
        for level, n in SLOW_DESKS.items():
            chosen = rng.sample(desks[level], min(n, len(desks[level])))
            for desk in chosen:
                self.slow[desk[0]] = level
                for _ in range(BACKLOG_PERIODS):
                    first = rng.randrange(DAYS - BACKLOG_DAYS)
                    self.backlog.setdefault(level, []).append((first, desk))
        self.heavy = set(
            Procedure.objects.filter(
                sector__code__regex="|".join(HEAVY_SECTOR_KEYWORDS)
            ).values_list("pk", flat=True)
        )

    def surge_desk(self, level: str, day: int) -> tuple[int, str] | None:
        for first, desk in self.backlog.get(level, []):
            if first <= day < first + BACKLOG_DAYS:
                return desk
        return None

    def weight(self, *, desk_id: int, procedure_id: int, in_backlog: bool) -> float:
        weight = 1.0
        if desk_id in self.slow:
            weight *= CAUSE_WEIGHT["slow"]
            if in_backlog:
                weight *= CAUSE_WEIGHT["backlog"]
        if procedure_id in self.heavy:
            weight *= CAUSE_WEIGHT["heavy"]
        return weight


class Steps:
    """--lateness-steps: agencies per (unit, sector), the slow ones, and each dossier's legs."""

    def __init__(self, cause: Causes):
        agencies_ensure(stdout=sys.stdout)
        self.unit_of = dict(Desk.objects.values_list("pk", "unit_id"))
        self.sector_of = dict(Procedure.objects.values_list("pk", "sector_id"))
        self.agency: dict[tuple[int, int], int] = {}
        for agency_id, unit_id, sector_id in Agency.objects.order_by("-pk").values_list(
            "pk", "unit_id", "sectors"
        ):
            if sector_id is not None:
                self.agency[(unit_id, sector_id)] = agency_id  # the first by id wins
        slow_units = {
            self.unit_of[desk_id]
            for desk_id, level in cause.slow.items()
            if level == UnitLevel.DISTRICT
        }
        self.slow = set(
            Agency.objects.filter(
                unit_id__in=slow_units, sectors__code__regex="|".join(HEAVY_SECTOR_KEYWORDS)
            ).values_list("pk", flat=True)
        )
        self.columns = [f.column for f in DossierLeg._meta.concrete_fields if not f.primary_key]
        self.buffer = io.StringIO()

    def play(
        self,
        rng: random.Random,
        *,
        dossier_id: int,
        desk_id: int,
        procedure_id: int,
        received: dt.datetime,
        due: dt.datetime,
        backlog: bool,
        now: dt.datetime,
    ) -> dt.datetime:
        """Write the dossier's legs (as far as `now`); return when it is resolved."""
        agency_id = self.agency.get((self.unit_of[desk_id], self.sector_of.get(procedure_id)))
        started = received + (due - received) * rng.uniform(0.01, 0.05)
        share = agency_share(rng, slow=agency_id in self.slow, backlog=backlog, stuck=STEP_STUCK)
        done = started + (due - started) * share
        left = (due - done) / (due - started)
        if rng.random() < STALL:
            finished = due + dt.timedelta(hours=rng.uniform(2, 40))
        elif left > 0.05:
            finished = done + (due - done) * rng.uniform(0.1, 0.9)
        else:
            finished = done + dt.timedelta(hours=rng.uniform(0.5, 6))
        legs = [(1, None, agency_id, started, started + (due - started) * 0.7, done)]
        legs.append((2, agency_id, None, done, due, finished))
        for position, from_agency, to_agency, begin, leg_due, end in legs:
            if begin > now:
                break
            closed = end <= now
            row = {
                "dossier_id": dossier_id,
                "position": position,
                "from_desk_id": desk_id,
                "from_agency_id": from_agency,
                "to_desk_id": desk_id,
                "to_agency_id": to_agency,
                "sent_by_id": None,
                "started_at": begin,
                "due_at": leg_due,
                "finished_at": end if closed else None,
                "outcome": (
                    (DossierOutcome.LATE if end > leg_due else DossierOutcome.ON_TIME)
                    if closed
                    else ""
                ),
                "note": "",
            }
            self.buffer.write("\t".join(_copy_value(row[c]) for c in self.columns) + "\n")
        return finished

    def flush(self) -> None:
        self.buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY dossiers_dossierleg ({', '.join(self.columns)}) FROM STDIN", self.buffer
            )
        self.buffer = io.StringIO()


def _generate(
    count: int, *, now: dt.datetime, seed: int, causes: bool = False, steps: bool = False
) -> None:
    rng = random.Random(seed)
    desks = {level: [] for level in LEVEL_SHARE}
    for desk_id, level, agency in Desk.objects.values_list("pk", "unit__level", "agency_code"):
        desks.setdefault(level, []).append((desk_id, agency))
    procedures = {}
    for level in LEVEL_SHARE:
        ids = list(
            Procedure.objects.filter(is_published=True, level=level).values_list("pk", flat=True)
        )
        rng.shuffle(ids)
        procedures[level] = (ids, [1.0 / (rank + 1) ** 1.1 for rank in range(len(ids))])
    columns, defaults = _columns()
    start = now - dt.timedelta(days=DAYS)
    cause = Causes(rng, desks) if causes or steps else None
    stepper = Steps(cause) if steps else None
    level_names = list(LEVEL_SHARE)
    level_weights = [LEVEL_SHARE[level] for level in level_names]
    batch = 100_000
    written = 0
    while written < count:
        size = min(batch, count - written)
        buffer = io.StringIO()
        levels = rng.choices(level_names, level_weights, k=size)
        drawn = []
        for level in levels:
            desk = rng.choice(desks[level])
            ids, weights = procedures[level]
            procedure_id = rng.choices(ids, weights)[0]
            day = rng.randrange(DAYS)
            in_backlog = False
            if cause is not None:
                surge = cause.surge_desk(level, day)
                if surge is not None and (surge == desk or rng.random() < SURGE_SHARE):
                    desk, in_backlog = surge, True
            weight = (
                cause.weight(desk_id=desk[0], procedure_id=procedure_id, in_backlog=in_backlog)
                if cause
                else 1.0
            )
            drawn.append((level, desk, procedure_id, day, weight))
        mean_weight = {
            level: sum(d[4] for d in drawn if d[0] == level)
            / max(1, sum(1 for d in drawn if d[0] == level))
            for level in LEVEL_SHARE
        }
        for i, (level, (desk_id, agency), procedure_id, day, weight) in enumerate(drawn):
            n = written + i
            slow = cause is not None and (desk_id in cause.slow or procedure_id in cause.heavy)
            received = timezone.localtime(start + dt.timedelta(days=day)).replace(
                hour=7 + rng.randrange(0, 10), minute=rng.randrange(60)
            )
            duration = dt.timedelta(days=rng.choice((1, 3, 5, 7, 10, 15, 20)))
            due = received + duration
            roll = rng.random()
            channel = (
                Channel.ONLINE
                if roll < ONLINE_SHARE[level]
                else Channel.POSTAL
                if roll < ONLINE_SHARE[level] + POSTAL_SHARE
                else Channel.DIRECT
            )
            row = {
                "code": f"{agency}-{received:%y%m%d}-B{n:07d}",
                "procedure_id": procedure_id,
                "desk_id": desk_id,
                "current_desk_id": desk_id,
                "applicant_name": "Người nộp",
                "channel": channel,
                "created_at": received,
                "submitted_at": received,
                "received_at": received,
                "due_at": due,
                "updated_at": received,
                "digitised_at_reception": rng.random() < 0.5,
            }
            if rng.random() < 0.3:
                row["fee_amount"] = rng.choice((20000, 50000, 100000))
                row["paid_online"] = channel == Channel.ONLINE and rng.random() < 0.4
            late = rng.random() < min(0.95, LATE_SHARE[level] * weight / mean_weight[level])
            outcome_roll = rng.random()
            if stepper is not None:
                # Ids follow the COPY order: the table was truncated with RESTART IDENTITY.
                finished = stepper.play(
                    rng,
                    dossier_id=n + 1,
                    desk_id=desk_id,
                    procedure_id=procedure_id,
                    received=received,
                    due=due,
                    backlog=in_backlog and level == UnitLevel.DISTRICT,
                    now=now,
                )
                outcome = (
                    DossierOutcome.LATE
                    if finished > due
                    else DossierOutcome.EARLY
                    if timezone.localdate(finished) < timezone.localdate(due)
                    else DossierOutcome.ON_TIME
                )
            elif late:
                finished = due + dt.timedelta(hours=rng.randrange(2, 24 * 6))
                outcome = DossierOutcome.LATE
            elif slow:
                finished = received + duration * rng.uniform(0.6, 0.98)
                outcome = DossierOutcome.EARLY
            elif outcome_roll < 0.7:
                finished = received + duration * rng.uniform(0.2, 0.9)
                outcome = DossierOutcome.EARLY
            else:
                finished = due - dt.timedelta(minutes=rng.randrange(1, 240))
                outcome = DossierOutcome.ON_TIME
            forgotten = stepper is None and rng.random() < 0.003
            if finished > now or forgotten:
                row["status"] = rng.choice(
                    (
                        DossierStatus.PROCESSING,
                        DossierStatus.PROCESSING,
                        DossierStatus.RECEIVED,
                        DossierStatus.SUPPLEMENT_REQUESTED,
                        DossierStatus.AWAITING_PAYMENT,
                    )
                )
            elif rng.random() < 0.015:
                row["status"] = rng.choice((DossierStatus.WITHDRAWN, DossierStatus.STOPPED))
                row["finished_at"] = finished
            else:
                returned = finished + dt.timedelta(hours=rng.randrange(1, 72))
                row.update(finished_at=finished, outcome=outcome, result="approved")
                if returned <= now:
                    row.update(status=DossierStatus.RETURNED, returned_at=returned)
                else:
                    row["status"] = DossierStatus.RESOLVED
            buffer.write(
                "\t".join(
                    _copy_value(row[column]) if column in row else defaults[column]
                    for column in columns
                )
            )
            buffer.write("\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY dossiers_dossier ({', '.join(columns)}) FROM STDIN", buffer
            )
        if stepper is not None:
            stepper.flush()
        written += size
        print(f"  {written:,} dossiers written")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--minimal-catalog", action="store_true")
    parser.add_argument(
        "--lateness-causes",
        action="store_true",
        help="late dossiers arise from slow desks, heavy procedures and backlogs (backtest)",
    )
    parser.add_argument(
        "--lateness-steps",
        action="store_true",
        help="late dossiers arise from their steps (control-slip legs written too; backtest)",
    )
    parser.add_argument("--skip-rollup", action="store_true")
    args = parser.parse_args()
    _check_database()
    timings = {}
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    _catalog(args.minimal_catalog)
    timings["catalog_s"] = round(time.perf_counter() - began, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE dossiers_dossier, stats_dailydeskprocedurestat, stats_dailydeskstat "
            "RESTART IDENTITY CASCADE"
        )
    now = timezone.now()
    began = time.perf_counter()
    _generate(
        args.count,
        now=now,
        seed=args.seed,
        causes=args.lateness_causes,
        steps=args.lateness_steps,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE dossiers_dossier")
    timings["generate_s"] = round(time.perf_counter() - began, 1)
    if args.skip_rollup:
        print(json.dumps({"dossiers": args.count, **timings}))
        return
    began = time.perf_counter()
    first = timezone.localtime(now - dt.timedelta(days=DAYS + 1)).date()
    last = timezone.localtime(now + dt.timedelta(days=1)).date()
    cells = 0
    chunk = first
    while chunk <= last:
        chunk_end = min(last, chunk + dt.timedelta(days=91))
        cells += rollup_rebuild(date_from=chunk, date_to=chunk_end, now=now)
        chunk = chunk_end + dt.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stats_dailydeskprocedurestat")
        cursor.execute("ANALYZE stats_dailydeskstat")
    timings["rollup_s"] = round(time.perf_counter() - began, 1)
    print(json.dumps({"dossiers": args.count, "rollup_cells": cells, **timings}))


if __name__ == "__main__":
    main()
