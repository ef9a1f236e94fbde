import pytest

from onestop.models import AdministrativeUnit
from tests.factories import make_unit


@pytest.mark.django_db
def test_subtree_q_excludes_sibling_when_its_code_starts_with_the_same_digits():
    province = make_unit(code="77")
    district = make_unit(parent=province, code="747")
    commune = make_unit(parent=district, code="26506")
    look_alike = make_unit(parent=province, code="7470")

    inside = set(AdministrativeUnit.objects.filter(district.subtree_q()))

    assert inside == {district, commune}
    assert district.contains(commune) and district.contains(district)
    assert not district.contains(look_alike)
    assert not district.contains(province)
