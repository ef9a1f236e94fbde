"""The OpenAPI schema says what the API does: schemathesis over every operation of /api/schema/.

Runs in-process against the WSGI application on the test database (SQLite locally, PostgreSQL in
CI), anonymously and with a clerk's token, and fails on any server error, undocumented status
code, undeclared content type or response body that does not match its schema.
Run it alone: `.venv/bin/python -m pytest -m schema`.
"""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.models import Role
from dossiers.models import DossierStatus
from onestop.models import Counter, ServiceGroup
from tests.factories import make_desk, make_dossier, make_procedure, make_unit, make_user

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 12


def _world() -> dict[str, str]:
    """A small portal: a desk with a floor, published procedures, dossiers, a clerk's token."""
    province = make_unit(code="77")
    district = make_unit(parent=province, code="747")
    desk = make_desk(unit=district)
    counter = desk.counters.get()
    Counter.objects.create(desk=desk, number=2, name="Quầy 2")
    group = ServiceGroup.objects.create(desk=desk, prefix="A", name="Hộ tịch")
    group.counters.set(desk.counters.all())
    procedure = make_procedure()
    make_procedure(is_published=False)
    make_dossier(desk=desk, procedure=procedure)
    make_dossier(desk=desk, procedure=procedure, status=DossierStatus.PROCESSING)
    clerk = make_user(role=Role.CLERK, desk=desk, unit=district)
    assert counter.pk
    return {"clerk_token": Token.objects.create(user=clerk).key}


def _schema() -> schemathesis.BaseSchema:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return schemathesis.openapi.from_dict(json.loads(json.dumps(document, default=str)))


@pytest.fixture
def wsgi_keeps_test_connection():
    """The WSGI handler closes the database connection after each request when autocommit is
    off, as it is inside the test's transaction; Django's test client unhooks that, and so must a
    test that calls the WSGI application itself (else PostgreSQL loses the test's data)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _run(operation, *, mode: GenerationMode, app, headers: dict[str, str]) -> None:
    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        # Throttles and login lockouts count in the cache: each example starts below every limit
        # (their 429s are documented, but a run must not depend on the order of examples).
        cache.clear()
        case.call_and_validate(app=app, headers=headers, checks=CHECKS)

    check()


@pytest.mark.schema
@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "clerk"])
def test_api_conforms_to_its_schema_when_fuzzed(who: str, wsgi_keeps_test_connection) -> None:
    world = _world()
    headers = {"Authorization": f"Token {world['clerk_token']}"} if who == "clerk" else {}
    app = get_wsgi_application()
    failures = []
    for result in _schema().get_all_operations():
        operation = result.ok()
        # Valid input, then input that breaks the schema (which must get a documented 400).
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(operation, mode=mode, app=app, headers=headers)
            except Unsatisfiable:
                pass  # nothing in this operation can be made invalid (no input, or free text)
            except (Exception, BaseExceptionGroup) as error:  # every failure, then fail
                failures.append(f"{operation.label} ({mode.value}): {error}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_page_not_found_answers_json_when_under_api(client) -> None:
    api = client.get("/api/v1/desks/-1/")
    page = client.get("/khong-co-trang-nay/")
    assert api.status_code == page.status_code == 404
    assert api["Content-Type"] == "application/json" and api.json()["detail"]
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_procedure_list_answers_documented_404_when_page_out_of_range(client) -> None:
    make_procedure()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/procedures/"]["get"]
    assert {"400", "404"} <= set(operation["responses"])
    for page in (0, 999999):
        response = client.get("/api/v1/procedures/", {"page": page})
        assert response.status_code == 404 and response.json()["detail"]
