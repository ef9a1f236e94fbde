"""Dossier codes: agency code, local reception date, 4-digit daily number per agency."""

import datetime

import pytest

from dossiers.models import DailySequence
from dossiers.services import dossier_code_next
from tests.dossiers.engine_world import TZ

pytestmark = pytest.mark.django_db


def test_dossier_code_next_counts_per_agency_and_day_when_called_repeatedly():
    now = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)
    assert dossier_code_next(agency_code="000.00.00.H02", now=now) == "000.00.00.H02-260302-0001"
    assert dossier_code_next(agency_code="000.00.00.H02", now=now) == "000.00.00.H02-260302-0002"
    assert dossier_code_next(agency_code="000.00.31.H02", now=now) == "000.00.31.H02-260302-0001"
    tomorrow = now + datetime.timedelta(days=1)
    assert (
        dossier_code_next(agency_code="000.00.00.H02", now=tomorrow) == "000.00.00.H02-260303-0001"
    )
    assert DailySequence.objects.count() == 3


def test_dossier_code_next_uses_local_date_when_utc_day_differs():
    # 23:30 UTC on 01/03 is 06:30 on 02/03 in Vũng Tàu.
    now = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
    assert dossier_code_next(agency_code="X", now=now) == "X-260302-0001"
