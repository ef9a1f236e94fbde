"""Demo step: handling agencies, the demo specialist, and a year of dossiers in every state.

Dossiers are produced through the engine's services with `now` set in the past (not raw
inserts), from a fixed random seed, with the shapes of the province's 2022 report: on time
province 99.7 %, district 96.6 %, commune 99.8 %; online province ~55 %, district ~7 %,
commune ~6 %. Running it again changes nothing.
"""

import datetime
import random
from dataclasses import dataclass, field
from typing import TextIO

from django.utils import timezone

from dossiers.calendar import calendar_load
from dossiers.deadlines import OfficeHours, WorkCalendar
from dossiers.models import Dossier, DossierEvent, DossierStatus
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
    dossier_save_draft,
    dossier_start_processing,
    dossier_stop,
    dossier_submit_online,
    dossier_submit_supplement,
    dossier_withdraw,
)
from dossiers.side_effects import side_effects_suppressed
from onestop.models import AdministrativeUnit, Agency, Desk, UnitLevel
from portal.models import Role, User
from procedures.models import Channel, OnlineLevel, Procedure, Sector

SEED = 20220630
DEMO_PASSWORD = "Demo@12345"
SEED_STAFF_PREFIX = "seed."
# Dossiers per desk, by level: the province center, each district desk, each commune desk.
DOSSIERS_PER_DESK = {UnitLevel.PROVINCE: 240, UnitLevel.DISTRICT: 24, UnitLevel.COMMUNE: 3}
ONLINE_SHARE = {UnitLevel.PROVINCE: 0.55, UnitLevel.DISTRICT: 0.07, UnitLevel.COMMUNE: 0.06}
POSTAL_SHARE = {UnitLevel.PROVINCE: 0.05, UnitLevel.DISTRICT: 0.03, UnitLevel.COMMUNE: 0.02}
LATE_SHARE = {UnitLevel.PROVINCE: 0.003, UnitLevel.DISTRICT: 0.034, UnitLevel.COMMUNE: 0.002}
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
PROVINCE_AGENCIES = [
    (
        "STP",
        "Sở Tư pháp",
        [
            "luat-su",
            "cong-chung",
            "thua-phat-lai",
            "ho-tich",
            "chung-thuc",
            "nuoi-con-nuoi",
            "ly-lich-tu-phap",
            "tro-giup-phap-ly",
            "giam-dinh",
            "quoc-tich",
            "dau-gia",
            "trong-tai",
            "hoa-giai",
        ],
    ),
    (
        "SXD",
        "Sở Xây dựng",
        [
            "xay-dung",
            "nha-o",
            "quy-hoach",
            "kinh-doanh-bat-dong-san",
            "vat-lieu-xay-dung",
            "ha-tang-ky-thuat",
        ],
    ),
    (
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        [
            "dat-dai",
            "dia-chat",
            "khoang-san",
            "tai-nguyen-nuoc",
            "bien-va-hai-dao",
            "moi-truong",
            "khi-tuong",
            "do-dac",
        ],
    ),
    (
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        ["dau-tu", "doanh-nghiep", "hop-tac-xa", "to-hop-tac", "dau-thau"],
    ),
    (
        "CAT",
        "Công an tỉnh",
        [
            "xuat-nhap-canh",
            "vu-khi",
            "phong-chay",
            "can-cuoc",
            "cu-tru",
            "phuong-tien",
            "con-dau",
            "an-ninh",
            "dinh-danh",
        ],
    ),
    (
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        [
            "thu-y",
            "thuy-san",
            "lam-nghiep",
            "trong-trot",
            "thuy-loi",
            "kiem-lam",
            "chan-nuoi",
            "nong-nghiep",
            "de-dieu",
            "nong-thon",
        ],
    ),
    (
        "SGTVT",
        "Sở Giao thông vận tải",
        ["duong-bo", "hang-hai", "duong-thuy", "hang-khong", "dang-kiem", "duong-sat"],
    ),
    ("CT", "Cục Thuế tỉnh", ["thue"]),
    ("CHQ", "Cục Hải quan tỉnh", ["hai-quan"]),
    ("NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh", ["ngan-hang", "ngoai-hoi", "tien-te"]),
    ("STC", "Sở Tài chính", ["cong-san", "tai-chinh", "gia", "kho-bac"]),
    (
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        [
            "lao-dong",
            "viec-lam",
            "giam-ngheo",
            "bao-tro-xa-hoi",
            "nguoi-co-cong",
            "chinh-sach",
            "tre-em",
            "giao-duc-nghe-nghiep",
            "an-toan-lao-dong",
        ],
    ),
    ("VPUBND", "Văn phòng UBND tỉnh", []),
]
DISTRICT_AGENCIES = [
    ("PTP", "Phòng Tư pháp", ["ho-tich", "chung-thuc", "nuoi-con-nuoi", "hoa-giai"]),
    (
        "PTCKH",
        "Phòng Tài chính - Kế hoạch",
        ["doanh-nghiep", "hop-tac-xa", "to-hop-tac", "thue", "cong-san"],
    ),
    ("PQLDT", "Phòng Quản lý đô thị", ["xay-dung", "nha-o", "quy-hoach", "duong-bo"]),
    (
        "PTNMT",
        "Phòng Tài nguyên và Môi trường",
        ["dat-dai", "moi-truong", "tai-nguyen-nuoc", "khoang-san"],
    ),
    ("VP", "Văn phòng HĐND và UBND", []),
]
COMMUNE_AGENCIES = [
    ("TPHT", "Công chức Tư pháp - Hộ tịch", ["ho-tich", "chung-thuc", "nuoi-con-nuoi", "hoa-giai"]),
    (
        "DCXD",
        "Công chức Địa chính - Xây dựng",
        ["dat-dai", "xay-dung", "thuy-loi", "de-dieu", "nong-nghiep", "lam-nghiep", "moi-truong"],
    ),
    (
        "CA",
        "Công an",
        [
            "cu-tru",
            "can-cuoc",
            "dinh-danh",
            "xuat-nhap-canh",
            "phong-chay",
            "vu-khi",
            "phuong-tien",
        ],
    ),
    ("VPTK", "Công chức Văn phòng - Thống kê", []),
]
# The demo specialist works at this agency of Thành phố Vũng Tàu (GSO 747).
DEMO_SPECIALIST = ("demo.specialist", "Đặng Quốc Bảo", "747", "PTNMT")

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quốc", "Hoàng"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dung",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hùng",
    "Khánh",
    "Lan",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Phúc",
    "Phương",
    "Quân",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tuấn",
    "Vân",
    "Yến",
]
SUPPLEMENT_ITEMS = [
    ("Bản sao Căn cước công dân", "Bản chụp mờ, không đọc được số"),
    ("Tờ khai theo mẫu", "Thiếu chữ ký của người yêu cầu"),
    ("Giấy tờ chứng minh quyền sử dụng đất", "Chưa có bản sao chứng thực"),
    ("Bản vẽ hiện trạng", "Không đúng tỷ lệ quy định"),
]


