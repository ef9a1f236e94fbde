"""Demo step: handling agencies, the demo specialist, and a year of dossiers in every state.

Dossiers are produced through the engine's services with `now` set in the past (not raw
inserts), from a fixed random seed, with the shapes of the province's 2022 report: on time
province 99.7 %, district 96.6 %, commune 99.8 %; online province ~55 %, district ~7 %,
commune ~6 %. Running it again changes nothing.
"""

import datetime
import random
from typing import TextIO

from django.utils import timezone

from accounts.models import User
from dossiers.calendar import calendar_load
from dossiers.deadlines import OfficeHours
from dossiers.models import Dossier, DossierEvent, DossierStatus
from dossiers.seed_people import (
    DEMO_SPECIALIST,
    SEED_STAFF_PREFIX,
    agencies_ensure,
    citizens_ensure,
    demo_specialist_ensure,
)
from dossiers.seed_play import Plan, SeedContext, dossier_play, pdf_bytes
from dossiers.services import dossier_save_draft
from dossiers.side_effects import side_effects_suppressed
from onestop.models import Agency, Desk, UnitLevel
from procedures.models import Channel, OnlineLevel, Procedure

SEED = 20220630
# Dossiers per desk, by level: the province center, each district desk, each commune desk.
DOSSIERS_PER_DESK = {UnitLevel.PROVINCE: 240, UnitLevel.DISTRICT: 24, UnitLevel.COMMUNE: 3}
ONLINE_SHARE = {UnitLevel.PROVINCE: 0.55, UnitLevel.DISTRICT: 0.07, UnitLevel.COMMUNE: 0.06}
POSTAL_SHARE = {UnitLevel.PROVINCE: 0.05, UnitLevel.DISTRICT: 0.03, UnitLevel.COMMUNE: 0.02}
LATE_SHARE = {UnitLevel.PROVINCE: 0.003, UnitLevel.DISTRICT: 0.034, UnitLevel.COMMUNE: 0.002}
# Lateness has causes, as in the province's reports: a few slow desks (understaffed land and
# construction work at district level), heavy procedures, and a backlog period at the slow
# desks (a surge of dossiers, twice the usual intake, for BACKLOG_DAYS). The late dossiers are
# drawn with these weights, so the shares above stay exact but the late ones cluster by cause;
# the on-time dossiers of a slow desk or heavy procedure also take longer.
SLOW_DESKS_PER_LEVEL = {UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3}
HEAVY_SECTOR_KEYWORDS = ("dat-dai", "xay-dung", "nha-o", "quy-hoach")
BACKLOG_DAYS = (210, 150)  # days before today: the slow desks' backlog period
LATE_WEIGHT = {"slow": 12.0, "heavy": 3.0, "backlog": 25.0}
# Final states and their weights; resolved and returned dossiers make the statistics.
STATE_WEIGHTS = [
    (DossierStatus.RETURNED, 66),
    (DossierStatus.RESOLVED, 7),
    (DossierStatus.PROCESSING, 7),
    (DossierStatus.RECEIVED, 4),
    (DossierStatus.NEW, 3),
    (DossierStatus.SUPPLEMENT_REQUESTED, 3),
    (DossierStatus.AWAITING_PAYMENT, 2),
    (DossierStatus.NOT_ACCEPTED, 2),
    (DossierStatus.WITHDRAWAL_REQUESTED, 1),
    (DossierStatus.WITHDRAWN, 2),
    (DossierStatus.STOPPED, 2),
]
FINISHED_STATES = {
    DossierStatus.RESOLVED,
    DossierStatus.STOPPED,
    DossierStatus.WITHDRAWN,
    DossierStatus.NOT_ACCEPTED,
}
ONLINE_ONLY_STATES = {
    DossierStatus.NEW,
    DossierStatus.NOT_ACCEPTED,
    DossierStatus.WITHDRAWAL_REQUESTED,
    DossierStatus.WITHDRAWN,
}


# Handling agencies: (short code, name, sector-code keywords). The last agency of each level
# takes every sector no other agency of the unit claims.
def _procedures_by_level() -> dict[str, list[Procedure]]:
    result = {}
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        result[level] = [
            p
            for p in Procedure.objects.filter(
                is_published=True,
                is_active=True,
                level=level,
            )
            .exclude(processing_time_unit="")
            .select_related("sector")
            .prefetch_related("submission_methods")
            .order_by("code")
            if p.processing_time_amount is None or p.processing_time_amount <= 30
        ]
    return result


