"""What the Circular 01/2018/TT-VPCP forms share without drawing: letterhead, motto, signatures,
the official ways to write dates and sizes (the drawing itself is dossiers.pdf.official_form)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

FONT_DIR = settings.BASE_DIR / "static" / "fonts"
FONT = "DejaVuSerif"
MOTTO_COUNTRY = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_SLOGAN = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Letterhead:
    """Who issues the form: the line above (governing body) and the issuing office."""

    parent: str
    office: str
    place: str


@dataclass(frozen=True)
class Signature:
    title: str
    hint: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


def long_date(value: datetime.datetime | datetime.date) -> str:
    """'ngày 05 tháng 12 năm 2026', the official way to write a date."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return f"ngày {value:%d} tháng {value:%m} năm {value:%Y}"


def long_moment(value: datetime.datetime | None) -> str:
    """'14 giờ 05 phút, ngày 05/12/2026' in local time, or dots when unknown."""
    if value is None:
        return "…… giờ …… phút, ngày ……/……/……"
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def short_date(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return f"{timezone.localtime(value):%d/%m/%Y}"


def short_moment(value: datetime.datetime | None) -> str:
    if value is None:
        return ""
    return f"{timezone.localtime(value):%H:%M %d/%m/%Y}"


def human_size(size: int) -> str:
    """File size as Vietnamese readers write it (decimal comma)."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
