"""The first online submission without retyping or losing anything (issue 13, part A): forgiving
dates, files kept in the draft across errors, the desk defaulted from the residence and not
needed for a draft, the requester's relation filling that person's block, the error summary."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dossiers.declarations import declaration_fill_relation
from dossiers.forms import vn_date_field
from dossiers.models import Dossier, DossierDocument, DossierStatus
from dossiers.services import DossierValidationError, dossier_submit_draft
from onestop.models import Desk
from onestop.selectors import desk_default_for
from procedures.models import ProcedureLevel
from tests.dossiers.conftest import pdf_bytes
from tests.dossiers.test_views import BIRTH_FIELDS, _applicant, _slots
from tests.factories import DEMO_PASSWORD, make_desk, make_unit

# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["05/11/2026", "5/11/2026", "05112026", "05-11-2026", "05.11.2026", "2026-11-05"]
)
def test_vn_date_field_reads_the_fifth_of_november_when_typed_in_any_accepted_format(typed):
    assert vn_date_field().clean(typed) == datetime.date(2026, 11, 5)


@pytest.mark.parametrize("typed", ["5112026", "20261105", "31/02/2026", "05/13/2026", "hôm nay"])
def test_vn_date_field_names_the_format_when_the_date_is_not_one(typed):
    field = vn_date_field()
    with pytest.raises(Exception) as error:
        field.clean(typed)
    assert "ngày/tháng/năm, ví dụ 05/11/2026" in str(error.value)


def test_vn_date_field_shows_the_expected_format_when_rendered():
    field = vn_date_field(label="Ngày sinh")
    html = field.widget.render("d", None, attrs=field.widget_attrs(field.widget))
    assert 'inputmode="numeric"' in html and 'placeholder="dd/mm/yyyy"' in html
    assert "05112026" in str(field.help_text)


# --- the desk ----------------------------------------------------------------------------------


@pytest.fixture
def units(db):
    province = make_unit(name="Tỉnh Bà Rịa - Vũng Tàu", type_label="Tỉnh")
    city = make_unit(parent=province, name="Thành phố Vũng Tàu", type_label="Thành phố")
    other_district = make_unit(parent=province, name="Huyện Long Điền", type_label="Huyện")
    home = make_unit(parent=city, name="Phường Thắng Tam", type_label="Phường")
    other = make_unit(parent=other_district, name="Xã Tam An", type_label="Xã")
    desks = {unit: make_desk(unit=unit) for unit in (province, city, other_district, home, other)}
    return {"province": province, "city": city, "home": home, "other": other, "desks": desks}


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (ProcedureLevel.COMMUNE, "home"),
        (ProcedureLevel.DISTRICT, "city"),
        (ProcedureLevel.PROVINCE, "province"),
    ],
)
def test_desk_default_for_picks_the_residents_desk_when_the_procedure_has_that_level(
    units, level, expected
):
    desks = Desk.objects.filter(unit__level=level)
    desk = desk_default_for(desks=desks, residence=units["home"], level=level)
    assert desk == units["desks"][units[expected]]


def test_desk_default_for_leaves_the_choice_open_when_the_residence_is_unknown(units):
    desks = Desk.objects.filter(unit__level="commune")
    assert desk_default_for(desks=desks, residence=None, level="commune") is None


@pytest.mark.django_db
def test_submit_start_selects_the_desk_of_the_citizens_commune_when_the_profile_has_it(
    client, units, birth_procedure, citizen
):
    citizen.residence = units["home"]
    citizen.save()
    client.force_login(citizen)
    page = client.get(reverse("dossiers:submit_start", args=[birth_procedure.code])).content
    page = page.decode()
    home_desk = units["desks"][units["home"]]
    assert f'<option value="{home_desk.pk}" selected>' in page
    # Grouped by district, with the province in each group's label.
    assert 'optgroup label="Thành phố Vũng Tàu — Tỉnh Bà Rịa - Vũng Tàu"' in page
    assert "data-searchable" in page
    # The applicant's address is the street line plus the commune, district and province.
    assert "12 Hoàng Hoa Thám, Phường Thắng Tam, Phường Thắng Tam, Thành phố Vũng Tàu" in page


@pytest.fixture
def logged_in(client, citizen):
    client.login(username=citizen.username, password=DEMO_PASSWORD)
    return client


@pytest.mark.django_db
def test_draft_save_needs_no_desk_when_the_applicant_saves_before_choosing(
    logged_in, birth_procedure, commune_desk
):
    data = {**_applicant(commune_desk), "desk": "", "step": "save"}
    response = logged_in.post(reverse("dossiers:submit_start", args=[birth_procedure.code]), data)
    assert response.status_code == 302
    draft = Dossier.objects.get(status=DossierStatus.DRAFT)
    assert draft.desk is None


@pytest.mark.django_db
def test_draft_review_asks_for_the_desk_when_none_is_chosen(
    logged_in, birth_procedure, commune_desk, settings
):
    first, second = _slots(birth_procedure)
    data = {
        **_applicant(commune_desk),
        **BIRTH_FIELDS,
        "desk": "",
        "step": "review",
        first: SimpleUploadedFile("chung-sinh.pdf", pdf_bytes()),
        second: SimpleUploadedFile("cu-tru.pdf", pdf_bytes()),
    }
    response = logged_in.post(reverse("dossiers:submit_start", args=[birth_procedure.code]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_desk"' in page and "Chọn nơi tiếp nhận hồ sơ" in page
    # The files picked with the form are in the draft: the citizen does not pick them again.
    draft = Dossier.objects.get(status=DossierStatus.DRAFT)
    assert draft.documents.count() == 2
    assert "2 tệp đã tải lên vẫn được giữ trong bản nháp" in page
    with pytest.raises(DossierValidationError):
        dossier_submit_draft(dossier_id=draft.pk, actor=draft.applicant, now=draft.updated_at)


@pytest.mark.django_db
def test_draft_page_keeps_the_files_and_links_each_error_when_a_field_is_missing(
    logged_in, birth_procedure, commune_desk
):
    first, second = _slots(birth_procedure)
    data = {
        **_applicant(commune_desk),
        **BIRTH_FIELDS,
        "tk-mother_name": "",
        "step": "review",
        first: SimpleUploadedFile("chung-sinh.pdf", pdf_bytes()),
        second: SimpleUploadedFile("cu-tru.pdf", pdf_bytes()),
    }
    response = logged_in.post(reverse("dossiers:submit_start", args=[birth_procedure.code]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_tk-mother_name">Mẹ — Họ, chữ đệm và tên</a>' in page
    draft = Dossier.objects.get(status=DossierStatus.DRAFT)
    assert sorted(d.original_name for d in draft.documents.all()) == [
        "chung-sinh.pdf",
        "cu-tru.pdf",
    ]
    # Fixing the one field needs no file: the next post carries none and reaches the review.
    fixed = {**_applicant(commune_desk), **BIRTH_FIELDS, "step": "review"}
    response = logged_in.post(reverse("dossiers:draft_edit", args=[draft.pk]), fixed)
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:draft_review", args=[draft.pk])


# --- files stored as soon as they are picked ---------------------------------------------------


@pytest.mark.django_db
def test_draft_attach_stores_the_file_in_a_new_draft_when_it_is_the_first_thing_done(
    logged_in, birth_procedure, citizen
):
    first = _slots(birth_procedure)[0]
    url = reverse("dossiers:draft_attach", args=[birth_procedure.code])
    response = logged_in.post(
        url, {"slot": first, "file": SimpleUploadedFile("chứng sinh.pdf", pdf_bytes())}
    )
    assert response.status_code == 201
    answer = response.json()
    draft = Dossier.objects.get(pk=answer["draft"])
    assert draft.status == DossierStatus.DRAFT and draft.desk is None
    assert draft.applicant_name == citizen.full_name
    document = draft.documents.get()
    assert document.required_document_id == int(first.removeprefix("doc_"))
    assert document.original_name in answer["html"] and "Xem" in answer["html"]
    assert f"remove-file-{document.pk}" in answer["remove_form"]
    # The second file goes to the same draft.
    logged_in.post(url, {"slot": "doc_other", "file": SimpleUploadedFile("b.pdf", pdf_bytes())})
    assert draft.documents.count() == 2 and Dossier.objects.count() == 1


@pytest.mark.parametrize(
    ("slot", "name", "content", "message"),
    [
        ("doc_other", "virus.exe", b"MZ\x90\x00", "định dạng không được chấp nhận"),
        ("doc_other", "gia.pdf", b"not a pdf", "không phải là tệp PDF hợp lệ"),
        ("doc_999999", "a.pdf", None, "Ô tải lên không thuộc thủ tục này"),
    ],
)
@pytest.mark.django_db
def test_draft_attach_answers_400_and_stores_nothing_when_the_file_or_slot_is_wrong(
    logged_in, birth_procedure, slot, name, content, message
):
    upload = SimpleUploadedFile(name, content if content is not None else pdf_bytes())
    response = logged_in.post(
        reverse("dossiers:draft_attach", args=[birth_procedure.code]),
        {"slot": slot, "file": upload},
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert DossierDocument.objects.count() == 0


@pytest.mark.django_db
def test_draft_attach_refuses_when_the_user_is_signed_out(client, birth_procedure):
    response = client.post(
        reverse("dossiers:draft_attach", args=[birth_procedure.code]),
        {"slot": "doc_other", "file": SimpleUploadedFile("a.pdf", pdf_bytes())},
    )
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
    assert Dossier.objects.count() == 0


# --- the requester's relation ------------------------------------------------------------------


def test_declaration_fill_relation_copies_the_requester_into_the_fathers_block_when_cha():
    data = {
        "requester_relation": "cha",
        "requester_name": "Trần Văn Hùng",
        "requester_id_number": "077090001111",
        "requester_residence": "12 Hoàng Hoa Thám",
        "father_name": "",
    }
    filled = declaration_fill_relation(data)
    assert filled["father_name"] == "Trần Văn Hùng"
    assert filled["father_id_number"] == "077090001111"
    assert filled["father_residence"] == "12 Hoàng Hoa Thám"
    assert "mother_name" not in filled


def test_declaration_fill_relation_keeps_what_was_typed_when_the_block_is_filled():
    data = {"requester_relation": "me", "requester_name": "A", "mother_name": "B"}
    assert declaration_fill_relation(data)["mother_name"] == "B"
    assert declaration_fill_relation({"requester_relation": "ong", "requester_name": "A"}) == {
        "requester_relation": "ong",
        "requester_name": "A",
    }


@pytest.mark.django_db
def test_draft_save_fills_the_fathers_block_when_the_requester_is_the_father(
    logged_in, birth_procedure, commune_desk
):
    data = {
        **_applicant(commune_desk),
        **BIRTH_FIELDS,
        "tk-requester_relation": "cha",
        "tk-requester_name": "Trần Văn Hùng",
        "tk-requester_id_number": "077090001111",
        "tk-father_name": "",
        "tk-father_id_number": "",
        "step": "save",
    }
    logged_in.post(reverse("dossiers:submit_start", args=[birth_procedure.code]), data)
    form_data = Dossier.objects.get().form_data
    assert form_data["father_name"] == "Trần Văn Hùng"
    assert form_data["father_id_number"] == "077090001111"
