import pytest
from django.core.exceptions import ValidationError

from accounts.validators import (
    CCCD_PREFIXES,
    normalize_phone,
    validate_cccd,
    validate_phone,
)


def _message(validator, value: str) -> str:
    with pytest.raises(ValidationError) as error:
        validator(value)
    return error.value.messages[0]


@pytest.mark.parametrize("value", ["077188001234", "001099000001", "096300123456", "079201000000"])
def test_validate_cccd_accepts_when_twelve_digits_with_a_province_prefix(value):
    validate_cccd(value)


def test_validate_cccd_rejects_in_vietnamese_when_length_is_wrong():
    assert _message(validate_cccd, "07718800123") == (
        "Số CCCD phải có đúng 12 chữ số (bạn đã nhập 11 chữ số)."
    )


def test_validate_cccd_rejects_in_vietnamese_when_not_digits():
    assert _message(validate_cccd, "07718800123A") == "Số CCCD chỉ gồm chữ số (0-9)."


@pytest.mark.parametrize("prefix", ["000", "003", "005", "013", "097", "099", "177"])
def test_validate_cccd_rejects_in_vietnamese_when_prefix_is_not_a_province(prefix):
    message = _message(validate_cccd, prefix + "188001234")
    assert f"Ba chữ số đầu của số CCCD ({prefix})" in message
    assert "mã tỉnh" in message


def test_cccd_prefixes_match_the_63_gso_provinces_when_compared_with_the_data_file():
    import gzip
    import json

    from django.conf import settings

    with gzip.open(settings.BASE_DIR / "data" / "vn-admin-units.json.gz", "rt") as handle:
        provinces = json.load(handle)
    assert CCCD_PREFIXES == {"0" + province["code"] for province in provinces}
    assert len(CCCD_PREFIXES) == 63


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0912345678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
    ],
)
def test_normalize_phone_gives_ten_digits_when_given_usual_spellings(raw, normalized):
    assert normalize_phone(raw) == normalized
    validate_phone(raw)


@pytest.mark.parametrize(
    "value", ["0321234567", "0561234567", "0701234567", "0861234567", "0991234567"]
)
def test_validate_phone_accepts_when_mobile_prefix(value):
    validate_phone(value)


def test_validate_phone_rejects_in_vietnamese_when_length_is_wrong():
    assert _message(validate_phone, "091234567") == (
        "Số điện thoại di động phải có 10 chữ số, ví dụ 0912345678."
    )


@pytest.mark.parametrize("value", ["0241234567", "0121234567", "0501234567", "0951234567"])
def test_validate_phone_rejects_in_vietnamese_when_prefix_is_not_mobile(value):
    message = _message(validate_phone, value)
    assert message.startswith(f"Đầu số {value[:3]} không phải đầu số di động Việt Nam")


def test_validate_phone_rejects_in_vietnamese_when_letters():
    assert _message(validate_phone, "09123abc78") == (
        "Số điện thoại chỉ gồm chữ số, có thể bắt đầu bằng +84."
    )
