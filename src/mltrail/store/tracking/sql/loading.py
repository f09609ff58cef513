"""Bulk loading of runs and experiments: a few IN queries per page, then cheap object building.

``load_runs`` reads a list of runs with one query per table (runs, latest_metrics, params,
tags), chunked for long lists, and keeps the order it was given. Search and get_run both use
it, so a page of 5,000 runs costs four round trips per chunk, not one per run.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, select

from mltrail.entities import Experiment, Metric, Run, RunData, RunInfo
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.metric_values import SPECIAL_VALUES
from mltrail.store.tracking.sql.run_io import EMPTY_INPUTS, EMPTY_OUTPUTS, read_io

CHUNK_SIZE = 2000

_RUN_COLUMNS = tuple(schema.runs.c)  # table order, as search_sql's SELECT returns them
_R = {column.name: index for index, column in enumerate(_RUN_COLUMNS)}
_R_PK, _R_ID, _R_EXP, _R_NAME, _R_USER, _R_STATUS, _R_START, _R_END, _R_URI, _R_STAGE = (
    _R[name]
    for name in (
        "run_pk",
        "run_id",
        "experiment_id",
        "name",
        "user_id",
        "status",
        "start_time",
        "end_time",
        "artifact_uri",
        "lifecycle_stage",
    )
)
_EXPERIMENT_COLUMNS = (
    schema.experiments.c.experiment_id,
    schema.experiments.c.name,
    schema.experiments.c.artifact_location,
    schema.experiments.c.lifecycle_stage,
    schema.experiments.c.creation_time,
    schema.experiments.c.last_update_time,
)


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), CHUNK_SIZE):
        yield items[start : start + CHUNK_SIZE]


def run_info_from_row(row: Sequence[Any]) -> RunInfo:
    """A RunInfo from a row of the ``runs`` columns in table order (run_pk first)."""
    return RunInfo(
        run_id=row[_R_ID],
        experiment_id=str(row[_R_EXP]),
        run_name=row[_R_NAME],
        user_id=row[_R_USER],
        status=row[_R_STATUS],
        start_time=row[_R_START],
        end_time=row[_R_END],
        artifact_uri=row[_R_URI],
        lifecycle_stage=row[_R_STAGE],
    )


def select_run_rows() -> Any:
    """``SELECT`` of the run columns that ``run_info_from_row`` expects."""
    return select(*_RUN_COLUMNS)


def load_runs(conn: Connection, run_pks: Sequence[int]) -> list[Run]:
    """The runs with these surrogate keys, in the given order (missing keys are skipped)."""
    rows: list[Any] = []
    for chunk in _chunks(run_pks):
        query = select(*_RUN_COLUMNS).where(schema.runs.c.run_pk.in_(list(chunk)))
        rows.extend(conn.execute(query))
    by_pk = {row[_R_PK]: row for row in rows}
    return build_runs(conn, [by_pk[pk] for pk in run_pks if pk in by_pk])


def build_runs(conn: Connection, run_rows: Sequence[Any]) -> list[Run]:
    """Runs from rows of the ``runs`` table (columns in table order, as ``SELECT runs.*``),
    with their latest metrics, params, tags, inputs and outputs, in the order of the rows.

    The child rows are read on the connection's driver cursor (same transaction), which
    skips SQLAlchemy's per-row work: a page of 5,000 runs has about 100,000 child rows.
    """
    pks = [row[_R_PK] for row in run_rows]
    metrics: dict[int, list[Metric]] = {pk: [] for pk in pks}
    params: dict[int, dict[str, str]] = {pk: {} for pk in pks}
    tags: dict[int, dict[str, str]] = {pk: {} for pk in pks}
    dialect = conn.dialect.name
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for chunk in _chunks(pks):
            cursor.execute(_children_sql(dialect, "latest_metrics", len(chunk)), tuple(chunk))
            for pk, key, value, timestamp, step, special in cursor.fetchall():
                if special:
                    value = SPECIAL_VALUES[special]
                metrics[pk].append(Metric(key, value, timestamp, step))
            cursor.execute(_children_sql(dialect, "params", len(chunk)), tuple(chunk))
            for pk, key, value in cursor.fetchall():
                params[pk][key] = value
            cursor.execute(_children_sql(dialect, "tags", len(chunk)), tuple(chunk))
            for pk, key, value in cursor.fetchall():
                tags[pk][key] = value
    finally:
        cursor.close()
    inputs, outputs = read_io(conn, pks)
    return [
        Run(
            run_info_from_row(row),
            RunData(tuple(metrics[pk]), params[pk], tags[pk]),
            inputs.get(pk, EMPTY_INPUTS),
            outputs.get(pk, EMPTY_OUTPUTS),
        )
        for pk, row in zip(pks, run_rows, strict=True)
    ]


@functools.lru_cache(maxsize=64)
def _children_sql(dialect: str, table: str, count: int) -> str:
    """``SELECT`` of a child table's rows for ``count`` run keys, in the driver's style."""
    mark = "?" if dialect == "sqlite" else "%s"
    quote = (lambda name: f"`{name}`") if dialect in ("mysql", "mariadb") else (lambda n: f'"{n}"')
    key, timestamp = quote("key"), quote("timestamp")
    columns = f"run_pk, {key}, value"
    if table == "latest_metrics":
        columns += f", {timestamp}, step, special"
    marks = ", ".join([mark] * count)
    return f"SELECT {columns} FROM {table} WHERE run_pk IN ({marks})"


def load_experiments(conn: Connection, experiment_ids: Sequence[int]) -> list[Experiment]:
    """The experiments with these ids, with their tags, in the given order."""
    if not experiment_ids:
        return []
    rows: dict[int, Sequence[Any]] = {}
    tags: dict[int, dict[str, str]] = {eid: {} for eid in experiment_ids}
    exp_t, tag_t = schema.experiments, schema.experiment_tags
    for chunk in _chunks(experiment_ids):
        chunk_list = list(chunk)
        for row in conn.execute(
            select(*_EXPERIMENT_COLUMNS).where(exp_t.c.experiment_id.in_(chunk_list))
        ):
            rows[row[0]] = row
        for eid, key, value in conn.execute(
            select(tag_t.c.experiment_id, tag_t.c.key, tag_t.c.value).where(
                tag_t.c.experiment_id.in_(chunk_list)
            )
        ):
            tags[eid][key] = value
    return [
        Experiment(
            experiment_id=str(eid),
            name=rows[eid][1],
            artifact_location=rows[eid][2],
            lifecycle_stage=rows[eid][3],
            tags=tags[eid],
            creation_time=rows[eid][4],
            last_update_time=rows[eid][5],
        )
        for eid in experiment_ids
        if eid in rows
    ]
