"""Querysets of a fixed shape compiled to SQL once, then run with each request's values.

Building a queryset and compiling it (joins, selected columns, deferred fields, ordering) costs
more Python than the database needs to answer a one-row read by key: on the portal's hottest
reads (the token behind every API call, a dossier's detail, the public lookup) it was most of
the request. A `CompiledQuery` builds its queryset once per database alias and shape with
sentinel values in place of the request's values, keeps the compiler (which knows the selected
columns, their converters and how the rows become model instances, select_related included),
and from then on only substitutes the values into the SQL's parameters.

The same SQL the ORM would send, on SQLite and PostgreSQL alike; the values stay query
parameters (never spliced into the text). On PostgreSQL the SQL is also a server-side prepared
statement of each connection (PREPARE on its first run there, EXECUTE from then on), so the
server parses it once and, once it has seen that a plan fits every value, plans it once: on a
`receive` the server spent more time planning these reads than running them.

Compilation checks that each sentinel appears as a parameter of its own (or not at all when the
shape does not use that value) and nowhere else; a shape where one does not (a value turned into
a LIKE pattern, part of a list) is not compiled: its queryset is built and run each time, as
without this class. It lives here, in the lowest app that needs it.
"""

from __future__ import annotations

import datetime
import itertools
import re
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

# Values no request sends: within PostgreSQL's integer range (an id column may be 32-bit, and
# Django turns an out-of-range value into an empty condition) and unlike any real text.
_INT_BASE = 2_000_000_000
_TEXT_PREFIX = "~compiled~query~sentinel~"
_DATE_BASE = datetime.date(1000, 1, 7)  # a thousand years before any dossier
_DATETIME_BASE = datetime.datetime(1000, 1, 7, 12, tzinfo=datetime.UTC)


_statement_numbers = itertools.count(1)
# PostgreSQL's answers when a connection's statement is no longer usable: it was deallocated
# (DISCARD ALL), or a migration changed the columns it returns. Both: prepare it again.
_STATEMENT_GONE = {
    "26000",  # invalid_sql_statement_name
    "0A000",  # feature_not_supported: "cached plan must not change result type"
}


class NotCompilable(Exception):
    """The queryset's parameters do not map one-to-one onto the values given."""


class _PreparedStatement:
    """One compiled SQL as a prepared statement of each PostgreSQL connection that runs it.

    The first run on a connection sends PREPARE and EXECUTE together (one round trip, one
    statement as the query counts see it). Prepared statements outlive transactions, rolled back
    or not, and die with the connection, so each connection keeps the names it has prepared. A run
    that fails may or may not have prepared, and a statement may be lost (DISCARD ALL) or stale
    (a migration changed its columns): the next run prepares under a new name. Behind a
    pooler that hands a session's statements to other clients (PgBouncer in transaction mode),
    set DATABASE_PREPARED_STATEMENTS=false.
    """

    def __init__(self, sql: str) -> None:
        numbers = itertools.count(1)
        # Django's placeholders become PostgreSQL's numbered parameters; "%%" stays as is,
        # psycopg2 turns it into "%" when it fills in EXECUTE's values.
        self.body = re.sub(r"%(%|s)", lambda m: "%%" if m[1] == "%" else f"${next(numbers)}", sql)
        self.sql = sql
        self.name = ""
        self._rename()

    def _rename(self) -> None:
        self.name = f"compiled_{next(_statement_numbers)}"

    def execute(self, connection: BaseDatabaseWrapper, cursor: Any, params: list) -> None:
        prepared = _prepared_names(connection)
        name = self.name
        execute = (
            f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
        )
        sql = execute if name in prepared else f"PREPARE {name} AS {self.body}; {execute}"
        if connection.queries_logged:
            # What the tests and the debug tools see names the tables it reads.
            shown = self.sql.replace("*/", "* /").replace("%", "%%")
            sql = f"/* {shown} */ {sql}"
        try:
            cursor.execute(sql, params)
        except Exception as error:
            gone = getattr(error.__cause__ or error, "pgcode", None) in _STATEMENT_GONE
            if name not in prepared or gone:
                prepared.discard(name)
                self._rename()  # the next run prepares, under a name no session holds yet
            raise
        prepared.add(name)


# The prepared statements' names of each open connection (the driver's connection object: a
# reconnection starts with none).
_prepared_by_connection: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def _prepared_names(connection: BaseDatabaseWrapper) -> set[str]:
    return _prepared_by_connection.setdefault(connection.connection, set())


