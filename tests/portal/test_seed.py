import io

import pytest
from django.core.management import CommandError, call_command

from accounts import seed_accounts
from accounts.models import Role, User
from accounts.selectors import user_visible_units
from onestop import seed_desks
from onestop.models import AdministrativeUnit, Counter, Desk


def _snapshot() -> tuple:
    return (
        AdministrativeUnit.objects.count(),
        list(Desk.objects.values_list("pk", "name", "agency_code")),
        Counter.objects.count(),
        list(
            User.objects.order_by("pk").values_list(
                "pk",
                "username",
                "password",
                "role",
                "desk",
                "unit",
                "cccd",
                "phone",
                "is_superuser",
            )
        ),
    )


@pytest.mark.django_db
def test_seed_steps_change_nothing_when_run_twice():
    for _ in range(2):
        seed_desks.run(io.StringIO())
        seed_accounts.run(io.StringIO())
    before = _snapshot()
    seed_desks.run(io.StringIO())
    seed_accounts.run(io.StringIO())
    assert _snapshot() == before
    assert len(before[3]) == 7


@pytest.mark.django_db
def test_seed_accounts_creates_the_demo_accounts_when_desks_exist():
    seed_desks.run(io.StringIO())
    out = io.StringIO()
    seed_accounts.run(out)
    users = {user.username: user for user in User.objects.all()}
    assert set(users) == {
        "demo.citizen",
        "demo.clerk.province",
        "demo.clerk.district",
        "demo.clerk.commune",
        "demo.leader.province",
        "demo.leader.district",
        "demo.admin",
    }
    assert all(user.check_password("Demo@12345") for user in users.values())
    assert users["demo.citizen"].cccd.startswith("077")
    assert users["demo.clerk.province"].desk.unit.code == "77"
    assert users["demo.clerk.district"].desk.unit.code == "747"
    assert users["demo.clerk.commune"].desk.unit.code == "26508"
    assert users["demo.leader.district"].role == Role.LEADER
    assert user_visible_units(users["demo.leader.district"]).count() == 18
    assert user_visible_units(users["demo.leader.province"]).count() == 91
    admin = users["demo.admin"]
    assert (admin.role, admin.is_superuser, admin.is_staff) == (Role.ADMIN, True, True)
    assert "demo.leader.district" in out.getvalue() and "Demo@12345" in out.getvalue()


@pytest.mark.django_db
def test_seed_accounts_restores_a_demo_password_when_it_was_changed():
    seed_desks.run(io.StringIO())
    seed_accounts.run(io.StringIO())
    user = User.objects.get(username="demo.citizen")
    user.set_password("khac")
    user.save()
    seed_accounts.run(io.StringIO())
    assert User.objects.get(username="demo.citizen").check_password("Demo@12345")


@pytest.mark.django_db
def test_seed_demo_refuses_when_debug_is_off_without_allow_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.exists()
    assert not AdministrativeUnit.objects.exists()
