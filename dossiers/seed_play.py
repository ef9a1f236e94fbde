"""Demo step helpers: one planned dossier played through the engine's services to its target
state, with `now` set in the past (the context holds the seed's clock, calendar and staff)."""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import Role, User
from dossiers.deadlines import OfficeHours, WorkCalendar
from dossiers.models import Dossier, DossierStatus
from dossiers.seed_people import (
    SEED_STAFF_PREFIX,
    person_name,
)
from dossiers.services import (
    UploadedDocument,
    dossier_apologize,
    dossier_confirm_payment,
    dossier_hand_off,
    dossier_rate,
    dossier_receive,
    dossier_receive_walk_in,
    dossier_refuse_reception,
    dossier_request_payment,
    dossier_request_supplement,
    dossier_request_withdrawal,
    dossier_resolve,
    dossier_return_result,
    dossier_start_processing,
    dossier_stop,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from onestop.models import Agency, Desk, UnitLevel
from procedures.models import Channel, Procedure

SUPPLEMENT_ITEMS = [
    ("Bản sao Căn cước công dân", "Bản chụp mờ, không đọc được số"),
    ("Tờ khai theo mẫu", "Thiếu chữ ký của người yêu cầu"),
    ("Giấy tờ chứng minh quyền sử dụng đất", "Chưa có bản sao chứng thực"),
    ("Bản vẽ hiện trạng", "Không đúng tỷ lệ quy định"),
]


def pdf_bytes(title: str) -> bytes:
    """A small, valid PDF (ASCII text, so the core font suffices)."""
    from fpdf import FPDF

    document = FPDF()
    document.add_page()
    document.set_font("Helvetica", size=14)
    document.cell(text=title)
    return bytes(document.output())


@dataclass
class SeedContext:
    rng: random.Random
    today: datetime.datetime
    calendar: WorkCalendar
    pdf: bytes
    citizens: list[User]
    clerks: dict[int, User] = field(default_factory=dict)
    specialists: dict[int, User] = field(default_factory=dict)
    agencies_by_unit: dict[int, list[Agency]] = field(default_factory=dict)
    slow_agencies: set[int] = field(default_factory=set)

    def working_moment(
        self, *, start: datetime.date, end: datetime.date, hours: OfficeHours
    ) -> datetime.datetime:
        """A random moment within office hours on a working day between two dates."""
        days = [
            start + datetime.timedelta(days=n)
            for n in range((end - start).days + 1)
            if self.calendar.is_working_day(start + datetime.timedelta(days=n))
        ]
        day = self.rng.choice(days) if days else start
        opens, closes = self.rng.choice(hours.sessions)
        first = opens.hour * 60 + opens.minute
        last = closes.hour * 60 + closes.minute - 20
        minute = self.rng.randint(first, max(first, last))
        return timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(minute // 60, minute % 60))
        )

    def later(
        self, moment: datetime.datetime, *, minutes: int, limit: datetime.datetime | None = None
    ) -> datetime.datetime:
        """`moment` plus some minutes, never past `limit` or the seed's present."""
        result = moment + datetime.timedelta(minutes=minutes)
        ceiling = min(limit, self.today) if limit else self.today
        if result >= ceiling:
            result = moment + (ceiling - moment) / 2
        return result


def _clerk(ctx: SeedContext, desk: Desk) -> User:
    if desk.pk not in ctx.clerks:
        clerk = (
            User.objects.filter(role=Role.CLERK, desk=desk, username__startswith="demo.").first()
            or User.objects.filter(username=f"{SEED_STAFF_PREFIX}mc.{desk.unit.code}").first()
        )
        if clerk is None:
            clerk = User(
                username=f"{SEED_STAFF_PREFIX}mc.{desk.unit.code}",
                role=Role.CLERK,
                desk=desk,
                full_name=person_name(ctx.rng),
            )
            clerk.set_unusable_password()
            clerk.save()
        ctx.clerks[desk.pk] = clerk
    return ctx.clerks[desk.pk]


def _specialist(ctx: SeedContext, agency: Agency) -> User:
    if agency.pk not in ctx.specialists:
        user = User.objects.filter(role=Role.SPECIALIST, agency=agency).order_by("pk").first()
        if user is None:
            user = User(
                username=f"{SEED_STAFF_PREFIX}cv.{agency.code}".lower(),
                role=Role.SPECIALIST,
                agency=agency,
                full_name=person_name(ctx.rng),
            )
            user.set_unusable_password()
            user.save()
        ctx.specialists[agency.pk] = user
    return ctx.specialists[agency.pk]


@dataclass
class Plan:
    desk: Desk
    procedure: Procedure
    channel: str
    state: str
    start: datetime.datetime
    light: bool = False  # no uploaded documents, no rating: the busy desks' extra intake
    backlog: bool = False  # received during a backlog period of its desk


def _documents(ctx: SeedContext) -> list[UploadedDocument]:
    return [UploadedDocument(name="to-khai.pdf", content=ctx.pdf)]


def _applicant_fields(ctx: SeedContext) -> dict[str, str]:
    n = ctx.rng.randint(100000, 999999)
    return {
        "name": person_name(ctx.rng),
        "phone": f"09{n:06d}{ctx.rng.randint(10, 99)}",
        "cccd": f"077{ctx.rng.randint(100000000, 999999999)}",
        "address": "Bà Rịa - Vũng Tàu",
    }


def _create(ctx: SeedContext, plan: Plan) -> tuple[Dossier, datetime.datetime]:
    """Create the dossier and bring it to RECEIVED (or leave it NEW); return it and the time."""
    clerk = _clerk(ctx, plan.desk)
    if plan.channel == Channel.ONLINE:
        # demo.citizen (first when it exists) gets a good share, to have a list to show.
        applicant = ctx.citizens[0] if ctx.rng.random() < 0.15 else ctx.rng.choice(ctx.citizens)
        submitted = plan.start - datetime.timedelta(minutes=ctx.rng.randint(30, 16 * 60))
        dossier = dossier_submit_online(
            applicant=applicant,
            procedure=plan.procedure,
            desk=plan.desk,
            applicant_fields={},
            form_data={},
            documents=_documents(ctx),
            idempotency_key=None,
            now=submitted,
        )
        return dossier, plan.start
    dossier = dossier_receive_walk_in(
        clerk=clerk,
        procedure=plan.procedure,
        applicant_fields=_applicant_fields(ctx),
        documents=_documents(ctx) if not plan.light and ctx.rng.random() < 0.7 else [],
        channel=plan.channel,
        now=plan.start,
    )
    return dossier, plan.start


def dossier_play(ctx: SeedContext, plan: Plan) -> None:
    rng = ctx.rng
    clerk = _clerk(ctx, plan.desk)
    dossier, t = _create(ctx, plan)
    applicant = dossier.applicant
    state = plan.state
    if dossier.status == DossierStatus.NEW:
        if state == DossierStatus.NEW:
            return
        if state == DossierStatus.NOT_ACCEPTED:
            dossier_refuse_reception(
                dossier_id=dossier.pk,
                actor=clerk,
                now=t,
                reason="Hồ sơ không thuộc thẩm quyền giải quyết của cơ quan.",
            )
            return
        if state == DossierStatus.SUPPLEMENT_REQUESTED and rng.random() < 0.5:
            item = rng.choice(SUPPLEMENT_ITEMS)
            dossier_request_supplement(
                dossier_id=dossier.pk,
                actor=clerk,
                now=t,
                items=[{"document": item[0], "reason": item[1]}],
            )
            return
        if state in (DossierStatus.WITHDRAWAL_REQUESTED, DossierStatus.WITHDRAWN) and (
            rng.random() < 0.5
        ):
            _withdraw(ctx, dossier, applicant, clerk, t, state)
            return
        dossier = dossier_receive(dossier_id=dossier.pk, actor=clerk, now=t)
    if state == DossierStatus.RECEIVED:
        return
    if state in (DossierStatus.WITHDRAWAL_REQUESTED, DossierStatus.WITHDRAWN) and applicant:
        _withdraw(ctx, dossier, applicant, clerk, ctx.later(t, minutes=90), state)
        return
    due = dossier.due_at
    # Sent to the agency within the hour or two, or a small share of a short procedure's time.
    quick = int((due - t).total_seconds() / 60 * 0.08) if due > t else 1
    t = ctx.later(t, minutes=max(1, min(rng.randint(20, 120), quick)), limit=due)
    agency = _start(ctx, dossier, clerk, t, leg_due_at=t + (due - t) * AGENCY_SHARE)
    handler = _specialist(ctx, agency) if agency else clerk
    if state == DossierStatus.PROCESSING:
        return
    if state == DossierStatus.STOPPED:
        dossier_stop(
            dossier_id=dossier.pk,
            actor=handler,
            now=ctx.later(t, minutes=600),
            reason="Người nộp không bổ sung hồ sơ trong thời hạn.",
        )
        return
    if state == DossierStatus.SUPPLEMENT_REQUESTED:
        item = rng.choice(SUPPLEMENT_ITEMS)
        dossier_request_supplement(
            dossier_id=dossier.pk,
            actor=handler,
            now=ctx.later(t, minutes=120),
            items=[{"document": item[0], "reason": item[1]}],
        )
        return
    if state == DossierStatus.AWAITING_PAYMENT:
        dossier_request_payment(
            dossier_id=dossier.pk,
            actor=handler,
            now=ctx.later(t, minutes=120),
            fee_amount=rng.choice([50000, 100000, 200000, 500000]),
        )
        return
    finish, handler = work_through(ctx, dossier, plan, clerk, handler, applicant, t, agency)
    refused = rng.random() < 0.03
    dossier_resolve(
        dossier_id=dossier.pk,
        actor=handler,
        now=finish,
        result="refused" if refused else "approved",
        note="Không đủ điều kiện theo quy định." if refused else "",
        result_documents=[UploadedDocument(name="ket-qua.pdf", content=ctx.pdf)]
        if not plan.light and rng.random() < 0.4
        else [],
    )
    if state == DossierStatus.RESOLVED:
        return
    returned = ctx.later(finish, minutes=rng.randint(60, 3 * 24 * 60))
    dossier_return_result(dossier_id=dossier.pk, actor=clerk, now=returned)
    if applicant and not plan.light and rng.random() < 0.45:
        dossier_rate(
            dossier_id=dossier.pk,
            actor=applicant,
            now=ctx.later(returned, minutes=30),
            level=rng.choices(["very_satisfied", "satisfied", "unsatisfied"], [55, 42, 3])[0],
            comment="",
        )


def _withdraw(
    ctx: SeedContext,
    dossier: Dossier,
    applicant: User,
    clerk: User,
    t: datetime.datetime,
    state: str,
) -> None:
    dossier_request_withdrawal(
        dossier_id=dossier.pk,
        actor=applicant,
        now=t,
        reason="Tôi muốn điều chỉnh lại thông tin và nộp hồ sơ mới.",
    )
    if state == DossierStatus.WITHDRAWN:
        dossier_withdraw(dossier_id=dossier.pk, actor=clerk, now=ctx.later(t, minutes=60))


def _start(
    ctx: SeedContext,
    dossier: Dossier,
    clerk: User,
    t: datetime.datetime,
    *,
    leg_due_at: datetime.datetime,
) -> Agency | None:
    dossier = dossier_start_processing(
        dossier_id=dossier.pk, actor=clerk, now=t, leg_due_at=leg_due_at
    )
    return dossier.handling_agency


# The share of the time left (after the dossier reached the agency) a step at an agency takes.
AGENCY_SHARE = 0.7  # the agency's leg is due at this share (leg_due_at on the control slip)
# Chance that a dossier gets stuck at an agency's step: (slow agency, backlog period at the desk).
STUCK = {(False, False): 0.001, (True, False): 0.04, (False, True): 0.03, (True, True): 0.2}
STALL = 0.001  # the result stalls at the very end, past the appointment, for no visible reason


def agency_share(
    rng: random.Random, *, slow: bool, backlog: bool, stuck: dict | None = None
) -> float:
    """How much of the time left an agency's step takes: usually within its leg's share (a slow
    agency nearer the end of it, a backlog longer still); stuck (chances: `stuck`, else
    STUCK), well past it."""
    if rng.random() < (stuck or STUCK)[(slow, backlog)]:
        return rng.uniform(0.8, 1.6)
    share = AGENCY_SHARE * rng.random() ** (0.5 if slow else 1.0)
    return share * (1.1 if backlog else 1.0)


def work_through(
    ctx: SeedContext,
    dossier: Dossier,
    plan: Plan,
    clerk: User,
    handler: User,
    applicant: User | None,
    t: datetime.datetime,
    agency: Agency | None,
) -> tuple[datetime.datetime, User]:
    """The dossier's steps after it reached `agency` at `t`: maybe a liên thông leg at the
    upper agency, maybe a supplement or fees, the agency's result back to the desk, then the
    resolution. Returns when it is resolved and by whom; lateness comes out of the steps."""
    rng = ctx.rng
    due = Dossier.objects.get(pk=dossier.pk).due_at
    window = due - t
    working = agency
    if (
        plan.desk.unit.level == UnitLevel.COMMUNE
        and rng.random() < 0.15
        and plan.desk.unit.parent_id
        and ctx.agencies_by_unit.get(plan.desk.unit.parent_id)
    ):
        # Liên thông: the commune's agency sends it to the district's agency.
        working = rng.choice(ctx.agencies_by_unit[plan.desk.unit.parent_id])
        t = ctx.later(t, minutes=int(window.total_seconds() / 60 * rng.uniform(0.03, 0.1)))
        dossier_hand_off(
            dossier_id=dossier.pk,
            actor=handler,
            to_agency=working,
            now=t,
            leg_due_at=t + (due - t) * AGENCY_SHARE,
            note="Chuyển liên thông cấp huyện",
        )
        handler = _specialist(ctx, working)
    share = agency_share(
        rng, slow=working is not None and working.pk in ctx.slow_agencies, backlog=plan.backlog
    )
    done = t + (due - t) * share
    if rng.random() < 0.06 and applicant:
        item = rng.choice(SUPPLEMENT_ITEMS)
        t = ctx.later(t, minutes=90, limit=due)
        dossier_request_supplement(
            dossier_id=dossier.pk,
            actor=handler,
            now=t,
            items=[{"document": item[0], "reason": item[1]}],
        )
        waited = datetime.timedelta(minutes=rng.randint(600, 4000))
        t = ctx.later(t, minutes=int(waited.total_seconds() / 60))
        dossier_submit_supplement(
            dossier_id=dossier.pk,
            actor=applicant,
            now=t,
            documents=[UploadedDocument(name="bo-sung.pdf", content=ctx.pdf)],
        )
        due = Dossier.objects.get(pk=dossier.pk).due_at
        done += waited
    if rng.random() < 0.08 and done > t:
        # Fees asked and paid while the agency works: within its step.
        t = t + (done - t) * rng.uniform(0.1, 0.4)
        dossier_request_payment(
            dossier_id=dossier.pk,
            actor=handler,
            now=t,
            fee_amount=rng.choice([50000, 100000, 200000]),
        )
        t = t + (done - t) * rng.uniform(0.1, 0.5)
        dossier_confirm_payment(dossier_id=dossier.pk, actor=clerk, now=t)
    ceiling = ctx.today - datetime.timedelta(hours=36)
    done = min(max(done, t + (due - t) * 0.02, t + datetime.timedelta(minutes=1)), ceiling)
    if working is not None:
        # The agency sends its result back to the desk (a hand-off on the control slip).
        dossier_hand_off(
            dossier_id=dossier.pk,
            actor=handler,
            to_desk=plan.desk,
            now=done,
            note="Chuyển kết quả về bộ phận một cửa",
        )
        handler = clerk
    left = (due - done) / (due - t) if due > t else 0.0
    if rng.random() < STALL:
        finish = due + datetime.timedelta(hours=rng.uniform(2, 40))
    elif left > 0.05:
        finish = done + (due - done) * rng.uniform(0.1, 0.9)
    else:
        finish = done + datetime.timedelta(hours=rng.uniform(0.5, 6))
    if finish > due and due - datetime.timedelta(hours=2) > done:
        dossier_apologize(
            dossier_id=dossier.pk,
            actor=handler,
            now=due - datetime.timedelta(hours=2),
            reason="Cần thêm thời gian xác minh thực địa.",
            new_due_at=finish + datetime.timedelta(hours=4),
        )
    finish = max(min(finish, ctx.today - datetime.timedelta(hours=30)), ctx.later(done, minutes=5))
    return finish, handler
