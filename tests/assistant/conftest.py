"""Fixtures of the assistant tests: a small catalog with documents, fees and lexicon terms."""

import pytest

from procedures.models import Channel, RequiredDocument, SubmissionMethod
from procedures.retrieval.models import ColloquialTerm
from procedures.retrieval.vectors import vectors_compute
from procedures.services import procedure_save
from tests.factories import make_procedure, make_sector


@pytest.fixture
def catalog():
    civil = make_sector(code="ho-tich", name="Hộ tịch")
    residence = make_sector(code="cu-tru", name="Đăng ký, quản lý cư trú")
    birth = make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh", sector=civil)
    death = make_procedure(code="1.000656", name="Thủ tục đăng ký khai tử", sector=civil)
    leave = make_procedure(code="1.003197", name="Xóa đăng ký thường trú", sector=residence)
    for p in (birth, death, leave):
        p.is_published = True
        p.level = "commune"
        p.online_level = "full"
        procedure_save(procedure=p)
    RequiredDocument.objects.create(
        procedure=birth,
        position=1,
        name="Giấy chứng sinh",
        quantity="01",
        original_or_copy="Bản chính",
    )
    RequiredDocument.objects.create(
        procedure=birth,
        position=2,
        name="Tờ khai đăng ký khai sinh",
        quantity="01",
        original_or_copy="Bản chính",
    )
    SubmissionMethod.objects.filter(procedure__in=[birth, death, leave]).delete()
    SubmissionMethod.objects.create(
        procedure=birth,
        channel=Channel.DIRECT,
        fee="Miễn lệ phí",
        processing_time_text="Ngay trong ngày làm việc",
    )
    SubmissionMethod.objects.create(
        procedure=death, channel=Channel.DIRECT, fee="", processing_time_text=""
    )
    ColloquialTerm.objects.create(phrase="báo tử", expansion="đăng ký khai tử")
    ColloquialTerm.objects.create(phrase="cắt khẩu", expansion="xóa đăng ký thường trú")
    vectors_compute()
    return {"birth": birth, "death": death, "leave": leave}
