"""The importer and exporter: atomic files, idempotent re-imports, CSV/JSON round trips."""

import gzip
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from procedures.exchange import procedure_record, read_records, write_records
from procedures.models import Procedure, RequiredDocument, Sector, SubmissionMethod, TimeUnit
from procedures.services import ImportAborted, procedure_save, procedures_import
from tests.procedures.records import raw_record

pytestmark = pytest.mark.django_db


def _snapshot() -> list[dict]:
    procedures = Procedure.objects.select_related("sector").prefetch_related(
        "submission_methods", "required_documents"
    )
    rows = []
    for procedure in procedures.order_by("code"):
        row = procedure_record(procedure)
        row.update(
            search_name=procedure.search_name,
            search_text=procedure.search_text,
            agency_name=procedure.agency_name,
            applicant_kinds=procedure.applicant_kinds,
            source_hash=procedure.source_hash,
        )
        rows.append(row)
    return rows


def test_procedures_import_creates_rows_when_records_are_new():
    report = procedures_import(raw_records=[raw_record(code="1.001193"), raw_record()])
    assert len(report.created) == 2
    procedure = Procedure.objects.get(code="1.001193")
    assert procedure.sector.name == "Hộ tịch"
    assert (procedure.processing_time_amount, procedure.processing_time_unit) == (
        Decimal("3.00"),
        TimeUnit.WORKING_DAYS,
    )
    assert procedure.accepts_dossiers
    assert procedure.submission_methods.count() == 2
    documents = list(procedure.required_documents.all())
    assert [
        (d.name, d.quantity, d.original_or_copy, d.is_required, d.is_note) for d in documents
    ] == [
        ("Tờ khai theo mẫu", "1", "Bản chính", True, False),
        ("Ghi chú cho người nộp", "0 bản chính", "", False, True),
    ]
    assert procedure.search_text.startswith(" ") and " ho tich " in procedure.search_text


def test_procedures_import_changes_nothing_when_same_file_imported_again():
    records = [raw_record(), raw_record(), raw_record()]
    procedures_import(raw_records=records)
    before = _snapshot()
    stamps = dict(Procedure.objects.values_list("code", "updated_at"))
    report = procedures_import(raw_records=records)
    assert (report.created, report.updated, len(report.unchanged)) == ([], [], 3)
    assert _snapshot() == before
    assert dict(Procedure.objects.values_list("code", "updated_at")) == stamps


def test_procedures_import_updates_only_changed_record_when_source_changes():
    first, second = raw_record(), raw_record()
    procedures_import(raw_records=[first, second])
    document_ids = list(
        RequiredDocument.objects.filter(procedure__code=first["code"]).values_list("id", flat=True)
    )
    first["name"] = "Thủ tục đã đổi tên"
    first["required_documents"][0]["quantity"] = "2 bản chính"
    report = procedures_import(raw_records=[first, second])
    assert report.updated == [first["code"]] and report.unchanged == [second["code"]]
    procedure = Procedure.objects.get(code=first["code"])
    assert procedure.name == "Thủ tục đã đổi tên" and "da doi ten" in procedure.search_name
    # Documents are updated in place: dossier documents pointing at them keep their link.
    assert list(procedure.required_documents.values_list("id", flat=True)) == document_ids
    assert procedure.required_documents.first().quantity == "2"


