"""Validation of Vietnamese identifiers: CCCD (citizen identity number) and mobile numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GSO codes of the 63 provinces (as of 2022, data/vn-admin-units.json.gz). A CCCD starts with
# "0" + the code of the province where the birth was registered (Circular 07/2016/TT-BCA).
PROVINCE_CODES = frozenset(
    "01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40 42 44 45 "
    "46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84 86 87 89 91 92 93 "
    "94 95 96".split()
)
CCCD_PREFIXES = frozenset(f"0{code}" for code in PROVINCE_CODES)

# Mobile prefixes in use since the 2018 renumbering (Viettel 032-039, 086, 096-098; Vinaphone
# 081-085, 088, 091, 094; MobiFone 070, 076-079, 089, 090, 093; Vietnamobile 052, 056, 058, 092;
# Gmobile 059, 099; Reddi 055; Itelecom 087).
MOBILE_PREFIXES = frozenset(
    "032 033 034 035 036 037 038 039 052 055 056 058 059 070 076 077 078 079 "
    "081 082 083 084 085 086 087 088 089 090 091 092 093 094 096 097 098 099".split()
)

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def validate_cccd(value: str) -> None:
    """A CCCD has 12 digits and starts with a province code of birth registration (001..096)."""
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii():
        raise ValidationError(_("Số CCCD chỉ gồm chữ số (0-9)."), code="cccd_digits")
    if len(value) != 12:
        raise ValidationError(
            _("Số CCCD phải có đúng 12 chữ số (bạn đã nhập %(count)d chữ số)."),
            code="cccd_length",
            params={"count": len(value)},
        )
    if value[:3] not in CCCD_PREFIXES:
        raise ValidationError(
            _(
                "Ba chữ số đầu của số CCCD (%(prefix)s) không phải mã tỉnh, thành phố nơi đăng "
                "ký khai sinh hợp lệ (001 đến 096)."
            ),
            code="cccd_province",
            params={"prefix": value[:3]},
        )


def normalize_phone(value: str) -> str:
    """ "+84 912 345 678", "84912345678" or "0912.345.678" -> "0912345678" (no validation)."""
    digits = _PHONE_SEPARATORS.sub("", (value or "").strip())
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def validate_phone(value: str) -> None:
    """A Vietnamese mobile number: 10 digits with a mobile prefix (accepts +84)."""
    phone = normalize_phone(value)
    if not phone.isdigit() or not phone.isascii():
        raise ValidationError(
            _("Số điện thoại chỉ gồm chữ số, có thể bắt đầu bằng +84."), code="phone_digits"
        )
    if len(phone) != 10:
        raise ValidationError(
            _("Số điện thoại di động phải có 10 chữ số, ví dụ 0912345678."), code="phone_length"
        )
    if phone[:3] not in MOBILE_PREFIXES:
        raise ValidationError(
            _(
                "Đầu số %(prefix)s không phải đầu số di động Việt Nam "
                "(03x, 05x, 07x, 08x, 09x đang được cấp)."
            ),
            code="phone_prefix",
            params={"prefix": phone[:3]},
        )
