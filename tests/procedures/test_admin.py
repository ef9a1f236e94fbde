"""Admin: an administrator gives an unparsed procedure its processing time."""

import pytest
from django.urls import reverse

from procedures.forms import ProcedureAdminForm
from procedures.models import Procedure, TimeUnit
from procedures.services import procedures_import
from tests.factories import make_user
from tests.procedures.records import raw_record

pytestmark = pytest.mark.django_db


def _unparsed() -> Procedure:
    record = raw_record(code="1.000894", name="Thủ tục đăng ký kết hôn", processing_time="1")
    for method in record["submission_methods"]:
        method["processing_time"] = "1"
    procedures_import(raw_records=[record])
    return Procedure.objects.get()


def _form_data(procedure: Procedure, **changes) -> dict:
    form = ProcedureAdminForm(instance=procedure)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        data[name] = field.prepare_value(value) if value is not None else ""
    data.update(changes)
    return data


def test_procedure_admin_form_requires_amount_when_unit_is_days():
    procedure = _unparsed()
    form = ProcedureAdminForm(
        data=_form_data(procedure, processing_time_unit=TimeUnit.WORKING_DAYS),
        instance=procedure,
    )
    assert not form.is_valid()
    assert "processing_time_amount" in form.errors


def test_procedure_admin_form_rejects_cutoff_when_not_same_day():
    procedure = _unparsed()
    form = ProcedureAdminForm(
        data=_form_data(
            procedure,
            processing_time_unit=TimeUnit.WORKING_DAYS,
            processing_time_amount="3",
            same_day_cutoff="15:00",
        ),
        instance=procedure,
    )
    assert not form.is_valid() and "same_day_cutoff" in form.errors


def test_procedure_admin_saves_time_and_search_text_when_admin_edits(client):
    procedure = _unparsed()
    assert not procedure.accepts_dossiers
    admin = make_user(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:procedures_procedure_change", args=[procedure.pk])
    data = _form_data(
        procedure,
        name="Thủ tục đăng ký kết hôn (trong nước)",
        processing_time_unit=TimeUnit.SAME_DAY,
        processing_time_amount="0",
        same_day_cutoff="15:00",
    )
    for prefix in ("submission_methods", "required_documents"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    procedure.refresh_from_db()
    assert procedure.accepts_dossiers and procedure.same_day_cutoff.hour == 15
    assert "trong nuoc" in procedure.search_name
