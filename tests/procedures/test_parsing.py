"""Processing times, quantities and names as they appear in procedures-real.json."""

import datetime
from decimal import Decimal

import pytest

from procedures.models import ApplicantKind, Channel, TimeUnit
from procedures.parsing import (
    applicant_kinds,
    document_is_conditional,
    first_agency,
    fold,
    fold_name,
    local_code,
    parse_channel,
    parse_processing_time,
    parse_quantity,
)

WD, CD, WH, SD = (
    TimeUnit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS,
    TimeUnit.WORKING_HOURS,
    TimeUnit.SAME_DAY,
)


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("3 Ngày làm việc", "3", WD),
        ("03 Ngày làm việc", "3", WD),
        ("15 Ngày", "15", CD),
        ("15 ngày", "15", CD),
        ("1.5 Ngày làm việc", "1.5", WD),
        ("05 ngày làm việc kể từ ngày nhận đủ hồ sơ", "5", WD),
        ("Tối đa 6 ngày làm việc kể từ ngày cơ quan BHXH nhận đủ hồ sơ theo quy định.", "6", WD),
        ("1 Giờ", "1", WH),
        ("Không quá 02 giờ", "2", WH),
        ("24 Giờ", "24", WH),
        ("Trong ngày", "0", SD),
        (
            "Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết "
            "được ngay thì trả kết quả trong ngày làm việc tiếp theo.",
            "0",
            SD,
        ),
        ("từ 5 đến 7 ngày làm việc", "7", WD),
        ("5-7 ngày", "7", CD),
        ("03 ngày làm việc, trường hợp phải xác minh thì không quá 08 ngày làm việc.", "3", WD),
        (
            "a) Nhận hồ sơ từ đơn vị SDLĐ: Tối đa 06 ngày làm việc kể từ ngày cơ quan BHXH nhận đủ "
            "hồ sơ. b) Nhận hồ sơ từ người hưởng: Tối đa 03 ngày làm việc.",
            "6",
            WD,
        ),
    ],
)
def test_parse_processing_time_reads_amount_and_unit_when_text_states_them(text, amount, unit):
    parsed = parse_processing_time(text)
    assert parsed is not None
    assert (parsed.amount, parsed.unit) == (Decimal(amount), unit)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "1",
        "5",
        "0",
        "Không phải trả kết quả",
        "Không quy định",
        "Không",
        "Không có",
        "Chưa quy định cụ thể.",
        "4 Tháng",
        "12 Tháng",
        "Khác",
        "Tùy theo đợt",
        "Theo hướng dẫn tổ chức kỳ thi tốt nghiệp THPT hằng năm của Bộ Giáo dục và Đào tạo",
    ],
)
def test_parse_processing_time_returns_none_when_unit_unknown_or_no_time(text):
    assert parse_processing_time(text) is None


def test_parse_processing_time_reads_bare_number_as_working_days_when_context_says_so():
    context = "Cơ quan giải quyết trong thời hạn 05 ngày làm việc kể từ ngày nhận đủ hồ sơ."
    assert parse_processing_time("5", context=context).unit == WD


def test_parse_processing_time_reads_bare_number_as_calendar_days_when_context_says_so():
    context = "Trong thời hạn 20 ngày kể từ ngày nhận hồ sơ hợp lệ."
    parsed = parse_processing_time("20", context=context)
    assert (parsed.amount, parsed.unit) == (Decimal(20), CD)


def test_parse_processing_time_returns_none_when_bare_number_differs_from_context():
    context = "Trong thời hạn 03 ngày làm việc kể từ ngày nhận được yêu cầu xác minh."
    assert parse_processing_time("1", context=context) is None


def test_parse_processing_time_reads_same_day_with_cutoff_when_steps_mention_15h():
    # The birth registration record (1.001193): channels say "1", the steps say the rest.
    context = (
        "Trường hợp hồ sơ đầy đủ, hợp lệ thì tiếp nhận hồ sơ; nếu tiếp nhận hồ sơ sau 15 giờ thì "
        "có Phiếu hẹn, trả kết quả cho người yêu cầu trong ngày làm việc tiếp theo"
    )
    parsed = parse_processing_time("1", context=context)
    assert parsed.unit == SD
    assert parsed.same_day_cutoff == datetime.time(15, 0)


