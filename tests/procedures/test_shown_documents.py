"""Documents to submit vs documents shown in person, and the short names of catalog lines
(issue 13): the online form asks only for what must be uploaded."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from procedures.models import OnlineLevel, Procedure, RequiredDocument
from procedures.parsing import document_is_shown, document_short_name
from procedures.services import procedures_import
from tests.factories import DEMO_PASSWORD, make_desk, make_user
from tests.procedures.records import raw_record

IDENTITY = (
    "- Hộ chiếu/Thẻ căn cước công dân/Thẻ căn cước/Căn cước điện tử/Giấy chứng nhận căn cước "
    "hoặc các giấy tờ khác có dán ảnh và thông tin cá nhân do cơ quan có thẩm quyền cấp, còn giá "
    "trị sử dụng (sau đây gọi tắt là giấy tờ tùy thân) để chứng minh về nhân thân khi làm thủ "
    "tục trực tiếp tại cơ quan đăng ký hộ tịch."
)
CERTIFICATE = (
    "- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản của người làm chứng "
    "xác nhận về việc sinh; nếu không có người làm chứng thì phải có giấy cam đoan về việc sinh."
)
BIRTH_DOCUMENTS = [
    {"group": "* Giấy tờ phải nộp:", "name": CERTIFICATE, "quantity": "1 bản chính"},
    {"group": "* Giấy tờ phải xuất trình:", "name": IDENTITY, "quantity": "1 bản chính"},
    {"group": "* Lưu ý:", "name": "- Ghi chú cho người nộp", "quantity": "0 bản chính"},
]


@pytest.mark.parametrize(
    ("group", "name", "shown"),
    [
        ("* Giấy tờ phải xuất trình:", IDENTITY, True),
        ("", IDENTITY, True),  # the line itself says it serves "khi làm thủ tục trực tiếp"
        ("* Giấy tờ phải nộp:", CERTIFICATE, False),
        ("", "Bản sao giấy tờ tùy thân", False),
    ],
)
def test_document_is_shown_reads_the_catalog_when_it_says_show_in_person(group, name, shown):
    assert document_is_shown(group=group, name=name) is shown


@pytest.mark.parametrize(
    ("name", "short"),
    [
        (CERTIFICATE, "Giấy chứng sinh"),
        (IDENTITY, "Giấy tờ tùy thân"),
        (
            "- Văn bản ủy quyền (được chứng thực) theo quy định của pháp luật trong trường hợp ủy"
            " quyền thực hiện việc đăng ký khai sinh.",
            "Văn bản ủy quyền (được chứng thực)",
        ),
        ("+ Tờ khai theo mẫu", "Tờ khai theo mẫu"),
    ],
)
def test_document_short_name_keeps_the_paper_when_the_catalog_line_explains_it(name, short):
    assert document_short_name(name) == short


def test_document_short_name_cuts_at_a_word_when_the_first_clause_is_long():
    name = "- Trường hợp " + "giấy tờ rất dài " * 12
    short = document_short_name(name)
    assert len(short) <= 91 and short.endswith("…") and not short.startswith("-")


@pytest.mark.django_db
def test_procedures_import_marks_shown_documents_and_short_names_when_the_catalog_has_them():
    procedures_import(raw_records=[raw_record(code="1.001193", required_documents=BIRTH_DOCUMENTS)])
    rows = list(Procedure.objects.get(code="1.001193").required_documents.order_by("position"))
    assert [(r.short_name, r.is_shown, r.is_note) for r in rows] == [
        ("Giấy chứng sinh", False, False),
        ("Giấy tờ tùy thân", True, False),
        ("Ghi chú cho người nộp", False, True),
    ]
    assert rows[1].name == IDENTITY  # the full text stays


@pytest.mark.django_db
def test_data_migration_classifies_rows_when_they_were_imported_before():
    procedures_import(raw_records=[raw_record(code="1.001193", required_documents=BIRTH_DOCUMENTS)])
    RequiredDocument.objects.update(is_shown=False, short_name="")
    migration = importlib.import_module(
        "procedures.migrations.0005_requireddocument_shown_short_name"
    )
    migration.classify_documents(django_apps, None)
    identity = RequiredDocument.objects.get(name=IDENTITY)
    assert identity.is_shown and identity.short_name == "Giấy tờ tùy thân"


@pytest.mark.django_db
def test_submit_form_does_not_ask_to_upload_documents_shown_in_person(client):
    procedures_import(raw_records=[raw_record(code="1.001193", required_documents=BIRTH_DOCUMENTS)])
    procedure = Procedure.objects.get(code="1.001193")
    procedure.is_published = True
    procedure.online_level = OnlineLevel.FULL
    procedure.save()
    make_desk()
    citizen = make_user(cccd="077190001234")
    client.login(username=citizen.username, password=DEMO_PASSWORD)
    response = client.get(reverse("dossiers:submit_start", args=[procedure.code]))
    assert response.status_code == 200
    page = response.content.decode()
    identity = RequiredDocument.objects.get(name=IDENTITY)
    certificate = RequiredDocument.objects.get(name=CERTIFICATE)
    assert f'name="doc_{identity.pk}"' not in page
    assert f'name="doc_{certificate.pk}"' in page
    assert "chỉ xuất trình khi làm thủ tục trực tiếp" in page and "Giấy tờ tùy thân" in page
    # The upload label is the short name; the catalog's paragraph is one tap away.
    assert f'<label for="id_doc_{certificate.pk}" class="required">Giấy chứng sinh</label>' in page
    assert "Nội dung đầy đủ theo danh mục" in page
