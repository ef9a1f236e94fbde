"""Which units each role sees (accounts.selectors) on the real Bà Rịa - Vũng Tàu tree."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role
from accounts.selectors import user_can_see_unit, user_visible_desks, user_visible_units
from onestop import seed_desks
from onestop.models import AdministrativeUnit, Desk
from onestop.selectors import unit_subtree
from tests.factories import make_agency, make_user


@pytest.fixture
def real_units(db) -> None:
    seed_desks.run(io.StringIO())


def _codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_unit_subtree_gives_the_district_and_its_communes_when_given_a_district(real_units):
    vung_tau = AdministrativeUnit.objects.get(code="747")
    codes = _codes(unit_subtree(vung_tau))
    assert len(codes) == 18
    assert "747" in codes and "26508" in codes
    assert "77" not in codes and "748" not in codes


def test_user_visible_units_limits_a_district_leader_when_unit_is_a_district(real_units):
    leader = make_user(role=Role.LEADER, unit=AdministrativeUnit.objects.get(code="747"))
    codes = _codes(user_visible_units(leader))
    expected = {"747"} | _codes(AdministrativeUnit.objects.filter(parent__code="747"))
    assert codes == expected
    assert len(codes) == 18
    assert user_can_see_unit(leader, AdministrativeUnit.objects.get(code="26508"))
    assert not user_can_see_unit(leader, AdministrativeUnit.objects.get(code="77"))
    assert not user_can_see_unit(leader, AdministrativeUnit.objects.get(code="748"))
    # A commune of another district (Bà Rịa).
    other = AdministrativeUnit.objects.filter(parent__code="748").first()
    assert not user_can_see_unit(leader, other)
    assert user_visible_desks(leader).count() == 18


def test_user_visible_units_gives_the_whole_province_when_leader_of_the_province(real_units):
    leader = make_user(role=Role.LEADER, unit=AdministrativeUnit.objects.get(code="77"))
    assert user_visible_units(leader).count() == 91


def test_user_visible_units_gives_everything_when_admin(real_units):
    admin = make_user(role=Role.ADMIN)
    superuser = make_user(role=Role.CITIZEN, is_superuser=True)
    assert user_visible_units(admin).count() == 91
    assert user_visible_units(superuser).count() == 91


def test_user_visible_units_gives_the_desk_unit_only_when_clerk(real_units):
    clerk = make_user(role=Role.CLERK, desk=Desk.objects.get(unit__code="747"))
    assert _codes(user_visible_units(clerk)) == {"747"}
    assert not user_can_see_unit(clerk, AdministrativeUnit.objects.get(code="26508"))


def test_user_visible_units_gives_the_agency_unit_when_specialist(real_units):
    agency = make_agency(unit=AdministrativeUnit.objects.get(code="748"))
    specialist = make_user(role=Role.SPECIALIST, agency=agency)
    assert _codes(user_visible_units(specialist)) == {"748"}


def test_user_visible_units_is_empty_when_citizen_or_anonymous_or_leader_without_unit(
    real_units,
):
    assert not user_visible_units(make_user(role=Role.CITIZEN)).exists()
    assert not user_visible_units(make_user(role=Role.LEADER)).exists()
    assert not user_visible_units(AnonymousUser()).exists()