def _pdf_bytes(title: str) -> bytes:
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


def _agency_sectors(keywords: list[str], sectors: list[Sector]) -> list[Sector]:
    return [s for s in sectors if any(keyword in s.code for keyword in keywords)]


def agencies_ensure(*, stdout: TextIO) -> int:
    """Create the handling agencies of every unit, with the sectors they handle."""
    sectors = list(Sector.objects.order_by("code"))
    created = 0
    templates = {
        UnitLevel.PROVINCE: PROVINCE_AGENCIES,
        UnitLevel.DISTRICT: DISTRICT_AGENCIES,
        UnitLevel.COMMUNE: COMMUNE_AGENCIES,
    }
    for unit in AdministrativeUnit.objects.filter(desk__isnull=False).order_by("path"):
        claimed: set[int] = set()
        for short, name, keywords in templates[unit.level]:
            full_name = name if unit.level == UnitLevel.PROVINCE else f"{name} {unit.name}"
            if unit.level == UnitLevel.DISTRICT and short == "PQLDT" and unit.type_label == "Huyện":
                full_name = f"Phòng Kinh tế và Hạ tầng {unit.name}"
            agency, was_created = Agency.objects.get_or_create(
                code=f"{unit.code}.{short}", defaults={"name": full_name, "unit": unit}
            )
            created += was_created
            if was_created:
                linked = (
                    _agency_sectors(keywords, sectors)
                    if keywords
                    else [s for s in sectors if s.pk not in claimed]
                )
                agency.sectors.set(linked)
            claimed |= set(agency.sectors.values_list("pk", flat=True))
    stdout.write(f"  Cơ quan xử lý: mới {created}, tổng {Agency.objects.count()}.\n")
    return created