class _Compiled:
    def __init__(
        self,
        queryset: QuerySet,
        sentinels: dict[str, Any],
        dates: tuple[str, ...] = (),
        datetimes: tuple[str, ...] = (),
    ) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        # Dates and moments reach the parameters in the database's own form (text on SQLite).
        ops = compiler.connection.ops
        self.adapters = {name: ops.adapt_datefield_value for name in dates}
        self.adapters.update({name: ops.adapt_datetimefield_value for name in datetimes})
        positions: dict[str, list[int]] = {}
        for name, value in sentinels.items():
            sentinel = self.adapters[name](value) if name in self.adapters else value
            found = [i for i, p in enumerate(params) if p == sentinel and type(p) is type(sentinel)]
            # Used as is (a parameter of its own, as often as the shape needs it) or unused by
            # this shape; never transformed on the way (a LIKE pattern, part of a list) nor
            # written into the SQL's text.
            marker = str(sentinel)
            if marker in sql or any(
                marker in (p if isinstance(p, str) else f"{p!r} {p}")
                for i, p in enumerate(params)
                if i not in found
            ):
                raise NotCompilable(f"{name}: its value reaches the SQL transformed")
            if found:
                positions[name] = found
        self.sql = sql
        self.statement = _PreparedStatement(sql)
        self.params = list(params)
        self.positions = positions
        self.compiler = compiler
        # The columns' converters (dates on SQLite, JSON, decimals) depend on the shape alone.
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = (
            None if compiler.has_composite_fields(fields) else compiler.get_converters(fields)
        )
        self.model = queryset.model
        self.instance_plan: tuple | None = None
        self.values_names: list[str] | None = None
        if queryset._fields is not None or queryset.query.values_select:
            self.values_names = [
                *queryset.query.extra_select,
                *queryset.query.values_select,
                *queryset.query.annotation_select,
            ]

    def rows(self, alias: str, values: dict[str, Any]) -> list[tuple]:
        params = list(self.params)
        for name, found in self.positions.items():
            value = values[name]
            if name in self.adapters:
                value = self.adapters[name](value)
            for position in found:
                params[position] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS:
                self.statement.execute(connection, cursor, params)
            else:
                cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        if self.compiler.has_extra_select:
            fetched = [row[: self.compiler.col_count] for row in fetched]
        if self.converters is None:
            return list(self.compiler.results_iter(results=[fetched], tuple_expected=True))
        if not self.converters:
            return fetched
        return list(map(tuple, self.compiler.apply_converters(fetched, self.converters)))

    def instances(self, alias: str, values: dict[str, Any]) -> list[Model]:
        """What ModelIterable makes of the rows: instances with their select_related objects."""
        if self.instance_plan is None:
            compiler = self.compiler
            select, klass_info = compiler.select, compiler.klass_info
            select_fields = klass_info["select_fields"]
            start, end = select_fields[0], select_fields[-1] + 1
            self.instance_plan = (
                klass_info["model"],
                start,
                end,
                [f[0].target.attname for f in select[start:end]],
                get_related_populators(klass_info, select, alias),
                list(compiler.annotation_col_map.items()),
            )
        model_cls, start, end, init_list, populators, annotations = self.instance_plan
        out = []
        for row in self.rows(alias, values):
            obj = model_cls.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr_name, position in annotations:
                setattr(obj, attr_name, row[position])
            out.append(obj)
        return out


class CompiledQuery:
    """`build(shape, **values)` returns the queryset; `ints`, `texts`, `dates` and `datetimes`
    (aware moments) name its values.

    `shape` is anything hashable that decides the queryset's form other than the values (e.g.
    which rule of visibility applies); each (database, shape) is compiled once per process.
    """

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        ints: tuple[str, ...] = (),
        texts: tuple[str, ...] = (),
        dates: tuple[str, ...] = (),
        datetimes: tuple[str, ...] = (),
    ) -> None:
        self.build = build
        self.ints = ints
        self.texts = texts
        self.dates = dates
        self.datetimes = datetimes
        self._compiled: dict[tuple[str, Hashable], _Compiled | None] = {}
        self._model: type[Model] | None = None

    def _sentinels(self) -> dict[str, Any]:
        counter = itertools.count(1)
        sentinels: dict[str, Any] = {name: _INT_BASE + next(counter) for name in self.ints}
        sentinels.update({name: f"{_TEXT_PREFIX}{next(counter)}~" for name in self.texts})
        sentinels.update(
            {name: _DATE_BASE.replace(year=1000 + next(counter)) for name in self.dates}
        )
        sentinels.update(
            {name: _DATETIME_BASE.replace(year=1000 + next(counter)) for name in self.datetimes}
        )
        return sentinels

    def _ready(self, shape: Hashable) -> tuple[str, _Compiled | None]:
        """The database to read from and the compiled form there (None: not compilable)."""
        if self._model is None:
            self._model = self.build(shape, **self._sentinels()).model
        alias = router.db_for_read(self._model)
        key = (alias, shape)
        if key not in self._compiled:
            sentinels = self._sentinels()
            queryset = self.build(shape, **sentinels).using(alias)
            try:
                self._compiled[key] = _Compiled(queryset, sentinels, self.dates, self.datetimes)
            except NotCompilable:
                self._compiled[key] = None
        return alias, self._compiled[key]

    def compiles(self, shape: Hashable = None) -> bool:
        """Whether this shape runs precompiled (else its queryset is built every time)."""
        return self._ready(shape)[1] is not None

    def rows(self, shape: Hashable = None, **values: Any) -> list[tuple] | list[dict]:
        """The rows: tuples, or dicts for a values() queryset."""
        alias, compiled = self._ready(shape)
        if compiled is None:
            return list(self.build(shape, **values))
        rows = compiled.rows(alias, values)
        if compiled.values_names is not None:
            return [dict(zip(compiled.values_names, row, strict=True)) for row in rows]
        return rows

    def instances(self, shape: Hashable = None, **values: Any) -> list[Model]:
        """The model instances the queryset would give."""
        alias, compiled = self._ready(shape)
        if compiled is None:
            return list(self.build(shape, **values))
        return compiled.instances(alias, values)


def update_row(model: type[Model], pk: Any, values: dict[str, Any]) -> None:
    """UPDATE one row's columns (field name -> value, a related row's key for a foreign key),
    written out on the default database: for the writes every change runs (the dossier's own
    columns, the audit chain's head), where building the ORM's UPDATE cost more than running it.
    Values are prepared by their fields, as the ORM would."""
    connection = connections["default"]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in values]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} "
            f"WHERE {quote(model._meta.pk.column)} = %s",
            [*params, pk],
        )