def slow_desks(rng: random.Random) -> set[int]:
    """The slow desks of each level (drawn once from the seed)."""
    slow: set[int] = set()
    for level, n in SLOW_DESKS_PER_LEVEL.items():
        desks = list(
            Desk.objects.filter(is_active=True, unit__level=level)
            .order_by("unit__path")
            .values_list("pk", flat=True)
        )
        slow |= set(rng.sample(desks, min(n, len(desks))))
    return slow


def _heavy(procedure: Procedure) -> bool:
    code = procedure.sector.code if procedure.sector_id else ""
    return any(keyword in code for keyword in HEAVY_SECTOR_KEYWORDS)


def _in_backlog(start: datetime.datetime, today: datetime.datetime) -> bool:
    return (
        today - datetime.timedelta(days=BACKLOG_DAYS[0])
        <= start
        < today - datetime.timedelta(days=BACKLOG_DAYS[1])
    )


def late_weight(plan: "Plan", *, slow: set[int], today: datetime.datetime) -> float:
    """How likely a resolved dossier is to be one of the late ones, from its causes."""
    weight = 1.0
    if plan.desk.pk in slow:
        weight *= LATE_WEIGHT["slow"]
        if _in_backlog(plan.start, today):
            weight *= LATE_WEIGHT["backlog"]
    if _heavy(plan.procedure):
        weight *= LATE_WEIGHT["heavy"]
    return weight


def _surge(
    ctx: SeedContext, desk: Desk, candidates: list[Procedure], hours: OfficeHours, count: int
) -> list[Plan]:
    """The backlog period at a slow desk: as many extra dossiers again, received directly over
    BACKLOG_DAYS and returned, so the desk's open dossiers pile up then."""
    share = (BACKLOG_DAYS[0] - BACKLOG_DAYS[1]) / 365
    extra = []
    for _index in range(max(2, round(count * share))):
        start = ctx.working_moment(
            start=ctx.today.date() - datetime.timedelta(days=BACKLOG_DAYS[0]),
            end=ctx.today.date() - datetime.timedelta(days=BACKLOG_DAYS[1]),
            hours=hours,
        )
        procedure = ctx.rng.choice(candidates)
        extra.append(Plan(desk, procedure, Channel.DIRECT, DossierStatus.RETURNED, False, start))
    return extra