def demo_specialist_ensure() -> User:
    username, full_name, unit_code, short = DEMO_SPECIALIST
    agency = Agency.objects.get(code=f"{unit_code}.{short}")
    user = User.objects.filter(username=username).first() or User(username=username)
    user.full_name = full_name
    user.role = Role.SPECIALIST
    user.agency = agency
    user.email = f"{username}@example.vn"
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _citizens(rng: random.Random, count: int) -> list[User]:
    users = []
    for n in range(1, count + 1):
        username = f"{SEED_STAFF_PREFIX}congdan.{n:03d}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=Role.CITIZEN,
                full_name=_person(rng),
                cccd=f"0771{n:08d}",
                phone=f"0908{n:06d}",
                email=f"congdan{n:03d}@example.vn",
                address="Bà Rịa - Vũng Tàu",
            )
            user.set_unusable_password()
            user.save()
        users.append(user)
    demo = User.objects.filter(username="demo.citizen").first()
    return ([demo] if demo else []) + users


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
                full_name=_person(ctx.rng),
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
                full_name=_person(ctx.rng),
            )
            user.set_unusable_password()
            user.save()
        ctx.specialists[agency.pk] = user
    return ctx.specialists[agency.pk]


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
            .prefetch_related("submission_methods")
            .order_by("code")
            if p.processing_time_amount is None or p.processing_time_amount <= 30
        ]
    return result


@dataclass
class Plan:
    desk: Desk
    procedure: Procedure
    channel: str
    state: str
    late: bool
    start: datetime.datetime


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
    # Exactly the report's late share among resolved dossiers of each level (at least one).
    for level, share in LATE_SHARE.items():
        resolved = [
            p
            for p in plans
            if p.desk.unit.level == level
            and p.state == DossierStatus.RETURNED
            and p.start < ctx.today - datetime.timedelta(days=60)
        ]
        for plan in rng.sample(resolved, min(len(resolved), max(1, round(len(resolved) * share)))):
            plan.late = True
    plans.sort(key=lambda p: p.start)
    return plans


def _documents(ctx: SeedContext) -> list[UploadedDocument]:
    return [UploadedDocument(name="to-khai.pdf", content=ctx.pdf)]


def _applicant_fields(ctx: SeedContext) -> dict[str, str]:
    n = ctx.rng.randint(100000, 999999)
    return {
        "name": _person(ctx.rng),
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
        documents=_documents(ctx) if ctx.rng.random() < 0.7 else [],
        channel=plan.channel,
        now=plan.start,
    )
    return dossier, plan.start


def _play(ctx: SeedContext, plan: Plan) -> None:
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
    t = ctx.later(t, minutes=rng.randint(20, 120), limit=due)
    agency = _start(ctx, dossier, clerk, t)
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
    t, handler = _process(ctx, dossier, clerk, handler, applicant, t, plan)
    dossier = Dossier.objects.get(pk=dossier.pk)
    due = dossier.due_at
    if plan.late:
        finish = due + datetime.timedelta(hours=rng.randint(20, 80))
        if due - datetime.timedelta(hours=2) > t:
            dossier_apologize(
                dossier_id=dossier.pk,
                actor=handler,
                now=due - datetime.timedelta(hours=2),
                reason="Cần thêm thời gian xác minh thực địa.",
                new_due_at=finish + datetime.timedelta(hours=4),
            )
    else:
        finish = t + (due - t) * rng.uniform(0.3, 0.97) if due > t else t
    finish = max(min(finish, ctx.today - datetime.timedelta(hours=30)), ctx.later(t, minutes=5))
    refused = rng.random() < 0.03
    dossier_resolve(
        dossier_id=dossier.pk,
        actor=handler,
        now=finish,
        result="refused" if refused else "approved",
        note="Không đủ điều kiện theo quy định." if refused else "",
        result_documents=[UploadedDocument(name="ket-qua.pdf", content=ctx.pdf)]
        if rng.random() < 0.4
        else [],
    )
    if state == DossierStatus.RESOLVED:
        return
    returned = ctx.later(finish, minutes=rng.randint(60, 3 * 24 * 60))
    dossier_return_result(dossier_id=dossier.pk, actor=clerk, now=returned)
    if applicant and rng.random() < 0.45:
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