def test_procedures_import_imports_nothing_when_one_record_is_broken():
    good = raw_record()
    broken = raw_record(code="1.000894")
    broken["submission_methods"][0]["channel"] = "Fax"
    with pytest.raises(ImportAborted) as caught:
        procedures_import(raw_records=[good, broken])
    assert caught.value.index == 2 and caught.value.code == "1.000894"
    assert "Fax" in str(caught.value) and "Không nhập bản ghi nào" in str(caught.value)
    assert not Procedure.objects.exists() and not Sector.objects.exists()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"name": ""}, "thiếu tên thủ tục"),
        ({"submission_methods": "không phải danh sách"}, "không phải JSON hợp lệ"),
        ({"required_documents": [{"name": "", "quantity": "1"}]}, "không có tên"),
        ({"code": "9" * 40}, "dài quá 32"),
        ({"source_url": "ftp://x"}, "đường dẫn nguồn"),
        ({"level": "ward"}, "cấp thực hiện"),
    ],
)
def test_procedures_import_names_record_and_reason_when_record_is_broken(change, reason):
    with pytest.raises(ImportAborted) as caught:
        procedures_import(raw_records=[raw_record(), raw_record(**change)])
    assert caught.value.index == 2 and reason in str(caught.value)
    assert not Procedure.objects.exists()


def test_procedures_import_skips_duplicate_when_record_repeats_exactly():
    record = raw_record()
    report = procedures_import(raw_records=[record, record])
    assert len(report.created) == 1
    assert report.skipped == [(record["code"], "bản ghi số 2 trùng lặp hoàn toàn")]


def test_procedures_import_aborts_when_same_code_has_different_content():
    record = raw_record()
    with pytest.raises(ImportAborted, match="trùng mã"):
        procedures_import(raw_records=[record, {**record, "name": "Khác"}])


def test_procedures_import_gives_stable_local_code_when_record_has_none():
    record = raw_record(code="", implementing_agency="Công an Xã", name="Đăng ký thường trú")
    procedures_import(raw_records=[record])
    code = Procedure.objects.get().code
    assert code.startswith("BRVT.")
    report = procedures_import(raw_records=[record])
    assert report.unchanged == [code]


def test_procedures_import_reports_unparsed_time_when_source_has_bare_number():
    record = raw_record(code="1.000894", processing_time="1")
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    report = procedures_import(raw_records=[record])
    assert report.unparsed_times == [("1.000894", "1")]
    procedure = Procedure.objects.get()
    assert procedure.processing_time_unit == "" and not procedure.accepts_dossiers


def test_procedures_import_keeps_admin_time_when_source_text_unchanged():
    record = raw_record(processing_time="1")
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    procedures_import(raw_records=[record])
    procedure = Procedure.objects.get()
    procedure.processing_time_amount, procedure.processing_time_unit = 1, TimeUnit.WORKING_DAYS
    procedure_save(procedure=procedure)
    record["steps"] = "- Bước 1: nội dung mới."
    report = procedures_import(raw_records=[record])
    assert report.updated == [record["code"]]
    procedure.refresh_from_db()
    assert procedure.processing_time_unit == TimeUnit.WORKING_DAYS and procedure.accepts_dossiers


def test_procedure_save_refreshes_search_text_when_admin_renames():
    procedures_import(raw_records=[raw_record()])
    procedure = Procedure.objects.get()
    procedure.name = "Cấp Giấy phép xây dựng nhà ở riêng lẻ"
    procedure_save(procedure=procedure)
    procedure.refresh_from_db()
    assert procedure.search_name == " cap giay phep xay dung nha o rieng le "


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_restores_identical_catalog_when_database_empty(tmp_path, fmt):
    odd = raw_record(code="", name="Đăng ký tạm trú", implementing_agency="Công an Xã")
    odd["required_documents"][0]["form_url"] = "https://csdl.dichvucong.gov.vn/mau.docx"
    odd["required_documents"].append(
        {"group": "", "name": "Văn bản ủy quyền (nếu có)", "quantity": "1 bản sao"}
    )
    procedures_import(raw_records=[raw_record(), odd, raw_record(field="Đất đai")])
    assert RequiredDocument.objects.filter(is_required=False, is_note=False).count() == 1
    assert RequiredDocument.objects.filter(is_note=True).count() == 3
    Procedure.objects.filter(code__startswith="8.").update(
        level="commune", is_published=True, online_level="full"
    )
    unparsed = Procedure.objects.filter(code__startswith="8.").first()
    unparsed.same_day_cutoff = "15:00"
    unparsed.processing_time_unit = TimeUnit.SAME_DAY
    unparsed.save()
    before = _snapshot()
    path = tmp_path / f"catalog.{fmt}"
    call_command("export_procedures", str(path), "--format", fmt)
    SubmissionMethod.objects.all().delete()
    RequiredDocument.objects.all().delete()
    Procedure.objects.all().delete()
    Sector.objects.all().delete()
    call_command("import_procedures", str(path), "--format", fmt)
    assert _snapshot() == before
    report = procedures_import(raw_records=read_records(path, fmt=fmt))
    assert report.created == [] and report.updated == []