def _plans(ctx: SeedContext, procedures: dict[str, list[Procedure]]) -> list[Plan]:
    """What each dossier will become: desk, procedure, channel, final state, start time.

    The channel is drawn first (the report's online shares), then a state that channel can
    reach (only online dossiers wait as "new" or get refused at reception). The demo accounts'
    desks get every state, and the demo specialist's unit sends dossiers to their agency.
    """
    rng = ctx.rng
    all_states, all_weights = zip(*STATE_WEIGHTS, strict=True)
    desk_states = [(s, w) for s, w in STATE_WEIGHTS if s not in ONLINE_ONLY_STATES]
    direct_states, direct_weights = zip(*desk_states, strict=True)
    demo_desks = set(
        User.objects.filter(username__startswith="demo.clerk.").values_list("desk_id", flat=True)
    )
    specialist = User.objects.filter(username=DEMO_SPECIALIST[0]).select_related("agency").first()
    favoured = set(specialist.agency.sectors.values_list("pk", flat=True)) if specialist else set()
    plans = []
    slow = slow_desks(rng)
    for desk in Desk.objects.filter(is_active=True).select_related("unit").order_by("unit__path"):
        level = desk.unit.level
        candidates = procedures.get(level) or []
        if not candidates:
            continue
        hours = OfficeHours.for_desk(desk)
        preferred = [
            p
            for p in candidates
            if specialist and desk.unit_id == specialist.agency.unit_id and p.sector_id in favoured
        ]
        cycle = list(all_states) if desk.pk in demo_desks else []
        count = max(DOSSIERS_PER_DESK[level], len(cycle) + 1)
        for index in range(count):
            procedure = rng.choice(preferred if preferred and rng.random() < 0.6 else candidates)
            if index < len(cycle):
                state = cycle[index]
                channel = Channel.ONLINE if state in ONLINE_ONLY_STATES else Channel.DIRECT
            else:
                roll = rng.random()
                if procedure.online_level != OnlineLevel.NONE and roll < ONLINE_SHARE[level]:
                    channel = Channel.ONLINE
                    state = rng.choices(all_states, all_weights)[0]
                else:
                    postal = roll < ONLINE_SHARE[level] + POSTAL_SHARE[level]
                    channel = Channel.POSTAL if postal else Channel.DIRECT
                    state = rng.choices(direct_states, direct_weights)[0]
            if state == DossierStatus.RETURNED:
                days = (365, 10)
            elif state in FINISHED_STATES:
                days = (20, 8)
            else:
                days = (6, 1)
            start = ctx.working_moment(
                start=ctx.today.date() - datetime.timedelta(days=days[0]),
                end=ctx.today.date() - datetime.timedelta(days=days[1]),
                hours=hours,
            )
            plans.append(Plan(desk, procedure, channel, state, False, start))
        if desk.pk in slow:
            plans += _surge(ctx, desk, candidates, hours, count)
    for plan in plans:
        plan.slow = plan.desk.pk in slow or _heavy(plan.procedure)
    # Exactly the report's late share among resolved dossiers of each level (at least one),
    # drawn by cause (weighted sampling without replacement: key = u ** (1 / weight)).
    for level, share in LATE_SHARE.items():
        resolved = [
            p
            for p in plans
            if p.desk.unit.level == level
            and p.state == DossierStatus.RETURNED
            and p.start < ctx.today - datetime.timedelta(days=60)
        ]
        wanted = min(len(resolved), max(1, round(len(resolved) * share)))
        ranked = sorted(
            resolved,
            key=lambda p: rng.random() ** (1 / late_weight(p, slow=slow, today=ctx.today)),
            reverse=True,
        )
        for plan in ranked[:wanted]:
            plan.late = True
    plans.sort(key=lambda p: p.start)
    return plans


def already_seeded() -> bool:
    return DossierEvent.objects.filter(actor__username__startswith=SEED_STAFF_PREFIX).exists()


def run(stdout: TextIO, *, today: datetime.datetime | None = None) -> None:
    agencies_ensure(stdout=stdout)
    demo_specialist_ensure()
    if already_seeded():
        stdout.write(f"  Hồ sơ mẫu: đã có ({Dossier.objects.count()} hồ sơ), bỏ qua.\n")
        return
    rng = random.Random(SEED)
    today = today or timezone.now()
    ctx = SeedContext(
        rng=rng,
        today=today,
        calendar=calendar_load(
            start=today.date() - datetime.timedelta(days=400),
            end=today.date() + datetime.timedelta(days=200),
        ),
        pdf=pdf_bytes("Ho so mau - Cong Dich vu cong tinh Ba Ria - Vung Tau"),
        citizens=citizens_ensure(rng, 60),
    )
    for agency in Agency.objects.select_related("unit").order_by("code"):
        ctx.agencies_by_unit.setdefault(agency.unit_id, []).append(agency)
    plans = _plans(ctx, _procedures_by_level())
    with side_effects_suppressed():
        for plan in plans:
            dossier_play(ctx, plan)
    demo = User.objects.filter(username="demo.citizen").first()
    desk = Desk.objects.filter(unit__level=UnitLevel.PROVINCE).first()
    procedures = _procedures_by_level()[UnitLevel.PROVINCE]
    if demo and desk and procedures:
        dossier_save_draft(
            applicant=demo,
            procedure=procedures[0],
            desk=desk,
            applicant_fields={"name": demo.full_name},
            form_data={},
            now=today,
        )
    by_state = Dossier.objects.values_list("status", flat=True)
    counts: dict[str, int] = {}
    for status in by_state:
        counts[status] = counts.get(status, 0) + 1
    summary = ", ".join(f"{DossierStatus(s).label}: {n}" for s, n in sorted(counts.items()))
    # The total is counted from the same rows as the summary (the demo citizen's draft included).
    stdout.write(f"  Hồ sơ mẫu: {sum(counts.values())} hồ sơ ({summary}).\n")
