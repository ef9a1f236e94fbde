"""procedures.compiled: a queryset compiled once gives what the queryset gives, value by value."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from onestop.models import AdministrativeUnit, Desk
from procedures.compiled import CompiledQuery
from tests.factories import make_desk, make_unit

pytestmark = pytest.mark.django_db

DESK_BY_ID = CompiledQuery(
    lambda shape, desk_id: Desk.objects.select_related("unit").filter(pk=desk_id),
    ints=("desk_id",),
)
UNITS_BY_NAME = CompiledQuery(
    lambda shape, name, parent_id: (
        AdministrativeUnit.objects.filter(name=name)
        .filter(**({"parent_id": parent_id} if shape == "child" else {}))
        .order_by("code")
        .values("code", "name", "parent_id")
    ),
    ints=("parent_id",),
    texts=("name",),
)
UNITS_UNDER = CompiledQuery(
    lambda shape, path: AdministrativeUnit.objects.filter(path__startswith=path).order_by("code"),
    texts=("path",),
)


def test_compiled_query_instances_equal_queryset_when_run_with_other_values():
    desks = [make_desk(), make_desk(), make_desk()]
    for desk in desks:
        found = DESK_BY_ID.instances(desk_id=desk.pk)
        assert [d.pk for d in found] == [desk.pk]
        assert found[0].name == desk.name
        # select_related is filled: no query for the unit.
        with CaptureQueriesContext(connection) as captured:
            assert found[0].unit.code == desk.unit.code
        assert len(captured) == 0
    assert DESK_BY_ID.instances(desk_id=10**9) == []
    assert DESK_BY_ID.compiles()


def test_compiled_query_rows_equal_values_when_shapes_differ():
    parent = make_unit(code="90", name="Tỉnh", path="90")
    make_unit(parent=parent, code="901", name="Xã A")
    make_unit(code="91", name="Xã A", path="91")
    for shape, parent_id in (("any", None), ("child", parent.pk)):
        expected = list(
            UNITS_BY_NAME.build(shape, name="Xã A", parent_id=parent_id)
        )  # the ordinary queryset
        assert UNITS_BY_NAME.rows(shape, name="Xã A", parent_id=parent_id) == expected
        assert UNITS_BY_NAME.compiles(shape)
    assert len(UNITS_BY_NAME.rows("any", name="Xã A", parent_id=None)) == 2
    assert len(UNITS_BY_NAME.rows("child", name="Xã A", parent_id=parent.pk)) == 1
    # A quote in a value stays a parameter.
    assert UNITS_BY_NAME.rows("any", name="x' OR '1'='1", parent_id=None) == []


def test_compiled_query_runs_queryset_each_time_when_value_is_transformed():
    make_unit(code="80", name="Tỉnh B", path="80")
    make_unit(code="81", name="Tỉnh C", path="81")
    # startswith turns the value into a LIKE pattern: not compilable, still right.
    assert not UNITS_UNDER.compiles()
    assert [u.code for u in UNITS_UNDER.instances(path="80")] == ["80"]
    assert [u.code for u in UNITS_UNDER.instances(path="8")] == ["80", "81"]


def test_compiled_query_rows_equal_queryset_when_values_are_moments():
    import datetime as dt

    from django.utils import timezone

    from stats.selectors.figures import _CELL_COUNTS
    from tests.factories import make_dossier

    received = timezone.now().replace(microsecond=0)
    dossier = make_dossier(status="received", received_at=received)
    query = _CELL_COUNTS["received"]
    for shape in ((True, True), (False, False)):
        assert query.compiles(shape)
        values = {
            "start": received - dt.timedelta(hours=1),
            "end": received + dt.timedelta(hours=1),
            "now": received,
            "desk_id": dossier.desk_id,
            "procedure_id": dossier.procedure_id,
        }
        rows = query.rows(shape, **values)
        assert rows == list(query.build(shape, **values))
        assert [row["received"] for row in rows] == [1]
    later = {**values, "start": received + dt.timedelta(minutes=1)}
    assert query.rows((True, True), **later) == []


def _prepared_statements() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, statement FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _prepared_name(sql: str) -> str:
    found = re.search(r"PREPARE (\w+) AS", sql)
    assert found, sql
    return found[1]


@pytest.mark.postgres
def test_compiled_query_prepares_once_per_connection_then_executes():
    desks = [make_desk(), make_desk()]
    by_id = CompiledQuery(lambda shape, desk_id: Desk.objects.filter(pk=desk_id), ints=("desk_id",))
    with CaptureQueriesContext(connection) as first:
        assert [d.pk for d in by_id.instances(desk_id=desks[0].pk)] == [desks[0].pk]
    statement = _prepared_name(first[0]["sql"])
    assert '"onestop_desk"."id" = $1' in _prepared_statements()[statement]
    with CaptureQueriesContext(connection) as second:
        assert [d.pk for d in by_id.instances(desk_id=desks[1].pk)] == [desks[1].pk]
    assert len(second) == 1
    assert "PREPARE" not in second[0]["sql"]
    assert f"EXECUTE {statement}({desks[1].pk})" in second[0]["sql"]
    assert '"onestop_desk"' in second[0]["sql"]  # the SQL it runs, shown to the query log


@pytest.mark.postgres
def test_compiled_query_prepared_statement_outlives_rolled_back_transaction():
    from django.db import transaction

    desk = make_desk()
    by_id = CompiledQuery(lambda shape, desk_id: Desk.objects.filter(pk=desk_id), ints=("desk_id",))
    with pytest.raises(RuntimeError), transaction.atomic():
        assert by_id.instances(desk_id=desk.pk)
        raise RuntimeError("rolled back")
    with CaptureQueriesContext(connection) as again:
        assert [d.pk for d in by_id.instances(desk_id=desk.pk)] == [desk.pk]
    assert "PREPARE" not in again[0]["sql"]


@pytest.mark.postgres
def test_compiled_query_prepares_again_after_failed_first_run_or_lost_statement():
    from django.db import DatabaseError, DataError, transaction

    desk = make_desk()
    by_id = CompiledQuery(lambda shape, desk_id: Desk.objects.filter(pk=desk_id), ints=("desk_id",))
    # PREPARE succeeds, EXECUTE fails (no bigint that large): the next run prepares anew.
    with pytest.raises(DataError), transaction.atomic():
        by_id.instances(desk_id=2**63)
    with CaptureQueriesContext(connection) as captured:
        assert [d.pk for d in by_id.instances(desk_id=desk.pk)] == [desk.pk]
    # The session loses the statement (DISCARD ALL by a pooler): one failure, prepared again.
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {_prepared_name(captured[0]['sql'])}")
    with pytest.raises(DatabaseError), transaction.atomic():
        by_id.instances(desk_id=desk.pk)
    assert [d.pk for d in by_id.instances(desk_id=desk.pk)] == [desk.pk]


@pytest.mark.postgres
def test_compiled_query_runs_plain_sql_when_prepared_statements_are_off(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    desk = make_desk()
    with CaptureQueriesContext(connection) as captured:
        assert [d.pk for d in DESK_BY_ID.instances(desk_id=desk.pk)] == [desk.pk]
    assert captured[0]["sql"].startswith("SELECT")