def test_procedures_import_marks_notes_and_conditional_documents_when_national_data_mixes_them():
    record = raw_record(
        required_documents=[
            {"group": "Giấy tờ phải nộp", "name": "Tờ khai", "quantity": "1 bản chính"},
            {"group": "", "name": "Lưu ý: xuất trình CCCD", "quantity": "0 bản chính"},
            {"group": "* Lưu ý:", "name": "Nộp thêm bản sao", "quantity": "1 bản sao"},
            {
                "group": "",
                "name": "- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản",
                "quantity": "1 bản chính",
            },
            {"group": "", "name": "Văn bản ủy quyền (nếu có)", "quantity": "1 bản sao"},
        ]
    )
    procedures_import(raw_records=[record])
    rows = RequiredDocument.objects.order_by("position").values_list("is_required", "is_note")
    assert list(rows) == [
        (True, False),
        (False, True),
        (False, True),
        (False, False),
        (False, False),
    ]


def test_procedures_import_reads_old_exports_when_is_note_is_absent():
    record = raw_record(
        required_documents=[
            {"name": "Tờ khai", "quantity": "1", "original_or_copy": "Bản chính"},
            {
                "name": "Ghi chú",
                "quantity": "0 bản chính",
                "original_or_copy": "",
                "is_required": False,
            },
        ]
    )
    procedures_import(raw_records=[record])
    rows = RequiredDocument.objects.order_by("position").values_list("is_required", "is_note")
    assert list(rows) == [(True, False), (False, True)]


def test_import_command_reads_gzip_json_and_prints_summary_when_file_valid(tmp_path, capsys):
    path = tmp_path / "records.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        json.dump([raw_record(), raw_record()], handle, ensure_ascii=False)
    call_command("import_procedures", str(path))
    out = capsys.readouterr().out
    assert "100% (2/2)" in out and "Tạo mới: 2" in out
    call_command("import_procedures", str(path))
    assert "Tạo mới: 0 · Cập nhật: 0 · Không đổi: 2" in capsys.readouterr().out


def test_import_command_fails_with_record_name_when_file_has_broken_record(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([raw_record(), raw_record(code="1.0001", name="")]))
    with pytest.raises(CommandError, match=r"Bản ghi số 2 \(mã 1.0001\): thiếu tên thủ tục"):
        call_command("import_procedures", str(path))
    assert not Procedure.objects.exists()


def test_write_records_writes_only_published_when_filtered(tmp_path):
    procedures_import(raw_records=[raw_record(code="8.1"), raw_record(code="8.2")])
    Procedure.objects.filter(code="8.1").update(is_published=True)
    path = tmp_path / "out.json"
    count = write_records(path, fmt="json", queryset=Procedure.objects.filter(is_published=True))
    assert count == 1 and [r["code"] for r in json.loads(path.read_text())] == ["8.1"]


def test_procedures_import_sets_same_day_cutoff_when_steps_name_the_hour():
    record = raw_record(code="1.001193", processing_time="1")
    record["steps"] = (
        "- Nếu tiếp nhận hồ sơ sau 15 giờ thì trả kết quả trong ngày làm việc tiếp theo."
    )
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    procedures_import(raw_records=[record])
    procedure = Procedure.objects.get()
    assert procedure.processing_time_unit == TimeUnit.SAME_DAY
    assert procedure.same_day_cutoff.strftime("%H:%M") == "15:00"
