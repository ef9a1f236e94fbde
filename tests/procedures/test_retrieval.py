"""The retrieval engine's language handling: spellings, specialised variants, confidence, and the
shipped vector file."""

import numpy as np
import pytest

from procedures.models import ProcedureLevel
from procedures.retrieval.engine import search
from procedures.retrieval.models import ProcedureVector
from procedures.retrieval.text import normalise, words
from procedures.retrieval.vectors import vectors_cache_read, vectors_cache_write, vectors_compute
from procedures.services import procedure_save
from tests.factories import make_procedure, make_sector


def test_words_write_out_citizens_spellings_when_typed_short_or_with_i():
    assert words("ĐK kết hôn") == ["dang", "ky", "ket", "hon"]
    assert words("đăng kí tạm trú") == ["dang", "ky", "tam", "tru"]
    assert words("xin lí lịch tư pháp") == ["xin", "ly", "lich", "tu", "phap"]
    assert normalise(["lam", "cccd"]) == ["lam", "can", "cuoc", "cong", "dan"]


@pytest.fixture
def variants(db):
    civil = make_sector(code="ho-tich", name="Hộ tịch")
    made = {}
    for code, name in [
        ("1.001193", "Thủ tục đăng ký khai sinh"),
        ("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài"),
        ("1.004884", "Thủ tục đăng ký lại khai sinh"),
        ("1.000894", "Thủ tục đăng ký kết hôn"),
    ]:
        procedure = make_procedure(code=code, name=name, sector=civil)
        procedure.is_published = True
        procedure.level = ProcedureLevel.COMMUNE
        procedure_save(procedure=procedure)
        made[code] = procedure
    return made


def test_search_prefers_plain_procedure_when_question_names_no_specialisation(variants):
    assert search("dk khai sinh cho con").hits[0].code == "1.001193"
    assert search("khai sinh cho con có yếu tố nước ngoài").hits[0].code == "2.000528"
    assert search("đăng ký lại khai sinh").hits[0].code == "1.004884"


def test_search_is_confident_when_question_names_procedure_and_not_when_off_topic(variants):
    assert search("làm khai sinh cho con").confidence >= 0.5
    assert search("thời tiết ngày mai có mưa không").confidence < 0.5


def test_search_prefers_procedure_citizens_apply_for_when_organisations_have_a_twin(db):
    land = make_sector(code="dat-dai", name="Đất đai")
    for code, name, applicants in [
        (
            "1.012753",
            "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu đối với tổ chức",
            ["Doanh nghiệp"],
        ),
        (
            "1.013978",
            "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu đối với hộ gia đình, cá nhân",
            ["Công dân Việt Nam"],
        ),
    ]:
        procedure = make_procedure(code=code, name=name, sector=land)
        procedure.is_published = True
        procedure.applicant_types = applicants
        procedure_save(procedure=procedure)
    assert search("xin giấy chứng nhận quyền sử dụng đất lần đầu").hits[0].code == "1.013978"


def test_search_is_not_confident_when_folded_syllables_match_by_accident(variants):
    school = make_sector(code="giao-duc", name="Giáo dục")
    procedure = make_procedure(
        code="BRVT.5D641251", name="Xét đặc cách tốt nghiệp trung học phổ thông", sector=school
    )
    procedure.is_published = True
    procedure_save(procedure=procedure)
    assert search("cách nấu phở").confidence < 0.5
    assert search("xét đặc cách tốt nghiệp").confidence >= 0.5


def test_vectors_compute_takes_shipped_vector_when_text_unchanged(variants, tmp_path):
    vectors_compute()
    path = tmp_path / "vectors.npz"
    assert vectors_cache_write(path) == 4
    stored = {v.procedure_id: bytes(v.vector) for v in ProcedureVector.objects.all()}
    ProcedureVector.objects.all().delete()
    counts = vectors_compute(cache=vectors_cache_read(path))
    assert counts["computed"] == 0 and counts["cached"] == 4
    for vector in ProcedureVector.objects.all():
        again = np.frombuffer(bytes(vector.vector), dtype=np.float32)
        before = np.frombuffer(stored[vector.procedure_id], dtype=np.float32)
        assert float(again @ before) > 0.999  # float16 in the file
