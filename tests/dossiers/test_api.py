"""The dossier API: issue 4's acceptance list and the error mapping."""

import datetime

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dossiers.models import Dossier, DossierStatus
from tests.dossiers.engine_world import PDF, make_world

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def pdf_upload(name: str, content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def post_dossier(world, *, files, headers=None, **fields):
    data = {"procedure": world.procedure.code, "documents": files, **fields}
    return client_for(world.citizen).post(
        "/api/v1/dossiers/", data, format="multipart", headers=headers or {}
    )


@pytest.fixture(autouse=True)
def _clear_throttle_cache():
    cache.clear()


def test_post_dossier_returns_code_when_citizen_sends_two_pdfs():
    world = make_world()
    response = post_dossier(
        world,
        files=[pdf_upload("don.pdf"), pdf_upload("cccd.pdf")],
        form_data='{"ly_do": "Xin việc"}',
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"].startswith(world.province_desk.agency_code + "-")
    assert body["status"] == "new"
    assert [d["original_name"] for d in body["documents"]] == ["don.pdf", "cccd.pdf"]
    assert body["form_data"] == {"ly_do": "Xin việc"}
    # The province desk was chosen without `desk`: it is the only province-level desk.
    assert body["desk"] == world.province_desk.pk


def test_post_dossier_refuses_file_renamed_to_pdf():
    world = make_world()
    response = post_dossier(world, files=[pdf_upload("bang-diem.pdf", b"PK\x03\x04not a pdf")])
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Tệp “bang-diem.pdf” không phải là tệp PDF hợp lệ.",
        "field": "documents",
    }
    assert not Dossier.objects.exists()


def test_post_dossier_returns_same_dossier_when_idempotency_key_repeats():
    world = make_world()
    headers = {"Idempotency-Key": "6f1c-42"}
    first = post_dossier(world, files=[pdf_upload("a.pdf")], headers=headers)
    second = post_dossier(world, files=[pdf_upload("a.pdf")], headers=headers)
    assert first.json()["code"] == second.json()["code"]
    assert Dossier.objects.count() == 1


def test_post_dossier_requires_desk_when_procedure_is_not_province_level():
    world = make_world()
    world.procedure.level = "commune"
    world.procedure.save()
    response = post_dossier(world, files=[pdf_upload("a.pdf")])
    assert response.status_code == 400
    assert response.json()["field"] == "desk"
    response = post_dossier(world, files=[pdf_upload("a.pdf")], desk=world.commune_desk.pk)
    assert response.status_code == 201


def test_receive_action_sets_appointment_when_province_clerk_receives():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")]).json()["code"]
    response = client_for(world.clerk).post(
        f"/api/v1/dossiers/{code}/actions/",
        {"action": "receive", "note": "Hồ sơ đầy đủ"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "received"
    assert body["due_at"] and body["appointment_at"] == body["due_at"]
    assert body["deadline"]["explanation"]
    assert [e["action"] for e in body["timeline"]] == ["submit", "receive"]
    assert "start_processing" in [a["name"] for a in body["allowed_actions"]]


def test_actions_answer_409_when_second_clerk_receives_again():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    url = f"/api/v1/dossiers/{code}/actions/"
    assert (
        client_for(world.clerk).post(url, {"action": "receive"}, format="json").status_code == 200
    )
    response = client_for(world.other_clerk).post(url, {"action": "receive"}, format="json")
    assert response.status_code == 409
    assert "Được tiếp nhận" in response.json()["detail"]


def test_actions_answer_404_when_user_cannot_see_dossier():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    response = client_for(world.district_clerk).post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "receive"}, format="json"
    )
    assert response.status_code == 404
    unknown = client_for(world.district_clerk).post(
        "/api/v1/dossiers/KHONG-CO/actions/", {"action": "receive"}, format="json"
    )
    assert unknown.json() == response.json()


def test_actions_answer_403_when_applicant_tries_clerk_action():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    response = client_for(world.citizen).post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "receive"}, format="json"
    )
    assert response.status_code == 403


