import pytest

from dossiers.models import DossierStatus
from tests.factories import make_desk, make_dossier, make_unit


@pytest.mark.django_db
def test_make_dossier_sets_status_at_creation():
    province = make_unit()
    district = make_unit(parent=province)
    dossier = make_dossier(desk=make_desk(unit=district), status=DossierStatus.PROCESSING)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.received_at is not None
    assert district.path.startswith(province.path + "/")
