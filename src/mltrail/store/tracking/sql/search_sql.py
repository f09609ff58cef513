"""Compile parsed search filters and order keys into SQLAlchemy SELECTs over ``schema.py``.

One statement per search, the same on SQLite, PostgreSQL and MySQL/MariaDB:

* a clause on a metric, param or tag joins that key's row on its (run_pk, key) primary key,
  so a run lacking the key never matches (not even ``!=``); ``IS NULL`` is a NOT EXISTS;
* metric clauses read ``latest_metrics``; NaN (``special`` = 1) satisfies only ``!=``, and
  +/-inf (stored clamped to +/-max double) compare as the largest/smallest values;
* string comparisons are case-sensitive on every backend (``LIKE`` too; SQLite runs it as
  GLOB, MySQL through a binary collation), ``ILIKE`` is case-insensitive everywhere;
* string ordering is by code point everywhere (``COLLATE "C"`` on PostgreSQL, binary on MySQL);
* ordering puts rows that have a value first, then NaN metrics, then rows lacking the key,
  in both directions; default order and tie-breakers come from ``mltrail.search``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search.ast import Comparison, OrderKey
from mltrail.search.experiments import experiment_order_with_defaults
from mltrail.search.like import like_to_glob, normalized_like
from mltrail.search.runs import run_order_with_defaults
from mltrail.store.tracking.sql import schema

_MAX_DOUBLE = 1.7976931348623157e308
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


# ---- runs -----------------------------------------------------------------------------------


def select_runs(
    experiment_ids: Sequence[int],
    comparisons: Sequence[Comparison],
    order_keys: Sequence[OrderKey],
    lifecycle_stages: Sequence[str],
    offset: int,
    limit: int | None,
) -> sa.Select[Any]:
    """All columns of ``runs`` for the matching runs, in search order, with OFFSET/LIMIT."""
    runs = schema.runs
    source: sa.FromClause = runs
    conditions: list[ColumnElement[bool]] = [
        runs.c.experiment_id.in_([int(i) for i in experiment_ids]),
        runs.c.lifecycle_stage.in_(list(lifecycle_stages)),
    ]
    for index, comparison in enumerate(comparisons):
        source, condition = _run_condition(source, comparison, f"f{index}")
        conditions.append(condition)
    ordering: list[ColumnElement[Any]] = []
    for index, key in enumerate(run_order_with_defaults(order_keys)):
        source, terms = _run_order_terms(source, key, f"o{index}")
        ordering.extend(terms)
    query = sa.select(*runs.c).select_from(source).where(*conditions).order_by(*ordering)
    return query.offset(offset).limit(limit)


_RUN_ATTRIBUTE_COLUMNS = {
    "run_id": "run_id",
    "run_name": "name",
    "status": "status",
    "user_id": "user_id",
    "artifact_uri": "artifact_uri",
    "start_time": "start_time",
    "end_time": "end_time",
}
_KEYED_TABLES = {"metric": schema.latest_metrics, "param": schema.params, "tag": schema.tags}


def _run_condition(
    source: sa.FromClause, comparison: Comparison, alias: str
) -> tuple[sa.FromClause, ColumnElement[bool]]:
    """Join what ``comparison`` needs onto ``source`` and return the condition it adds."""
    runs = schema.runs
    entity, key, op, value = comparison.entity, comparison.key, comparison.op, comparison.value
    if entity == "attribute":
        column = runs.c[_RUN_ATTRIBUTE_COLUMNS[key]]
        if key in ("start_time", "end_time"):
            return source, _COMPARE[op](column, value)
        return source, _string_condition(column, op, value)
    if entity == "dataset":
        return source, _dataset_condition(key, op, value)
    table = _KEYED_TABLES[entity]
    if op in ("IS NULL", "IS NOT NULL"):
        present = sa.exists().where(table.c.run_pk == runs.c.run_pk, table.c.key == key)
        return source, present if op == "IS NOT NULL" else ~present
    row = table.alias(alias)
    source = source.join(row, sa.and_(row.c.run_pk == runs.c.run_pk, row.c.key == key))
    if entity == "metric":
        return source, _metric_condition(row, op, value)
    return source, _string_condition(row.c.value, op, value)


def _metric_condition(row: sa.FromClause, op: str, literal: Any) -> ColumnElement[bool]:
    """``value op literal`` with NaN/inf semantics on the (value, special) encoding."""
    value, special = row.c.value, row.c.special
    compare = _COMPARE[op]
    number = _as_double(literal)
    if number is not None and abs(number) < _MAX_DOUBLE:
        # Clamped infinities compare correctly against any smaller finite number.
        if op == "!=":
            return sa.or_(value != number, special == schema.NAN)
        return sa.and_(compare(value, number), special != schema.NAN)
    # |literal| at or beyond the largest double: decide the special values in Python.
    matching = [
        code
        for code, stand_in in ((schema.POS_INF, math.inf), (schema.NEG_INF, -math.inf))
        if compare(stand_in, literal)
    ]
    if op == "!=":
        matching.append(schema.NAN)
    if number is not None:
        finite = sa.and_(special == schema.FINITE, compare(value, number))
    else:  # every finite double compares with this literal the way 0.0 does
        finite = special == schema.FINITE if compare(0.0, literal) else sa.false()
    return sa.or_(finite, special.in_(matching)) if matching else finite


def _as_double(literal: Any) -> float | None:
    """``literal`` as a finite double, None if it is infinite or beyond the double range."""
    try:
        number = float(literal)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _dataset_condition(key: str, op: str, value: Any) -> ColumnElement[bool]:
    """Runs having any input dataset whose name/digest/context satisfies the clause.

    ``!=`` and ``NOT IN`` too hold for a run as soon as one of its datasets differs; a run
    without datasets never matches, nor does a dataset input without a context on ``context``
    (NULL satisfies no comparison).
    """
    inputs, datasets = schema.run_dataset_inputs, schema.datasets
    if key == "context":
        return (
            sa.exists()
            .where(
                inputs.c.run_pk == schema.runs.c.run_pk,
                _string_condition(inputs.c.context, op, value),
            )
            .correlate(schema.runs)
        )
    return (
        sa.exists()
        .where(
            inputs.c.run_pk == schema.runs.c.run_pk,
            datasets.c.dataset_pk == inputs.c.dataset_pk,
            _string_condition(datasets.c[key], op, value),
        )
        .correlate(schema.runs)
    )


def _run_order_terms(
    source: sa.FromClause, key: OrderKey, alias: str
) -> tuple[sa.FromClause, list[ColumnElement[Any]]]:
    """ORDER BY terms for ``key`` (joining its row first when it is a metric/param/tag)."""
    runs = schema.runs
    if key.entity == "attribute":
        column = runs.c[_RUN_ATTRIBUTE_COLUMNS[key.key]]
        if key.key in ("start_time", "end_time"):
            return source, [_NullsLast(column, key.ascending)]
        return source, _ordered(_Sortable(column), key.ascending)
    table = _KEYED_TABLES[key.entity]
    row = table.alias(alias)
    source = source.outerjoin(row, sa.and_(row.c.run_pk == runs.c.run_pk, row.c.key == key.key))
    missing = row.c.run_pk.is_(None)
    if key.entity == "metric":
        rank = sa.case((missing, 2), (row.c.special == schema.NAN, 1), else_=0)
        return source, [rank, row.c.value.asc() if key.ascending else row.c.value.desc()]
    return source, _ordered(_Sortable(row.c.value), key.ascending, missing=missing)


def _ordered(
    value: ColumnElement[Any], ascending: bool, missing: ColumnElement[bool] | None = None
) -> list[ColumnElement[Any]]:
    """Sort by ``value`` in the given direction, rows where ``missing`` holds last."""
    terms: list[ColumnElement[Any]] = []
    if missing is not None:
        terms.append(sa.case((missing, 1), else_=0))
    terms.append(value.asc() if ascending else value.desc())
    return terms


# ---- experiments ----------------------------------------------------------------------------


def select_experiments(
    comparisons: Sequence[Comparison],
    order_keys: Sequence[OrderKey],
    lifecycle_stages: Sequence[str],
    offset: int,
    limit: int | None,
) -> sa.Select[Any]:
    """All columns of ``experiments`` for the matching experiments, in search order."""
    experiments = schema.experiments
    source: sa.FromClause = experiments
    conditions: list[ColumnElement[bool]] = [
        experiments.c.lifecycle_stage.in_(list(lifecycle_stages))
    ]
    for index, comparison in enumerate(comparisons):
        source, condition = _experiment_condition(source, comparison, f"f{index}")
        conditions.append(condition)
    ordering: list[ColumnElement[Any]] = []
    for key in experiment_order_with_defaults(order_keys):
        column = experiments.c[key.key]
        if key.key == "name":
            ordering.extend(_ordered(_Sortable(column), key.ascending))
        elif key.key == "experiment_id":
            ordering.extend(_ordered(column, key.ascending))
        else:
            ordering.append(_NullsLast(column, key.ascending))
    query = sa.select(*experiments.c).select_from(source).where(*conditions)
    return query.order_by(*ordering).offset(offset).limit(limit)


def _experiment_condition(
    source: sa.FromClause, comparison: Comparison, alias: str
) -> tuple[sa.FromClause, ColumnElement[bool]]:
    experiments, tags = schema.experiments, schema.experiment_tags
    key, op, value = comparison.key, comparison.op, comparison.value
    if comparison.entity == "tag":
        if op in ("IS NULL", "IS NOT NULL"):
            present = sa.exists().where(
                tags.c.experiment_id == experiments.c.experiment_id, tags.c.key == key
            )
            return source, present if op == "IS NOT NULL" else ~present
        row = tags.alias(alias)
        source = source.join(
            row, sa.and_(row.c.experiment_id == experiments.c.experiment_id, row.c.key == key)
        )
        return source, _string_condition(row.c.value, op, value)
    column = experiments.c[key]
    if key == "name":
        return source, _string_condition(column, op, value)
    if key == "experiment_id":
        if op in ("IN", "NOT IN"):
            ids = [int(v) for v in _string_list(value)]
            return source, column.in_(ids) if op == "IN" else column.not_in(ids)
        return source, _COMPARE[op](column, int(str(value)))
    return source, _COMPARE[op](column, value)


# ---- strings, case-sensitive on every backend -----------------------------------------------


def _string_condition(column: ColumnElement[Any], op: str, value: Any) -> ColumnElement[bool]:
    if op == "=":
        return _Exact(column) == value
    if op == "!=":
        return _Exact(column) != value
    if op == "LIKE":
        return _CaseSensitiveLike(column, str(value))
    if op == "ILIKE":
        return _CaseInsensitiveLike(column, str(value))
    if op == "IN":
        return _Exact(column).in_(_string_list(value))
    if op == "NOT IN":
        return _Exact(column).not_in(_string_list(value))
    raise MlflowException(
        f"Comparator {op!r} is not supported for string values.",
        error_code=INVALID_PARAMETER_VALUE,
    )


def _string_list(value: Any) -> list[str]:
    return [str(v) for v in value]


class _Exact(ColumnElement[str]):
    """A string column compared byte for byte (MySQL's default collations ignore case)."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: ColumnElement[Any]) -> None:
        self.column = column
        self.type = sa.String()


class _Sortable(_Exact):
    """A string column ordered by code point (PostgreSQL collations order by locale)."""

    inherit_cache = True


class _NullsLast(ColumnElement[Any]):
    """ORDER BY ``column`` in a direction with NULLs last, in the form each backend can serve
    from an index (``start_time DESC`` walks ``runs``' index on SQLite: no sort of all runs)."""

    inherit_cache = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ascending", InternalTraversal.dp_boolean),
    ]

    def __init__(self, column: ColumnElement[Any], ascending: bool) -> None:
        self.column = column
        self.ascending = ascending
        self.type = column.type


