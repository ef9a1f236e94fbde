"""Demo step: handling agencies, the demo specialist, and a year of dossiers in every state
(540 days at the two busy, slow district desks).

Dossiers are produced through the engine's services with `now` set in the past (not raw
inserts), from a fixed random seed, with the shapes of the province's 2022 report: online
province ~55 %, district ~7 %, commune ~6 %. Lateness is not drawn: it arises from each
dossier's steps (reception → agency → result back at the desk → return; seed_play.work_through),
and comes out near the report's on-time shares (district ~95 %, province and commune ~100 %).
Running it again changes nothing.
"""

import datetime
import random
from typing import TextIO

from django.db.models import Q
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
# Lateness is not drawn: it arises from the process (dossiers.seed_play.work_through). Each
# resolved dossier goes reception → the competent agency (a liên thông leg at the upper agency
# for some commune dossiers) → the result back at the desk → return, each step's share of the
# allowed time drawn from who holds it. A dossier gets stuck at a step now and then (STUCK,
# seed_play): rarely at an ordinary agency, more at a slow agency (the land, construction,
# housing and planning office of a slow desk's unit), much more during a backlog period at a slow
# district desk (a surge of extra dossiers, when its steps also take longer). A few resolutions
# stall at the very end for no reason the data shows. The late shares per level that come out
# stay near the province's report (province 0.3 %, district 3.3 %, commune 0.2 %).
SLOW_DESKS_PER_LEVEL = {UnitLevel.PROVINCE: 1, UnitLevel.DISTRICT: 2, UnitLevel.COMMUNE: 3}
HEAVY_SECTOR_KEYWORDS = ("dat-dai", "xay-dung", "nha-o", "quy-hoach")
# The slow district desks are also the busiest (land work): BUSY_FACTOR times the usual intake,
# over a longer history (BUSY_HISTORY_DAYS), half of it heavy procedures, so that the backtest
# has enough late dossiers to measure (tests shrink DOSSIERS_PER_DESK, and this with it).
BUSY_FACTOR = 45
BUSY_HISTORY_DAYS = 540
BUSY_HEAVY_SHARE = 0.5
# Days before today: the slow district desks' backlog periods.
BACKLOG_PERIODS = ((440, 400), (210, 150))
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


def in_backlog(start: datetime.datetime, today: datetime.datetime) -> bool:
    return any(
        today - datetime.timedelta(days=first) <= start < today - datetime.timedelta(days=last)
        for first, last in BACKLOG_PERIODS
    )


def slow_agencies(slow: set[int]) -> set[int]:
    """The land, construction, housing and planning offices of the slow district desks' units."""
    units = Desk.objects.filter(pk__in=slow, unit__level=UnitLevel.DISTRICT).values_list(
        "unit_id", flat=True
    )
    query = Q()
    for keyword in HEAVY_SECTOR_KEYWORDS:
        query |= Q(sectors__code__contains=keyword)
    return set(Agency.objects.filter(query, unit_id__in=units).values_list("pk", flat=True))


def _busy_plans(
    ctx: SeedContext, desk: Desk, candidates: list[Procedure], hours: OfficeHours, count: int
) -> list[Plan]:
    """A slow district desk's extra intake: direct dossiers over BUSY_HISTORY_DAYS, returned,
    half of them heavy procedures; twice the intake during its backlog periods."""
    heavy = [p for p in candidates if _heavy(p)] or candidates
    plans = []

    def add(start: datetime.datetime) -> None:
        pool = heavy if ctx.rng.random() < BUSY_HEAVY_SHARE else candidates
        procedure = ctx.rng.choice(pool)
        plans.append(
            Plan(desk, procedure, Channel.DIRECT, DossierStatus.RETURNED, start, light=True)
        )

    for _index in range(count):
        add(
            ctx.working_moment(
                start=ctx.today.date() - datetime.timedelta(days=BUSY_HISTORY_DAYS),
                end=ctx.today.date() - datetime.timedelta(days=10),
                hours=hours,
            )
        )
    for first, last in BACKLOG_PERIODS:
        for _index in range(max(2, round(count * (first - last) / BUSY_HISTORY_DAYS))):
            add(
                ctx.working_moment(
                    start=ctx.today.date() - datetime.timedelta(days=first),
                    end=ctx.today.date() - datetime.timedelta(days=last),
                    hours=hours,
                )
            )
    return plans


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
    ctx.slow_agencies = slow_agencies(slow)
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
            plans.append(Plan(desk, procedure, channel, state, start))
        if desk.pk in slow and level == UnitLevel.DISTRICT:
            plans += _busy_plans(ctx, desk, candidates, hours, count * BUSY_FACTOR)
    for plan in plans:
        plan.backlog = plan.desk.pk in slow and (
            plan.desk.unit.level == UnitLevel.DISTRICT and in_backlog(plan.start, ctx.today)
        )
    plans.sort(key=lambda p: p.start)
    return plans


def already_seeded() -> bool:
    return DossierEvent.objects.filter(actor__username__startswith=SEED_STAFF_PREFIX).exists()


def run(stdout: TextIO, *, today: datetime.datetime | None = None, seed: int | None = None) -> None:
    """`seed` draws another history from the same generator (default SEED, the `make run` one):
    the lateness model is developed on other seeds and measured once on this one."""
    agencies_ensure(stdout=stdout)
    demo_specialist_ensure()
    if already_seeded():
        stdout.write(f"  Hồ sơ mẫu: đã có ({Dossier.objects.count()} hồ sơ), bỏ qua.\n")
        return
    rng = random.Random(SEED if seed is None else seed)
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
