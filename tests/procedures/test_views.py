"""Catalog pages: list with facets and pagination, detail, print view, sector index."""

import pytest
from django.urls import reverse

from accounts.models import Role
from procedures.models import Procedure
from procedures.retrieval.engine import get_index
from procedures.services import procedures_import
from tests.factories import make_user
from tests.procedures.records import raw_record

pytestmark = pytest.mark.django_db


def _catalog(n: int) -> None:
    procedures_import(raw_records=[raw_record() for _ in range(n)])
    Procedure.objects.update(is_published=True, level="commune", online_level="full")


@pytest.mark.parametrize("size", [2, 45])
def test_procedure_list_view_runs_bounded_queries_whatever_catalog_size(
    client, size, django_assert_max_num_queries
):
    _catalog(size)
    get_index()  # the engine's index is built once per process, not per request
    # page with its count, its sectors, six facet queries; no session for anonymous visitors.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("procedures:list"), {"q": "thu tuc", "level": "commune"})
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == size


def test_procedure_list_view_shows_search_results_and_facets_when_query_given(client):
    procedures_import(
        raw_records=[
            raw_record(code="1.001193", name="Thủ tục đăng ký khai sinh"),
            raw_record(code="1.000894", name="Thủ tục đăng ký kết hôn"),
        ]
    )
    Procedure.objects.update(is_published=True, level="commune", online_level="full")
    response = client.get(reverse("procedures:list"), {"q": "KHAI SINH"})
    content = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in content and "kết hôn" not in content
    assert "Cấp xã" in content and 'class="facet-count"' in content


def test_procedure_list_view_ignores_invalid_filter_when_link_is_bad(client):
    _catalog(2)
    response = client.get(reverse("procedures:list"), {"level": "ward", "page": "99"})
    assert response.status_code == 200 and response.context["page_obj"].paginator.count == 2


def test_procedure_detail_view_shows_every_section_and_submit_button_when_online(client):
    record = raw_record(code="1.001193", name="Thủ tục đăng ký khai sinh")
    record["required_documents"][0]["form_url"] = "https://csdl.dichvucong.gov.vn/mau.docx"
    procedures_import(raw_records=[record])
    Procedure.objects.update(is_published=True, level="commune", online_level="full")
    content = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
    for text in (
        "Trình tự thực hiện",
        "Cách thức thực hiện",
        "Thành phần hồ sơ",
        "Căn cứ pháp lý",
        "Kết quả thực hiện",
        "Yêu cầu, điều kiện",
        "mức độ 4",
        "3 ngày làm việc",
        "Tải mẫu",
        "60/2014/QH13",
    ):
        assert text in content, text
    assert 'href="/ho-so/nop/1.001193/"' in content
    assert '<ol class="procedure-steps">' in content and "Nộp hồ sơ." in content


def test_procedure_detail_view_hides_submit_button_when_time_unknown(client):
    record = raw_record(code="1.000894", processing_time="1")
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    procedures_import(raw_records=[record])
    Procedure.objects.update(is_published=True, online_level="full")
    content = client.get(reverse("procedures:detail", args=["1.000894"])).content.decode()
    assert "/ho-so/nop/1.000894/" not in content
    assert "Chưa xác định thời hạn, chưa nhận hồ sơ" in content
    assert "chưa có thông tin" in content
    assert "nguồn ghi" not in content  # data quality is for staff, not for citizens


def test_procedure_detail_view_shows_the_source_text_when_staff_reads_an_unparsed_time(client):
    record = raw_record(code="1.000894", processing_time="1")
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    procedures_import(raw_records=[record])
    Procedure.objects.update(is_published=True, online_level="full")
    client.force_login(make_user(role=Role.CLERK))
    content = client.get(reverse("procedures:detail", args=["1.000894"])).content.decode()
    assert "nguồn ghi" in content and "“1”" in content


def test_procedure_detail_view_shows_time_fee_and_a_sticky_submit_when_online(client):
    record = raw_record(code="1.001193", name="Thủ tục đăng ký khai sinh")
    procedures_import(raw_records=[record])
    Procedure.objects.update(is_published=True, level="commune", online_level="full")
    content = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
    facts = content[
        content.index('class="procedure-facts"') : content.index(
            "</dl>", content.index('class="procedure-facts"')
        )
    ]
    assert "3 ngày làm việc" in facts and "Phí, lệ phí" in facts
    assert 'class="submit-sticky' in content
    assert content.count('href="/ho-so/nop/1.001193/"') == 2


def test_procedure_detail_view_returns_404_when_code_unknown(client):
    assert client.get(reverse("procedures:detail", args=["0.0"])).status_code == 404


def test_procedure_print_view_uses_print_stylesheet_when_printing(client):
    _catalog(1)
    code = Procedure.objects.get().code
    content = client.get(reverse("procedures:print", args=[code])).content.decode()
    assert "procedures-print.css" in content and "site-header" not in content


def test_sector_list_view_lists_counts_per_level_when_catalog_published(client):
    _catalog(3)
    response = client.get(reverse("procedures:sectors"))
    content = response.content.decode()
    assert "Hộ tịch" in content and "?sector=ho-tich&amp;level=commune" in content


def test_procedure_detail_view_lists_notes_below_the_table_when_catalog_has_notes(client):
    record = raw_record(code="1.001193", name="Thủ tục đăng ký khai sinh")
    record["required_documents"].append(
        {"group": "", "name": "Văn bản ủy quyền (nếu có)", "quantity": "1 bản sao"}
    )
    procedures_import(raw_records=[record])
    Procedure.objects.update(is_published=True, level="commune", online_level="full")
    content = client.get(reverse("procedures:detail", args=["1.001193"])).content.decode()
    table = content[content.index('class="table documents-table') :]
    table, after = table.split("</table>", 1)
    assert "Tờ khai theo mẫu" in table and "Ghi chú cho người nộp" not in table
    assert "Văn bản ủy quyền (nếu có)" in table and "Nộp nếu thuộc trường hợp này" in table
    notes = after[: after.index("</section>")]
    assert "Lưu ý khi chuẩn bị hồ sơ" in notes and "Ghi chú cho người nộp" in notes


def test_procedure_detail_view_keeps_staff_and_citizen_views_apart_when_cached(client, settings):
    settings.CATALOG_CACHE_SECONDS = 300
    record = raw_record(code="1.000894", processing_time="1")
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    procedures_import(raw_records=[record])
    Procedure.objects.update(is_published=True, online_level="full")
    url = reverse("procedures:detail", args=["1.000894"])
    assert "nguồn ghi" not in client.get(url).content.decode()  # cached for citizens
    client.force_login(make_user(role=Role.CLERK))
    assert "nguồn ghi" in client.get(url).content.decode()
    client.logout()
    assert "nguồn ghi" not in client.get(url).content.decode()
