"""Fixtures for the dossier pages: a commune desk, a birth-registration procedure, people."""

import io

import pytest
from pypdf import PdfWriter

from procedures.models import RequiredDocument
from tests.factories import make_desk, make_procedure, make_unit, make_user


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def commune_desk():
    province = make_unit(
        name="Tỉnh Bà Rịa - Vũng Tàu", short_name="Bà Rịa - Vũng Tàu", type_label="Tỉnh"
    )
    district = make_unit(
        parent=province, name="Thành phố Vũng Tàu", short_name="Vũng Tàu", type_label="Thành phố"
    )
    commune = make_unit(
        parent=district, name="Phường Thắng Tam", short_name="Thắng Tam", type_label="Phường"
    )
    return make_desk(unit=commune, name="Bộ phận một cửa Phường Thắng Tam")


@pytest.fixture
def birth_procedure():
    procedure = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    RequiredDocument.objects.create(
        procedure=procedure,
        position=1,
        name="Giấy chứng sinh",
        quantity="1 bản chính",
        original_or_copy="Bản chính",
    )
    RequiredDocument.objects.create(
        procedure=procedure,
        position=2,
        name="Giấy tờ chứng minh nơi cư trú",
        quantity="1 bản sao",
        original_or_copy="Bản sao",
    )
    return procedure


@pytest.fixture
def citizen():
    return make_user(
        full_name="Nguyễn Thị Hồng Nhung",
        cccd="077190001234",
        phone="0912345678",
        address="12 Hoàng Hoa Thám, Phường Thắng Tam",
    )


@pytest.fixture
def clerk(commune_desk):
    return make_user(role="clerk", full_name="Lê Văn Tiếp", desk=commune_desk)
