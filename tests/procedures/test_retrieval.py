"""The retrieval engine's language handling: spellings, specialised variants, confidence, and the
shipped vector file."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from procedures.models import ProcedureLevel
from procedures.retrieval.engine import longest_run, question_runs, search
from procedures.retrieval.lexicon import compile_terms, done_words, expand
from procedures.retrieval.models import ColloquialTerm, ProcedureVector
from procedures.retrieval.services import lexicon_load
from procedures.retrieval.text import (
    BREAK,
    Speller,
    for_service_people,
    marked_words,
    normalise,
    specialised_in,
    words,
)
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


def _published(code: str, name: str, sector, level: str = ProcedureLevel.COMMUNE):
    procedure = make_procedure(code=code, name=name, sector=sector)
    procedure.is_published = True
    procedure.level = level
    procedure_save(procedure=procedure)
    return procedure


def _expanded(question: str, terms) -> list[str]:
    tokens, marks = marked_words(question)
    return expand(tokens, terms, marks)[1]


def test_expand_skips_term_when_typed_diacritics_differ_and_matches_when_typed_without():
    terms = compile_terms([("sạp", "hộ kinh doanh"), ("cần", "xin")])
    assert _expanded("Tạm vắng sắp hết hạn thì CĂN nhà để trống", terms) == []
    assert sorted(_expanded("sap cho thue can nha", terms)) == ["hộ kinh doanh", "xin"]
    # Dropped marks are forgiven, and where the tone sits does not matter.
    terms = compile_terms([("đăng ký hòa giải", "hòa giải")])
    assert _expanded("đang ky hoà giải", terms) == ["hòa giải"]


def test_expand_counts_overlapping_terms_but_not_one_inside_another():
    terms = compile_terms(
        [
            ("đăng ký xe", "đăng ký xe"),
            ("xe máy", "mô tô"),
            ("giấy độc thân", "x"),
            ("độc thân", "y"),
        ]
    )
    assert _expanded("đăng ký xe máy", terms) == ["đăng ký xe", "mô tô"]
    assert _expanded("xin giấy độc thân", terms) == ["x"]


def test_search_ignores_asking_phrases_when_they_match_another_procedure(db):
    civil = make_sector(code="ho-tich", name="Hộ tịch")
    _published("1.000656", "Thủ tục đăng ký khai tử", civil)
    _published("9.000001", "Miễn lệ phí cấp giấy tờ, hướng dẫn nộp ở đâu bao lâu", civil)
    question = "cho mình hỏi khai tử cần giấy tờ gì, lệ phí bao nhiêu, nộp ở đâu, mất bao lâu"
    assert search(question).hits[0].code == "1.000656"
    assert search("khai tu can giay to gi le phi bao nhieu nop o dau").hits[0].code == "1.000656"


def test_search_shows_one_level_when_names_differ_by_level_suffix_only(db):
    travel = make_sector(code="xuat-nhap-canh", name="Xuất nhập cảnh")
    commune = _published("1.000001", "Trình báo mất hộ chiếu (thực hiện tại cấp xã)", travel)
    province = _published(
        "1.000002",
        "Trình báo mất hộ chiếu (thực hiện tại cấp tỉnh)",
        travel,
        ProcedureLevel.PROVINCE,
    )
    hits = search("bị mất hộ chiếu").hits
    assert [h.code for h in hits] == ["1.000001"]
    assert hits[0].procedure_id == commune.id and hits[0].other_levels == (province.id,)


def test_search_reads_child_age_and_lexicon_loss_when_question_states_them(db):
    identity = make_sector(code="can-cuoc", name="Căn cước")
    _published("1.014061", "Cấp thẻ căn cước cho người từ đủ 14 tuổi trở lên", identity)
    _published("1.014062", "Cấp thẻ căn cước cho người dưới 14 tuổi", identity)
    _published("1.014064", "Cấp lại thẻ căn cước", identity)
    assert search("làm căn cước").hits[0].code == "1.014061"
    assert search("lam can cuoc cho con gai 9 tuoi").hits[0].code == "1.014062"
    ColloquialTerm.objects.create(phrase="đánh rơi", expansion="bị mất cấp lại")
    assert search("đánh rơi căn cước").hits[0].code == "1.014064"


def test_expand_skips_one_filler_word_inside_a_phrase_but_not_before_it_or_two():
    terms = compile_terms([("nâng tầng", "sửa chữa cải tạo"), ("sửa nhà", "sửa chữa cải tạo")])
    assert _expanded("định nâng thêm tầng cho quán", terms) == ["sửa chữa cải tạo"]
    assert _expanded("sửa lại nhà bếp", terms) == ["sửa chữa cải tạo"]
    assert _expanded("nâng thêm một tầng", terms) == []  # "một" is not a filler
    assert _expanded("nâng thêm lại tầng", terms) == []  # one filler at most


def test_search_prefers_citizens_procedure_when_name_says_for_organisations_unless_asked(db):
    identity = make_sector(code="dinh-danh", name="Định danh điện tử")
    _published("3.000001", "Cấp tài khoản định danh điện tử cho cơ quan, tổ chức", identity)
    _published("3.000002", "Cấp tài khoản định danh điện tử mức độ 2 cho công dân", identity)
    _published("3.000003", "Cấp tài khoản định danh điện tử đối với tổ chức, cá nhân", identity)
    assert search("tạo tài khoản định danh điện tử").hits[0].code != "3.000001"
    assert search("cấp tài khoản định danh điện tử cho tổ chức").hits[0].code == "3.000001"


def test_search_prefers_usual_procedure_when_name_says_no_permission_needed(db):
    land = make_sector(code="dat-dai", name="Đất đai")
    _published("1.000011", "Chuyển mục đích sử dụng đất không phải xin phép", land)
    _published("1.000012", "Chuyển mục đích sử dụng đất", land)
    assert search("xin chuyển mục đích sử dụng đất vườn").hits[0].code == "1.000012"
    assert search("chuyển mục đích không phải xin phép").hits[0].code == "1.000011"


def test_search_prefers_registration_over_a_step_towards_it_unless_named(db):
    residence = make_sector(code="cu-tru", name="Cư trú")
    _published("1.000021", "Xác nhận chỗ ở hợp pháp để đăng ký thường trú", residence)
    _published("1.000022", "Đăng ký thường trú", residence)
    assert search("đăng ký thường trú ở căn nhà vừa xây xong").hits[0].code == "1.000022"
    assert search("xác nhận chỗ ở hợp pháp").hits[0].code == "1.000021"


def test_search_with_shipped_lexicon_renews_damaged_card_and_reissues_lost_one(db):
    entries = json.loads((Path(settings.BASE_DIR) / "data/assistant_lexicon.json").read_text())
    lexicon_load(entries=entries["terms"])
    identity = make_sector(code="can-cuoc", name="Căn cước")
    _published("1.014063", "Cấp đổi thẻ căn cước", identity)
    _published("1.014064", "Cấp lại thẻ căn cước", identity)
    assert search("thẻ căn cước của tôi bị rách mép").hits[0].code == "1.014063"
    assert search("thẻ căn cước bị nhòe ảnh").hits[0].code == "1.014063"
    assert search("lỡ làm mất thẻ căn cước hôm qua").hits[0].code == "1.014064"


def test_search_counts_a_name_listing_the_plain_action_first_as_the_plain_procedure(db):
    insurance = make_sector(code="bhxh", name="Bảo hiểm xã hội")
    _published("1.002179", "Đăng ký, đăng ký lại, điều chỉnh đóng BHXH tự nguyện", insurance)
    _published("1.001613", "Giải quyết hưởng bảo hiểm xã hội một lần", insurance)
    assert search("đóng bảo hiểm xã hội tự nguyện").hits[0].code == "1.002179"


def test_expand_leaves_out_a_circumstance_clause_term_only_when_the_request_has_one():
    terms = compile_terms([("tách hộ khẩu", "tách hộ"), ("cưới", "đăng ký kết hôn")])
    assert _expanded("tách hộ khẩu riêng sau khi cưới", terms) == ["tách hộ"]
    assert _expanded("sau khi cưới thì làm gì", terms) == ["đăng ký kết hôn"]
    # The clause ends where the request starts again ("muốn", "thì").
    assert sorted(_expanded("sau khi cưới muốn tách hộ khẩu", terms)) == [
        "tách hộ",
    ]
    assert sorted(_expanded("cưới xong thì tách hộ khẩu", terms)) == [
        "tách hộ",
        "đăng ký kết hôn",
    ]


def test_longest_run_counts_content_words_of_the_name_in_order_in_the_question():
    runs = question_runs([words("xoa dang ky thuong tru khi chuyen di")])
    assert longest_run(tuple(words("Xóa đăng ký thường trú")), runs) == 4  # "dang" asks
    assert longest_run(tuple(words("Xóa đăng ký")), runs) == 2
    assert longest_run(tuple(words("Đăng ký thường trú cho người")), runs) == 3
    assert longest_run(tuple(words("Trú thường xóa")), runs) == 0  # one word at a time
    broken = question_runs([["xoa", "dang", BREAK, "ky", "thuong"]])
    assert longest_run(tuple(words("xóa đăng ký thường")), broken) == 2  # never across a BREAK


def test_search_does_not_discount_a_procedure_for_foreigners_when_the_question_is_about_one(db):
    nationality = make_sector(code="quoc-tich", name="Quốc tịch")
    procedure = _published("2.002039", "Nhập quốc tịch Việt Nam ở trong nước", nationality)
    _published("2.002036", "Thôi quốc tịch Việt Nam ở trong nước", nationality)

    def score(question: str, applicants: list[str]) -> float:
        procedure.applicant_types = applicants
        procedure_save(procedure=procedure)
        return next(h.score for h in search(question).hits if h.code == "2.002039")

    about_foreigner = "vợ tôi là người nước ngoài muốn nhập quốc tịch Việt Nam"
    assert score(about_foreigner, ["Người nước ngoài"]) == score(about_foreigner, ["Công dân"])
    plain = "nhập quốc tịch Việt Nam"
    assert score(plain, ["Người nước ngoài"]) < score(plain, ["Công dân"])


def test_speller_repairs_a_three_letter_typo_only_into_a_word_of_the_catalog():
    speller = Speller(
        {"khai": 5, "sinh": 5, "si": 1, "con": 9, "hon": 9},
        frozenset({"khai_sinh", "ket_hon"}),
    )
    assert speller.correct_all(["khai", "sih"]) == ["khai", "sinh"]
    assert speller.correct_all(["sih", "con"]) == ["sih", "con"]  # no catalog word to form


def test_done_words_are_those_said_after_da_and_nowhere_else():
    tokens, marks = marked_words("bố nhận con khi đã khai sinh rồi")
    assert done_words(tokens, marks) == {"khai", "sinh"}
    tokens, marks = marked_words("con lấy vợ rồi muốn tách hộ")
    assert done_words(tokens, marks) == {"con", "lay", "vo"}
    tokens, marks = marked_words("đánh rơi hộ chiếu")  # "rơi" is not "rồi"
    assert done_words(tokens, marks) == set()
    tokens, marks = marked_words("đã có giấy khai sinh nhưng muốn khai sinh lại")
    assert done_words(tokens, marks) == {"co", "giay"}  # khai sinh is asked too
    tokens, marks = marked_words("da bi rach")  # typed without marks: "đã" or "da"
    assert done_words(tokens, marks) == {"bi", "rach"}


def test_expand_leaves_out_a_term_for_what_is_done_already_when_the_request_has_one():
    terms = compile_terms([("tách hộ", "tách hộ"), ("lấy vợ", "đăng ký kết hôn")])
    assert _expanded("con trai lấy vợ rồi muốn tách hộ riêng", terms) == ["tách hộ"]
    assert _expanded("lấy vợ rồi thì làm gì", terms) == ["đăng ký kết hôn"]


def test_search_prefers_the_second_half_of_a_combined_procedure_when_the_first_is_done(db):
    civil = make_sector(code="ho-tich", name="Hộ tịch")
    _published("1.000689", "Thủ tục đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", civil)
    _published("1.001022", "Thủ tục đăng ký nhận cha, mẹ, con", civil)
    assert search("khai sinh cho con và nhận cha con").hits[0].code == "1.000689"
    assert search("bố nhận con khi đã khai sinh rồi").hits[0].code == "1.001022"


def test_specialised_in_reads_only_the_start_of_a_long_name():
    assert "yeu to nuoc ngoai" in specialised_in(" dang ky khai sinh co yeu to nuoc ngoai ")
    listing = " ".join(["giao dat cho thue dat chuyen muc dich su dung dat doi voi"] * 3)
    assert specialised_in(f" {listing} gia han ") == frozenset()


def test_search_lifts_a_name_the_question_says_literally_to_a_lexicon_guess(db):
    business = make_sector(code="ho-kinh-doanh", name="Hộ kinh doanh")
    security = make_sector(code="antt", name="An ninh trật tự")
    _published("1.001612", "Đăng ký thành lập hộ kinh doanh", business)
    _published("2.001478", "Cấp mới Giấy chứng nhận đủ điều kiện về an ninh, trật tự", security)
    ColloquialTerm.objects.create(phrase="mở quán", expansion="đăng ký thành lập hộ kinh doanh")
    hits = {
        h.code: h.score
        for h in search("mở quán karaoke cần xin chứng nhận đủ điều kiện an ninh trật tự").hits
    }
    # The lexicon's guess alone leaves the named certificate at about 0.64 of it; the five
    # words in a row lift it by PHRASE_BONUS (in the full catalog, above it).
    assert hits["2.001478"] > 0.9 * hits["1.001612"]


def test_for_service_people_when_conditions_name_the_forces_relatives_only():
    assert for_service_people(" ".join(words("thân nhân sĩ quan, hạ sĩ quan trong Công an")))
    assert not for_service_people(" ".join(words("công dân Việt Nam từ đủ 18 tuổi")))
    assert not for_service_people(" ".join(words("không phải là sĩ quan quân đội tại ngũ")))


def test_search_discounts_a_procedure_kept_to_the_forces_relatives_unless_asked(db):
    insurance = make_sector(code="bhyt", name="Bảo hiểm y tế")
    police = _published("2.000639", "Cấp thẻ bảo hiểm y tế", insurance)
    _published("1.001939", "Đăng ký đóng, cấp thẻ BHYT đối với người chỉ tham gia BHYT", insurance)
    _published("1.004030", "Tuyển chọn công dân vào Công an nhân dân, thân nhân", insurance)

    def score(question: str) -> float:
        return next(h.score for h in search(question).hits if h.code == "2.000639")

    before = score("làm thẻ bảo hiểm y tế")
    police.conditions = "Thân nhân sĩ quan, hạ sĩ quan, chiến sĩ trong Công an nhân dân"
    procedure_save(procedure=police)
    assert score("làm thẻ bảo hiểm y tế") < 0.7 * before
    asked = "làm thẻ bảo hiểm y tế cho thân nhân công an nhân dân"
    kept_to_relatives = score(asked)
    police.conditions = ""
    procedure_save(procedure=police)
    assert score(asked) == kept_to_relatives  # no discount when the question names them


def test_expand_keeps_circumstance_terms_when_asked_to_name_a_variant():
    terms = compile_terms([("chung cư", "dự án"), ("sổ hồng", "giấy chứng nhận")])
    tokens, marks = marked_words("mua chung cư lâu rồi mà chưa có sổ hồng")
    assert expand(tokens, terms, marks)[1] == ["giấy chứng nhận"]
    assert sorted(expand(tokens, terms, marks, aside=False)[1]) == ["dự án", "giấy chứng nhận"]
