"""The dossier progress kiosk on the desk floor (its view belongs to the dossiers app)."""

import pytest
from django.core.cache import cache

from dossiers.views.kiosk import dossier_code_from_scan
from tests.factories import make_dossier
from tests.onestop.queue_builders import make_floor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


def test_dossier_code_from_scan_extracts_code_when_qr_holds_lookup_url():
    url = "https://dichvucong.example.vn/ho-so/tra-cuu/?code=000.00.00.H02-221115-0001"
    assert dossier_code_from_scan(url) == "000.00.00.H02-221115-0001"
    assert dossier_code_from_scan(" 000.00.00.H02-221115-0001 ") == "000.00.00.H02-221115-0001"


def test_kiosk_dossier_asks_for_four_digits_when_verifier_is_wrong(client):
    desk, _, _, _ = make_floor()
    response = client.get(f"/mot-cua/{desk.pk}/tra-cuu-ho-so/", {"code": "X", "verifier": "12"})
    assert "4 chữ số" in response.content.decode()


def test_kiosk_dossier_shows_progress_when_scanned_url_and_digits_match(client):
    desk, _, _, _ = make_floor()
    dossier = make_dossier(desk=desk, applicant_phone="0912345678")
    response = client.get(
        f"/mot-cua/{desk.pk}/tra-cuu-ho-so/",
        {"code": f"http://testserver/ho-so/tra-cuu/?code={dossier.code}", "verifier": "5678"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html and "Mới đăng ký" in html


def test_kiosk_dossier_refuses_when_too_many_lookups_in_a_minute(client):
    desk, _, _, _ = make_floor()
    url = f"/mot-cua/{desk.pk}/tra-cuu-ho-so/"
    statuses = [client.get(url, {"code": "X", "verifier": "1234"}).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