class _CaseSensitiveLike(ColumnElement[bool]):
    """``column LIKE pattern``, case-sensitive on every backend."""

    inherit_cache = True
    _is_implicitly_boolean = True  # no "= 1" after it where booleans are emulated
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
        ("glob_pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], pattern: str) -> None:
        self.column = column
        self.pattern = sa.bindparam(None, normalized_like(pattern), sa.String())
        self.glob_pattern = sa.bindparam(None, like_to_glob(pattern), sa.String())
        self.type = sa.Boolean()


class _CaseInsensitiveLike(ColumnElement[bool]):
    """``column ILIKE pattern`` on every backend."""

    inherit_cache = True
    _is_implicitly_boolean = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("pattern", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], pattern: str) -> None:
        self.column = column
        self.pattern = sa.bindparam(None, normalized_like(pattern), sa.String())
        self.type = sa.Boolean()


def _mysql_utf8(compiler: SQLCompiler, column: ColumnElement[Any], **kw: Any) -> str:
    return f"CONVERT({compiler.process(column, **kw)} USING utf8mb4)"


@compiles(_Exact)
def _exact_default(element: _Exact, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_Exact, "mysql")
def _exact_mysql(element: _Exact, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({_mysql_utf8(compiler, element.column, **kw)} AS BINARY)"


@compiles(_Sortable, "postgresql")
def _sortable_postgresql(element: _Sortable, compiler: SQLCompiler, **kw: Any) -> str:
    return f'{compiler.process(element.column, **kw)} COLLATE "C"'


@compiles(_NullsLast)
def _nulls_last_default(element: _NullsLast, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    direction = "ASC" if element.ascending else "DESC"
    return f"CASE WHEN {column} IS NULL THEN 1 ELSE 0 END, {column} {direction}"


@compiles(_NullsLast, "sqlite")
@compiles(_NullsLast, "mysql")
def _nulls_last_smallest(element: _NullsLast, compiler: SQLCompiler, **kw: Any) -> str:
    # NULL sorts as the smallest value: DESC already puts it last.
    column = compiler.process(element.column, **kw)
    return f"{column} IS NULL, {column} ASC" if element.ascending else f"{column} DESC"


@compiles(_NullsLast, "postgresql")
def _nulls_last_postgresql(element: _NullsLast, compiler: SQLCompiler, **kw: Any) -> str:
    # NULL sorts as the largest value: ASC already puts it last.
    column = compiler.process(element.column, **kw)
    return f"{column} ASC" if element.ascending else f"{column} DESC NULLS LAST"


@compiles(_CaseSensitiveLike)
def _like_default(element: _CaseSensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    # PostgreSQL: LIKE is case-sensitive and escapes with a backslash by default.
    return (
        f"{compiler.process(element.column, **kw)} LIKE {compiler.process(element.pattern, **kw)}"
    )


@compiles(_CaseSensitiveLike, "sqlite")
def _like_sqlite(element: _CaseSensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's LIKE ignores ASCII case; GLOB is case-sensitive.
    column = compiler.process(element.column, **kw)
    return f"{column} GLOB {compiler.process(element.glob_pattern, **kw)}"


@compiles(_CaseSensitiveLike, "mysql")
def _like_mysql(element: _CaseSensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    column = _mysql_utf8(compiler, element.column, **kw)
    return f"{column} COLLATE utf8mb4_bin LIKE {compiler.process(element.pattern, **kw)}"


@compiles(_CaseInsensitiveLike)
def _ilike_default(element: _CaseInsensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    column, like = compiler.process(element.column, **kw), compiler.process(element.pattern, **kw)
    return f"lower({column}) LIKE lower({like}) ESCAPE '\\'"


@compiles(_CaseInsensitiveLike, "postgresql")
def _ilike_postgresql(element: _CaseInsensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    column, like = compiler.process(element.column, **kw), compiler.process(element.pattern, **kw)
    return f"{column} ILIKE {like}"


@compiles(_CaseInsensitiveLike, "mysql")
def _ilike_mysql(element: _CaseInsensitiveLike, compiler: SQLCompiler, **kw: Any) -> str:
    # The binary collation keeps accents significant (utf8mb4_general_ci would ignore them).
    column = _mysql_utf8(compiler, element.column, **kw)
    like = compiler.process(element.pattern, **kw)
    return f"lower({column}) COLLATE utf8mb4_bin LIKE lower({like})"