def test_supplement_items_accepted_as_json_list():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    response = client_for(world.clerk).post(
        f"/api/v1/dossiers/{code}/actions/",
        {
            "action": "request_supplement",
            "items": [{"document": "Bản sao CCCD", "reason": "Ảnh mờ"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["supplement_items"] == [{"document": "Bản sao CCCD", "reason": "Ảnh mờ"}]


def test_get_dossier_answers_404_when_other_citizen_asks():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    assert client_for(world.citizen).get(f"/api/v1/dossiers/{code}/").status_code == 200
    assert client_for(world.other_citizen).get(f"/api/v1/dossiers/{code}/").status_code == 404
    assert client_for().get(f"/api/v1/dossiers/{code}/").status_code in (401, 403)


def test_get_dossier_list_filters_by_status_and_overdue():
    world = make_world()
    first = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    post_dossier(world, files=[pdf_upload("b.pdf")])
    clerk = client_for(world.clerk)
    clerk.post(f"/api/v1/dossiers/{first}/actions/", {"action": "receive"}, format="json")
    listed = clerk.get("/api/v1/dossiers/", {"status": "received"}).json()
    assert [d["code"] for d in listed["results"]] == [first]
    assert clerk.get("/api/v1/dossiers/", {"overdue": "true"}).json()["count"] == 0
    later = (datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(days=60)).isoformat()
    assert clerk.get("/api/v1/dossiers/", {"due_before": later}).json()["count"] == 1
    assert client_for(world.district_clerk).get("/api/v1/dossiers/").json()["count"] == 0


def test_lookup_shows_progress_when_verifier_matches_and_404_otherwise():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    public = client_for()
    ok = public.get("/api/v1/lookup/", {"code": code, "verifier": "5678"})  # phone 0912345678
    assert ok.status_code == 200
    body = ok.json()
    assert body["status"] == "new" and body["procedure_name"] == world.procedure.name
    assert "Lê Văn An" not in str(body) and "0912345678" not in str(body)
    assert public.get("/api/v1/lookup/", {"code": code, "verifier": "1234"}).status_code == 200
    wrong = public.get("/api/v1/lookup/", {"code": code, "verifier": "0000"})
    unknown = public.get(
        "/api/v1/lookup/", {"code": "000.00.00.H02-260101-9999", "verifier": "0000"}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert wrong.headers["Content-Type"] == unknown.headers["Content-Type"]


def test_lookup_is_throttled(settings):
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    statuses = {
        client_for().get("/api/v1/lookup/", {"code": code, "verifier": "0000"}).status_code
        for _ in range(35)
    }
    assert 429 in statuses


def test_schema_lists_action_names_as_enum():
    response = client_for().get("/api/schema/", {"format": "json"})
    schema = response.json()
    action = schema["components"]["schemas"]["DossierActionInput"]["properties"]["action"]
    ref = action.get("$ref") or action["allOf"][0]["$ref"]
    enum = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["enum"]
    assert {"receive", "resolve", "apologize", "hand_off", "rate"} <= set(enum)


def test_document_download_only_for_users_who_see_the_dossier():
    world = make_world()
    body = post_dossier(world, files=[pdf_upload("don.pdf")]).json()
    url = body["documents"][0]["url"]
    # Issue 11: the API hands out its own route, which token clients can open too.
    assert url == f"/api/v1/dossiers/{body['code']}/documents/{body['documents'][0]['id']}/"
    from django.test import Client

    owner = Client()
    owner.force_login(world.citizen)
    response = owner.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    # Issue 11: a PDF is never rendered from the portal's origin, it downloads.
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"
    stranger = Client()
    stranger.force_login(world.other_citizen)
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 401  # the API asks for credentials
    assert DossierStatus.NEW == Dossier.objects.get().status


def test_get_dossier_list_runs_constant_queries(django_assert_max_num_queries):
    world = make_world()
    for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf"):
        post_dossier(world, files=[pdf_upload(name)])
    with django_assert_max_num_queries(3):
        response = client_for(world.clerk).get("/api/v1/dossiers/")
    assert response.json()["count"] == 4


def test_actions_accept_multipart_with_result_documents():
    world = make_world()
    code = post_dossier(world, files=[pdf_upload("a.pdf")]).json()["code"]
    url = f"/api/v1/dossiers/{code}/actions/"
    clerk = client_for(world.clerk)
    clerk.post(url, {"action": "receive"}, format="json")
    clerk.post(url, {"action": "start_processing"}, format="json")
    response = client_for(world.specialist).post(
        url,
        {"action": "resolve", "result": "approved", "documents": [pdf_upload("ket-qua.pdf")]},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "resolved" and body["outcome"] == "early"
    assert [d["kind"] for d in body["documents"]] == ["submitted", "result"]
    assert body["legs"][0]["to_agency"] == world.agency.name
