"""Demo desk floor: service groups per desk, counters mapped to them, and realistic days of tickets.

Idempotent: groups are matched on (desk, prefix), counters on (desk, number), and a day that
already has tickets at a desk is left as it is.
"""

import datetime
import heapq
import random
from typing import TextIO

from django.db.models import Max
from django.utils import timezone

from onestop.models import (
    Counter,
    CounterRating,
    Desk,
    QueueTicket,
    ServiceGroup,
    TicketSequence,
    TicketStatus,
    UnitLevel,
)
from onestop.services import ticket_code
from procedures.parsing import fold

# (prefix, name, description, relative share of visitors, counter-name keywords). A counter
# whose accent-free name holds a keyword serves the group; counters matching no group at all
# ("Quầy 5") are general counters and serve every group.
GROUPS = {
    UnitLevel.PROVINCE: [
        (
            "A",
            "Tư pháp - Hộ tịch - Chứng thực",
            "Lý lịch tư pháp, quốc tịch, hộ tịch",
            10,
            ["tu phap"],
        ),
        (
            "B",
            "Đăng ký kinh doanh - Đầu tư",
            "Thành lập, thay đổi doanh nghiệp, dự án",
            18,
            ["ke hoach", "dau tu", "kinh doanh"],
        ),
        ("C", "Xây dựng", "Giấy phép xây dựng, chứng chỉ hành nghề", 9, ["xay dung"]),
        (
            "D",
            "Đất đai - Tài nguyên và Môi trường",
            "Đăng ký đất đai, môi trường, khoáng sản",
            16,
            ["tai nguyen", "dat dai"],
        ),
        ("E", "Giao thông vận tải", "Giấy phép lái xe, đăng ký phương tiện", 12, ["giao thong"]),
        ("F", "Công Thương", "Kinh doanh xăng dầu, rượu, thuốc lá", 5, ["cong thuong"]),
        (
            "G",
            "Lao động - Thương binh và Xã hội",
            "Giấy phép lao động, chính sách",
            7,
            ["lao dong"],
        ),
        ("H", "Y tế", "Chứng chỉ hành nghề y, dược", 5, ["y te"]),
        ("K", "Giáo dục và Đào tạo", "Văn bằng, chứng chỉ, cơ sở giáo dục", 4, ["giao duc"]),
        (
            "L",
            "Nông nghiệp và Phát triển nông thôn",
            "Thú y, thủy sản, lâm nghiệp",
            4,
            ["nong nghiep"],
        ),
        ("M", "Công an tỉnh", "Cư trú, xuất nhập cảnh", 4, ["cong an"]),
        (
            "R",
            "Trả kết quả, bưu chính",
            "Nhận kết quả đã hẹn, gửi qua bưu điện",
            6,
            ["buu dien", "buu chinh", "tra ket qua"],
        ),
    ],
    UnitLevel.DISTRICT: [
        (
            "A",
            "Hộ tịch - Chứng thực",
            "Khai sinh, kết hôn, chứng thực bản sao",
            24,
            ["ho tich", "chung thuc"],
        ),
        (
            "B",
            "Đất đai - Tài nguyên và Môi trường",
            "Giấy chứng nhận quyền sử dụng đất",
            28,
            ["dat dai", "tai nguyen"],
        ),
        ("C", "Đăng ký kinh doanh", "Hộ kinh doanh, hợp tác xã", 12, ["kinh doanh"]),
        (
            "D",
            "Xây dựng - Quy hoạch",
            "Giấy phép xây dựng nhà ở riêng lẻ",
            10,
            ["xay dung", "quy hoach"],
        ),
        ("E", "Lao động - Thương binh và Xã hội", "Trợ cấp, bảo trợ xã hội", 8, ["lao dong"]),
        ("R", "Trả kết quả", "Nhận kết quả đã hẹn", 18, ["tra ket qua"]),
    ],
    UnitLevel.COMMUNE: [
        (
            "A",
            "Hộ tịch",
            "Khai sinh, khai tử, kết hôn, xác nhận tình trạng hôn nhân",
            30,
            ["ho tich"],
        ),
        ("B", "Chứng thực", "Chứng thực bản sao, chữ ký, hợp đồng", 35, ["chung thuc"]),
        (
            "C",
            "Đất đai - Xây dựng",
            "Xác nhận, hòa giải, hồ sơ đất đai",
            12,
            ["dat dai", "xay dung"],
        ),
        (
            "D",
            "Lao động - Chính sách xã hội",
            "Người có công, bảo trợ xã hội",
            8,
            ["lao dong", "linh vuc khac"],
        ),
        ("R", "Trả kết quả", "Nhận kết quả đã hẹn", 15, ["tra ket qua"]),
    ],
}
# Counters created only for a desk that has none yet (the desks seed normally names them).
COUNTERS = {UnitLevel.PROVINCE: 8, UnitLevel.DISTRICT: 5, UnitLevel.COMMUNE: 3}
# Visitors per working day at a busy demo desk of each level.
VISITORS = {UnitLevel.PROVINCE: 260, UnitLevel.DISTRICT: 150, UnitLevel.COMMUNE: 60}
# Mean minutes at the counter; handing back a result is quick.
SERVICE_MINUTES = {"R": 3}
DEFAULT_SERVICE_MINUTES = 9
# Groups that only hand back results: no dossier is received there.
RESULT_ONLY = {"R"}
PAST_DAYS = 5
MAX_DEMO_DESKS = 6