def test_parse_processing_time_sets_cutoff_when_same_day_text_names_hour():
    parsed = parse_processing_time(
        "Ngay trong ngày tiếp nhận yêu cầu, trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết "
        "được ngay thì trả kết quả trong ngày làm việc tiếp theo."
    )
    assert parsed.same_day_cutoff == datetime.time(15, 0)
    assert parse_processing_time("Trong ngày").same_day_cutoff is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 bản chính", ("1", "Bản chính", 1)),
        ("01 bản chính", ("1", "Bản chính", 1)),
        ("0 bản chính,1 bản sao", ("1", "Bản sao", 1)),
        ("1 bản chính,1 bản sao", ("1 bản chính, 1 bản sao", "Bản chính và bản sao", 2)),
        ("Bản chính: 1 - Bản sao: 0", ("1", "Bản chính", 1)),
        ("Bản chính: 0 - Bản sao: 1", ("1", "Bản sao", 1)),
        ("0 bản chính", ("0 bản chính", "", 0)),
    ],
)
def test_parse_quantity_splits_originals_and_copies_when_source_lists_them(text, expected):
    assert parse_quantity(text) == expected


def test_fold_strips_accents_and_case_when_text_is_vietnamese():
    assert fold("ĐĂNG KÝ KẾT HÔN") == "dang ky ket hon"
    assert fold("Đăng ký  khai sinh, (có yếu tố nước ngoài)") == (
        "dang ky khai sinh co yeu to nuoc ngoai"
    )
    assert fold_name("Thủ tục đăng ký khai sinh") == "dang ky khai sinh"


def test_parse_channel_maps_portal_labels_when_known():
    assert parse_channel("Trực tiếp") == Channel.DIRECT
    assert parse_channel("Trực tuyến") == Channel.ONLINE
    assert parse_channel("Dịch vụ bưu chính") == Channel.POSTAL
    assert parse_channel("online") == Channel.ONLINE
    assert parse_channel("Fax") is None


def test_applicant_kinds_groups_labels_when_portal_types_given():
    kinds = applicant_kinds(
        [
            "Công dân Việt Nam",
            "Doanh nghiệp có vốn đầu tư nước ngoài",
            "Người nước ngoài",
            "Tổ chức (không bao gồm doanh nghiệp, HTX)",
            "Hợp tác xã",
        ]
    )
    assert kinds == [
        ApplicantKind.CITIZEN,
        ApplicantKind.FOREIGNER,
        ApplicantKind.BUSINESS,
        ApplicantKind.ORGANISATION,
    ]


def test_first_agency_keeps_commune_label_when_it_contains_commas():
    assert first_agency("Sở Tư pháp, Ủy ban nhân dân cấp tỉnh") == "Sở Tư pháp"
    assert first_agency("Ủy ban Nhân dân\xa0xã,\xa0phường,\xa0thị trấn.") == (
        "Ủy ban Nhân dân xã, phường, thị trấn"
    )


def test_local_code_is_stable_when_case_and_accents_differ():
    code = local_code(name="Đăng ký thường trú", agency="Công an Xã")
    assert code == local_code(name="ĐĂNG KÝ THƯỜNG TRÚ", agency="cong an xa")
    assert code.startswith("BRVT.") and len(code) == 13


@pytest.mark.parametrize(
    ("name", "conditional"),
    [
        ("Giấy chứng sinh", False),
        ("- Trường hợp trẻ em bị bỏ rơi thì phải có biên bản", True),
        ("Văn bản ủy quyền (nếu có)", True),
        ("Giấy tờ chứng minh nơi cư trú, nếu có", True),
        ("- Giấy chứng sinh; trường hợp không có Giấy chứng sinh thì nộp văn bản", False),
        ("- Văn bản ủy quyền theo quy định trong trường hợp ủy quyền", True),
        ("(iv) Trường hợp ủy quyền cho đơn vị cung cấp dịch vụ bưu chính", True),
        ("+ Đối với người nước ngoài: hộ chiếu", True),
        ("Nếu người yêu cầu là người thân thích: giấy tờ chứng minh", True),
        ("Tờ khai đăng ký khai sinh theo mẫu", False),
    ],
)
def test_document_is_conditional_reads_case_lines_when_catalog_names_them(name, conditional):
    assert document_is_conditional(name) is conditional
