"""Issue 11, dossiers: the public lookup limited per dossier code and per real client address,
answering without 500 when the cache is down; CCCD and phone take ASCII digits only."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dossiers.models import Dossier
from tests.dossiers.engine_world import make_world
from tests.dossiers.test_api import client_for, pdf_upload, post_dossier
from tests.factories import make_dossier
from tests.onestop.queue_builders import make_floor

pytestmark = pytest.mark.django_db

API = "/api/v1/lookup/"
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def test_lookup_api_refuses_a_code_after_its_wrong_verifiers_whoever_asks(settings):
    settings.LOOKUP_CODE_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXIES = ["10.0.0.1"]  # every try comes from a different real client
    dossier = make_dossier(applicant_phone="0912345678")
    api = APIClient()
    for n in range(3):
        wrong = api.get(
            API,
            {"code": dossier.code, "verifier": f"000{n}"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        assert wrong.status_code == 404
    right = api.get(API, {"code": dossier.code, "verifier": "5678"}, REMOTE_ADDR="203.0.113.5")
    assert right.status_code == 429
    assert "tra cứu sai quá nhiều lần" in right.json()["detail"]
    other = make_dossier(applicant_phone="0912345678")
    assert api.get(API, {"code": other.code, "verifier": "5678"}).status_code == 200


def test_lookup_limit_treats_unknown_codes_like_known_ones(settings):
    settings.LOOKUP_CODE_FAILURE_LIMIT = 2
    api = APIClient()
    code = "000.00.00.H02-260101-9999"
    assert [api.get(API, {"code": code, "verifier": "0000"}).status_code for _ in range(3)] == [
        404,
        404,
        429,
    ]


def test_lookup_page_refuses_a_code_after_its_wrong_verifiers(client, settings):
    settings.LOOKUP_CODE_FAILURE_LIMIT = 2
    dossier = make_dossier(applicant_phone="0912345678")
    url = reverse("dossiers:lookup")
    for _ in range(2):
        assert client.get(url, {"code": dossier.code, "verifier": "0000"}).status_code == 404
    refused = client.get(url, {"code": dossier.code, "verifier": "5678"})
    assert refused.status_code == 429
    assert "tra cứu sai quá nhiều lần" in refused.content.decode()


def test_kiosk_refuses_a_code_after_its_wrong_verifiers(client, settings):
    settings.LOOKUP_CODE_FAILURE_LIMIT = 2
    desk, _, _, _ = make_floor()
    dossier = make_dossier(desk=desk, applicant_phone="0912345678")
    url = f"/mot-cua/{desk.pk}/tra-cuu-ho-so/"
    for _ in range(2):
        client.get(url, {"code": dossier.code, "verifier": "0000"})
    refused = client.get(url, {"code": dossier.code, "verifier": "5678"})
    assert refused.status_code == 429
    assert "tra cứu sai quá nhiều lần" in refused.content.decode()


def test_lookup_api_address_limit_holds_when_forwarded_for_rotates(settings):
    settings.TRUSTED_PROXIES = []
    settings.LOOKUP_CODE_FAILURE_LIMIT = 1000
    api = APIClient()
    statuses = [
        api.get(
            API,
            {"code": f"000.00.00.H02-260101-{n:04d}", "verifier": "1234"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(31)
    ]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


def test_lookup_page_and_api_answer_when_the_cache_is_down(client, settings):
    dossier = make_dossier(applicant_phone="0912345678")
    settings.CACHES = DEAD_REDIS
    assert APIClient().get(API, {"code": dossier.code, "verifier": "5678"}).status_code == 200
    page = client.get(reverse("dossiers:lookup"), {"code": dossier.code, "verifier": "5678"})
    assert page.status_code == 200


def test_dossier_api_refuses_non_ascii_digits_in_applicant_cccd_and_phone():
    world = make_world()
    for fields in ({"applicant_cccd": "٠٧٧١٩٠٠٠٩٩٩٩"}, {"applicant_phone": "٠٩١٢٣٤٥٦٧٨"}):
        response = post_dossier(world, files=[pdf_upload("a.pdf")], **fields)
        assert response.status_code == 400, fields
    assert not Dossier.objects.exists()


def test_lookup_api_refuses_a_non_ascii_verifier():
    dossier = make_dossier(applicant_phone="0912345678")
    assert client_for().get(API, {"code": dossier.code, "verifier": "٥٦٧٨"}).status_code == 404


def test_applicant_form_and_queue_ticket_refuse_non_ascii_digits():
    from dossiers.forms import ApplicantForm
    from onestop.services import QueueInvalid, ticket_issue

    form = ApplicantForm(
        data={
            "applicant_name": "Lê Văn An",
            "applicant_cccd": "٠٧٧١٩٠٠٠٩٩٩٩",
            "applicant_phone": "٠٩١٢٣٤٥٦٧٨",
        }
    )
    assert not form.is_valid()
    assert {"applicant_cccd", "applicant_phone"} <= set(form.errors)
    desk, group_a, _, _ = make_floor()
    with pytest.raises(QueueInvalid):
        ticket_issue(desk_id=desk.pk, group_id=group_a.pk, cccd="٠٧٧١٩٠٠٠٩٩٩٩", now=timezone.now())
