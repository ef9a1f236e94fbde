"""Files of a draft: shown by the one file view, removable by the applicant while a draft."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, DossierDocument, DossierEvent, DossierStatus
from dossiers.services import (
    DossierNotFound,
    TransitionForbidden,
    UploadedDocument,
    dossier_draft_remove_document,
    dossier_save_draft,
    dossier_submit_draft,
)
from tests.dossiers.conftest import pdf_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _draft(citizen, procedure, desk) -> Dossier:
    return dossier_save_draft(
        applicant=citizen,
        procedure=procedure,
        desk=desk,
        applicant_fields={"name": "Nguyễn Thị Hồng Nhung", "cccd": "077190001234"},
        form_data={},
        now=timezone.now(),
        documents=[
            UploadedDocument(name=f"{r.name}.pdf", content=pdf_bytes(), required_document_id=r.pk)
            for r in procedure.required_documents.order_by("position")
        ],
    )


def test_dossier_draft_remove_document_deletes_row_and_file_when_owner_removes_it(
    citizen, birth_procedure, commune_desk, django_capture_on_commit_callbacks
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    document = draft.documents.order_by("pk").first()
    stored = document.file.name
    later = timezone.now() + timezone.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier_draft_remove_document(
            dossier_id=draft.pk, actor=citizen, document_id=document.pk, now=later
        )
    assert len(callbacks) == 1
    assert not DossierDocument.objects.filter(pk=document.pk).exists()
    assert not default_storage.exists(stored)
    assert draft.documents.count() == 1
    assert Dossier.objects.get(pk=draft.pk).updated_at == later
    assert not DossierEvent.objects.filter(dossier=draft).exists()


def test_dossier_draft_remove_document_raises_not_found_when_actor_is_not_the_applicant(
    citizen, birth_procedure, commune_desk
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    document = draft.documents.first()
    stranger = make_user(cccd="077111111111", phone="0900000001")
    with pytest.raises(DossierNotFound):
        dossier_draft_remove_document(
            dossier_id=draft.pk, actor=stranger, document_id=document.pk, now=timezone.now()
        )
    assert DossierDocument.objects.filter(pk=document.pk).exists()


def test_dossier_draft_remove_document_raises_when_dossier_is_submitted(
    citizen, birth_procedure, commune_desk, django_capture_on_commit_callbacks
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit_draft(dossier_id=draft.pk, actor=citizen, now=timezone.now())
    document = draft.documents.first()
    with pytest.raises(TransitionForbidden):
        dossier_draft_remove_document(
            dossier_id=draft.pk, actor=citizen, document_id=document.pk, now=timezone.now()
        )
    assert DossierDocument.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(document.file.name)


def test_draft_remove_document_view_removes_the_file_when_owner_posts(
    client, citizen, birth_procedure, commune_desk
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    document = draft.documents.order_by("pk").first()
    client.force_login(citizen)
    page = client.get(reverse("dossiers:draft_edit", args=[draft.pk])).content.decode()
    url = reverse("dossiers:draft_remove_document", args=[draft.pk, document.pk])
    assert f'action="{url}"' in page and f'form="remove-file-{document.pk}"' in page
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response["Location"] == reverse("dossiers:draft_edit", args=[draft.pk])
    assert not DossierDocument.objects.filter(pk=document.pk).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Đã xóa tệp khỏi bản nháp." in page and document.original_name not in page


def test_draft_remove_document_view_answers_404_when_user_is_not_the_applicant(
    client, citizen, clerk, birth_procedure, commune_desk
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    document = draft.documents.first()
    url = reverse("dossiers:draft_remove_document", args=[draft.pk, document.pk])
    for user in (make_user(cccd="077111111111", phone="0900000001"), clerk):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert DossierDocument.objects.filter(pk=document.pk).exists()


def test_draft_remove_document_view_keeps_the_file_when_dossier_is_no_longer_a_draft(
    client, citizen, birth_procedure, commune_desk, django_capture_on_commit_callbacks
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_submit_draft(dossier_id=draft.pk, actor=citizen, now=timezone.now())
    document = draft.documents.first()
    client.force_login(citizen)
    response = client.post(
        reverse("dossiers:draft_remove_document", args=[draft.pk, document.pk]), follow=True
    )
    assert "không thể xóa tệp" in response.content.decode()
    assert DossierDocument.objects.filter(pk=document.pk).exists()
    assert Dossier.objects.get(pk=draft.pk).status == DossierStatus.NEW


def test_dossier_document_serves_a_draft_file_only_to_its_applicant_when_dossier_has_no_code(
    client, citizen, clerk, birth_procedure, commune_desk
):
    draft = _draft(citizen, birth_procedure, commune_desk)
    document = draft.documents.first()
    url = reverse("dossiers:dossier_document", args=[f"ban-nhap-{draft.pk}", document.pk])
    client.force_login(citizen)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    page = client.get(reverse("dossiers:draft_edit", args=[draft.pk])).content.decode()
    assert f'href="{url}"' in page and f'href="{url}?tai=1"' in page
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