def _ensure_groups(desk: Desk) -> list[ServiceGroup]:
    level = desk.unit.level
    if not desk.counters.exists():
        Counter.objects.bulk_create(
            Counter(desk=desk, number=n, name=f"Quầy {n}")
            for n in range(1, COUNTERS.get(level, 3) + 1)
        )
    counters = list(desk.counters.filter(is_active=True).order_by("number"))
    specs = GROUPS.get(level, [])
    matches = {
        c.pk: {spec[0] for spec in specs if any(k in fold(c.name) for k in spec[4])}
        for c in counters
    }
    general = [c for c in counters if not matches[c.pk]]
    groups = []
    for order, (prefix, name, description, _share, _keywords) in enumerate(specs):
        group, created = ServiceGroup.objects.get_or_create(
            desk=desk,
            prefix=prefix,
            defaults={"name": name, "description": description, "sort_order": order},
        )
        if created:
            dedicated = [c for c in counters if prefix in matches[c.pk]]
            group.counters.add(*(dedicated + general or counters))
        groups.append(group)
    return groups


def _working_days(today: datetime.date, count: int) -> list[datetime.date]:
    days = []
    day = today - datetime.timedelta(days=1)
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return sorted(days)


def _aware(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def _simulate_day(
    *,
    desk: Desk,
    groups: list[ServiceGroup],
    day: datetime.date,
    until: datetime.datetime,
    rng: random.Random,
) -> list[dict]:
    """Arrivals through office hours, FIFO service per counter; stops at `until`."""
    level = desk.unit.level
    shares = {spec[0]: spec[3] for spec in GROUPS.get(level, [])}
    weights = [shares.get(g.prefix, 1) for g in groups]
    sessions = [
        (_aware(day, desk.morning_opens), _aware(day, desk.morning_closes)),
        (_aware(day, desk.afternoon_opens), _aware(day, desk.afternoon_closes)),
    ]
    open_seconds = sum((end - start).total_seconds() for start, end in sessions)
    visitors = round(VISITORS.get(level, 60) * rng.uniform(0.8, 1.15))
    arrivals = []
    for _ in range(visitors):
        offset = rng.uniform(0, open_seconds - 1800)  # the last half hour takes no new numbers
        for start, end in sessions:
            length = (end - start).total_seconds()
            if offset < length:
                arrivals.append(start + datetime.timedelta(seconds=offset))
                break
            offset -= length
    arrivals.sort()

    numbers: dict[str, int] = {}
    rows = []
    for at in arrivals:
        if at > until:
            break
        group = rng.choices(groups, weights=weights)[0]
        numbers[group.prefix] = numbers.get(group.prefix, 0) + 1
        rows.append(
            {
                "desk": desk,
                "group": group,
                "day": day,
                "number": numbers[group.prefix],
                "code": ticket_code(prefix=group.prefix, number=numbers[group.prefix]),
                "issued_at": at,
                "status": TicketStatus.WAITING,
                "cccd": f"077{rng.randrange(10**8, 10**9)}" if rng.random() < 0.3 else "",
            }
        )

    counters = list(desk.counters.filter(is_active=True).prefetch_related("service_groups"))
    counter_groups = {c.pk: {g.pk for g in c.service_groups.all()} for c in counters}
    by_pk = {c.pk: c for c in counters}
    free_at = [(sessions[0][0], c.pk) for c in counters]
    heapq.heapify(free_at)
    waiting = list(rows)
    while waiting and free_at:
        moment, counter_id = heapq.heappop(free_at)
        eligible = [row for row in waiting if row["group"].pk in counter_groups[counter_id]]
        if not eligible:
            continue
        row = eligible[0]
        call_at = max(moment, row["issued_at"])
        if sessions[0][1] <= call_at < sessions[1][0]:
            call_at = max(sessions[1][0], row["issued_at"])
        if call_at > until:
            continue
        waiting.remove(row)
        row.update(counter=by_pk[counter_id], called_at=call_at, last_called_at=call_at)
        if rng.random() < 0.05:
            no_show_at = call_at + datetime.timedelta(minutes=3)
            row.update(
                status=TicketStatus.NO_SHOW,
                recall_count=2,
                no_show_at=no_show_at,
                last_called_at=call_at + datetime.timedelta(minutes=2),
            )
            heapq.heappush(free_at, (no_show_at, counter_id))
            continue
        mean = SERVICE_MINUTES.get(row["group"].prefix, DEFAULT_SERVICE_MINUTES)
        served_at = call_at + datetime.timedelta(minutes=max(1.0, rng.gauss(mean, mean / 3)))
        if served_at > until:
            row["status"] = TicketStatus.CALLED  # still at the counter right now
            continue
        row.update(status=TicketStatus.SERVED, served_at=served_at)
        heapq.heappush(free_at, (served_at, counter_id))
        if rng.random() < 0.6:
            row["rating"] = (
                rng.choices(["very_satisfied", "satisfied", "unsatisfied"], weights=[80, 17, 3])[0],
                served_at + datetime.timedelta(seconds=rng.randint(5, 60)),
            )
    return rows


def _seed_day(
    *,
    desk: Desk,
    groups: list[ServiceGroup],
    day: datetime.date,
    until: datetime.datetime,
    rng: random.Random,
) -> int:
    if QueueTicket.objects.filter(desk=desk, day=day).exists():
        return 0
    rows = _simulate_day(desk=desk, groups=groups, day=day, until=until, rng=rng)
    ratings = [row.pop("rating", None) for row in rows]
    tickets = QueueTicket.objects.bulk_create(QueueTicket(**row) for row in rows)
    CounterRating.objects.bulk_create(
        CounterRating(ticket=t, counter=t.counter, level=r[0], created_at=r[1])
        for t, r in zip(tickets, ratings, strict=True)
        if r is not None
    )
    last = (
        QueueTicket.objects.filter(desk=desk, day=day)
        .values("group_id")
        .annotate(last=Max("number"))
    )
    for row in last:
        TicketSequence.objects.update_or_create(
            group_id=row["group_id"], day=day, defaults={"last_number": row["last"]}
        )
    return len(tickets)


def _demo_desks() -> list[Desk]:
    """Desks with demo staff accounts (seeded by accounts); else the first desk of each level."""
    staffed = list(
        Desk.objects.filter(is_active=True, staff__isnull=False)
        .select_related("unit")
        .distinct()
        .order_by("unit__path")[:MAX_DEMO_DESKS]
    )
    if staffed:
        return staffed
    desks = []
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        desks += list(
            Desk.objects.filter(is_active=True, unit__level=level)
            .select_related("unit")
            .order_by("unit__path")[:1]
        )
    return desks


def run(stdout: TextIO, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    today = timezone.localdate(now)
    desks = list(Desk.objects.filter(is_active=True).select_related("unit"))
    groups_by_desk = {desk.pk: _ensure_groups(desk) for desk in desks}
    stdout.write(
        f"  Nhóm dịch vụ: {ServiceGroup.objects.count()} tại {len(desks)} bộ phận một cửa.\n"
    )
    issued = 0
    demo = _demo_desks()
    for desk in demo:
        groups = [g for g in groups_by_desk[desk.pk] if g.is_active]
        if not groups:
            continue
        rng = random.Random(f"{desk.agency_code}")
        for day in _working_days(today, PAST_DAYS):
            issued += _seed_day(
                desk=desk,
                groups=groups,
                day=day,
                until=_aware(day, datetime.time(23, 59)),
                rng=rng,
            )
        if today.weekday() < 5:
            issued += _seed_day(desk=desk, groups=groups, day=today, until=now, rng=rng)
    stdout.write(f"  Số thứ tự mẫu mới: {issued} (tại {len(demo)} bộ phận mẫu).\n")
