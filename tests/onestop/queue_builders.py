"""Builders for the desk-floor tests: a desk with service groups mapped to counters."""

import datetime
import zoneinfo

from accounts.models import Role, User
from onestop.models import Counter, Desk, ServiceGroup
from tests.factories import make_desk, make_unit, make_user

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def vn_time(hour: int, minute: int = 0, second: int = 0, day: int = 25) -> datetime.datetime:
    """An aware moment on 25/11/2026 (a Wednesday), Vietnam time."""
    return datetime.datetime(2026, 11, day, hour, minute, second, tzinfo=VN)


def make_floor(*, counters: int = 2) -> tuple[Desk, ServiceGroup, ServiceGroup, list[Counter]]:
    """A desk with groups A (all counters) and B (counter 2 only, when there is one)."""
    desk = make_desk()
    desk_counters = [desk.counters.get(number=1)]
    for number in range(2, counters + 1):
        desk_counters.append(
            Counter.objects.create(desk=desk, number=number, name=f"Quầy {number}")
        )
    group_a = ServiceGroup.objects.create(desk=desk, prefix="A", name="Hộ tịch - Chứng thực")
    group_b = ServiceGroup.objects.create(desk=desk, prefix="B", name="Đất đai", sort_order=1)
    group_a.counters.set(desk_counters)
    group_b.counters.set(desk_counters[1:])
    return desk, group_a, group_b, desk_counters


def make_clerk(*, desk: Desk, role: str = Role.CLERK) -> User:
    return make_user(role=role, desk=desk)


def make_three_level_desks():
    """Desks as onestop.seed_desks names their counters; the province desk has none yet."""
    province = make_unit(code="77")
    district = make_unit(parent=province, code="747")
    commune = make_unit(parent=district, code="26506")
    province_desk = make_desk(unit=province)
    province_desk.counters.all().delete()
    commune_desk = make_desk(unit=commune)
    commune_desk.counters.filter(number=1).update(name="Quầy 1 - Tư pháp - Hộ tịch, chứng thực")
    Counter.objects.create(
        desk=commune_desk, number=2, name="Quầy 2 - Đất đai, xây dựng và lĩnh vực khác"
    )
    Counter.objects.create(desk=commune_desk, number=3, name="Quầy 3")
    return province_desk, make_desk(unit=district), commune_desk
