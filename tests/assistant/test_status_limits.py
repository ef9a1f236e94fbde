"""Dossier status through the assistant obeys the public lookup's limits (dossiers.lookup_limit)."""

import pytest
from django.conf import settings
from django.core.cache import cache

from assistant.services import assistant_ask
from dossiers.lookup_limit import LOOKUP_LIMIT
from tests.factories import make_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_counters():
    cache.clear()
    yield
    cache.clear()


def test_assistant_ask_refuses_right_verifier_when_code_over_its_failure_limit():
    dossier = make_dossier()
    verifier = (dossier.applicant_phone or dossier.applicant_cccd)[-4:]
    wrong = "0000" if verifier != "0000" else "1111"
    for n in range(settings.LOOKUP_CODE_FAILURE_LIMIT):  # each from another address
        assistant_ask(message=f"{dossier.code} {wrong}", conversation_id=None, client=f"10.0.0.{n}")
    answer = assistant_ask(
        message=f"{dossier.code} {verifier}", conversation_id=None, client="10.9.9.9"
    )
    assert answer.throttled and answer.status is None


def test_assistant_ask_refuses_status_when_address_over_the_lookup_page_limit():
    dossier = make_dossier()
    verifier = (dossier.applicant_phone or dossier.applicant_cccd)[-4:]
    for _ in range(LOOKUP_LIMIT):  # unknown codes: the per-code limit is not involved
        assistant_ask(message="000.00.00.H02-990101-9999 1234", conversation_id=None, client="c")
    answer = assistant_ask(message=f"{dossier.code} {verifier}", conversation_id=None, client="c")
    assert answer.throttled and answer.status is None
    other = assistant_ask(message=f"{dossier.code} {verifier}", conversation_id=None, client="d")
    assert other.status["code"] == dossier.code