def _start(ctx: SeedContext, dossier: Dossier, clerk: User, t: datetime.datetime) -> Agency | None:
    dossier = dossier_start_processing(dossier_id=dossier.pk, actor=clerk, now=t)
    return dossier.handling_agency


def _process(
    ctx: SeedContext,
    dossier: Dossier,
    clerk: User,
    handler: User,
    applicant: User | None,
    t: datetime.datetime,
    plan: Plan,
) -> tuple[datetime.datetime, User]:
    """Optional middle steps: liên thông, a supplement during processing, fees."""
    rng = ctx.rng
    due = Dossier.objects.get(pk=dossier.pk).due_at
    level = plan.desk.unit.level
    if level == UnitLevel.COMMUNE and rng.random() < 0.15 and plan.desk.unit.parent_id:
        # Liên thông: the commune sends it to the district's agency, which sends it back.
        upper = ctx.agencies_by_unit.get(plan.desk.unit.parent_id) or []
        if upper:
            agency = rng.choice(upper)
            t = ctx.later(t, minutes=60, limit=due)
            dossier_hand_off(
                dossier_id=dossier.pk,
                actor=handler,
                to_agency=agency,
                now=t,
                leg_due_at=t + (due - t) * 0.6,
                note="Chuyển liên thông cấp huyện",
            )
            handler = _specialist(ctx, agency)
            t = ctx.later(t, minutes=int((due - t).total_seconds() / 60 * 0.4), limit=due)
            dossier_hand_off(
                dossier_id=dossier.pk,
                actor=handler,
                to_desk=plan.desk,
                now=t,
                note="Trả kết quả liên thông về cấp xã",
            )
            handler = clerk
    if rng.random() < 0.06 and applicant:
        item = rng.choice(SUPPLEMENT_ITEMS)
        t = ctx.later(t, minutes=90, limit=due)
        dossier_request_supplement(
            dossier_id=dossier.pk,
            actor=handler,
            now=t,
            items=[{"document": item[0], "reason": item[1]}],
        )
        t = ctx.later(t, minutes=rng.randint(600, 4000))
        dossier_submit_supplement(
            dossier_id=dossier.pk,
            actor=applicant,
            now=t,
            documents=[UploadedDocument(name="bo-sung.pdf", content=ctx.pdf)],
        )
    if rng.random() < 0.08:
        due = Dossier.objects.get(pk=dossier.pk).due_at
        t = ctx.later(t, minutes=60, limit=due)
        dossier_request_payment(
            dossier_id=dossier.pk,
            actor=handler,
            now=t,
            fee_amount=rng.choice([50000, 100000, 200000]),
        )
        t = ctx.later(t, minutes=rng.randint(30, 600), limit=due)
        dossier_confirm_payment(dossier_id=dossier.pk, actor=applicant or clerk, now=t)
    return t, handler


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
        pdf=_pdf_bytes("Ho so mau - Cong Dich vu cong tinh Ba Ria - Vung Tau"),
        citizens=_citizens(rng, 60),
    )
    for agency in Agency.objects.select_related("unit").order_by("code"):
        ctx.agencies_by_unit.setdefault(agency.unit_id, []).append(agency)
    plans = _plans(ctx, _procedures_by_level())
    with side_effects_suppressed():
        for plan in plans:
            _play(ctx, plan)
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
    stdout.write(f"  Hồ sơ mẫu: {len(plans)} hồ sơ ({summary}).\n")
