"""Demo step: one account per role, all with the public password DEMO_PASSWORD.

Idempotent: an existing account is brought back to the values below (its password only when it
no longer matches), so running the step twice changes nothing.
"""

from dataclasses import dataclass
from typing import TextIO

from django.db import transaction

from accounts.models import Role, User
from onestop.models import AdministrativeUnit, Desk

DEMO_PASSWORD = "Demo@12345"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    desk_unit: str = ""  # GSO code of the unit whose desk the person works at
    unit: str = ""  # GSO code of the unit a leader oversees
    cccd: str | None = None
    phone: str | None = None
    superuser: bool = False
    residence: str = ""  # GSO code of the commune a citizen lives in (prefills their dossiers)
    address: str = ""


DEMO_ACCOUNTS = [
    DemoAccount(
        "demo.citizen",
        "Nguyễn Thị Thu Hà",
        Role.CITIZEN,
        cccd="077188001234",
        phone="0918234567",
        residence="26508",
        address="12 Hoàng Hoa Thám",
    ),
    DemoAccount("demo.clerk.province", "Trần Minh Quang", Role.CLERK, desk_unit="77"),
    DemoAccount("demo.clerk.district", "Lê Thị Ngọc Ánh", Role.CLERK, desk_unit="747"),
    DemoAccount("demo.clerk.commune", "Phạm Văn Hùng", Role.CLERK, desk_unit="26508"),
    DemoAccount("demo.leader.province", "Võ Thanh Tùng", Role.LEADER, unit="77"),
    DemoAccount("demo.leader.district", "Huỳnh Thị Mai", Role.LEADER, unit="747"),
    DemoAccount("demo.admin", "Quản trị hệ thống", Role.ADMIN, superuser=True),
]


def _account_values(account: DemoAccount) -> dict:
    return {
        "full_name": account.full_name,
        "role": account.role,
        "email": f"{account.username}@example.vn",
        "cccd": account.cccd,
        "phone": account.phone,
        "desk": Desk.objects.get(unit__code=account.desk_unit) if account.desk_unit else None,
        "unit": AdministrativeUnit.objects.get(code=account.unit) if account.unit else None,
        "residence": AdministrativeUnit.objects.get(code=account.residence)
        if account.residence
        else None,
        "address": account.address,
        "is_staff": account.superuser,
        "is_superuser": account.superuser,
        "is_active": True,
    }


@transaction.atomic
def demo_accounts_ensure() -> list[User]:
    """Create or restore the demo accounts; returns them in DEMO_ACCOUNTS order."""
    users = []
    for account in DEMO_ACCOUNTS:
        values = _account_values(account)
        user = User.objects.filter(username=account.username).first() or User(
            username=account.username
        )
        changed = user.pk is None
        for name, value in values.items():
            if getattr(user, name) != value:
                setattr(user, name, value)
                changed = True
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            changed = True
        if changed:
            user.save()
        users.append(user)
    return users


def demo_accounts_print(stdout: TextIO) -> None:
    """Write the demo accounts table (seed_demo repeats it at the very end)."""
    users = User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).select_related(
        "desk", "unit"
    )
    order = {account.username: n for n, account in enumerate(DEMO_ACCOUNTS)}
    rows = [("Tài khoản", "Họ và tên", "Vai trò", "Nơi làm việc / phạm vi")]
    for user in sorted(users, key=lambda user: order[user.username]):
        place = user.desk.name if user.desk else (user.unit.name if user.unit else "")
        rows.append((user.username, user.full_name, str(user.get_role_display()), place))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    stdout.write(f"  Tài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):\n")
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        stdout.write("  " + "  ".join([*cells, row[3]]).rstrip() + "\n")


def run(stdout: TextIO) -> None:
    demo_accounts_ensure()
    demo_accounts_print(stdout)
