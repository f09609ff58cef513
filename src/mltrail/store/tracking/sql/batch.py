"""log_batch, the hot path behind log_metric, log_param and set_tag.

Everything is validated before the database is touched; then one transaction writes params
(write-once: a changed value aborts the whole batch), metric points (exact duplicates are
ignored), the latest point per metric key (replaced only by a greater (step, timestamp,
value)), and tags (upserts; ``mlflow.runName`` also renames the run). The SQL is written once
per dialect (``statements.py``) and runs on a pooled driver cursor with ``executemany``,
bypassing SQLAlchemy's per-statement overhead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mltrail.entities import LifecycleStage, Metric, Param, RunTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.errors import run_not_active, run_not_found
from mltrail.store.tracking.sql.metric_values import encode
from mltrail.store.tracking.sql.runs import RUN_NAME_TAG, validated_tags
from mltrail.store.tracking.sql.schema import FINITE
from mltrail.store.tracking.sql.statements import Statements, statements_for
from mltrail.utils.validation import (
    INT64_MAX,
    INT64_MIN,
    key_problem,
    metric_step,
    metric_timestamp,
    metric_value,
    param_value,
    validate_batch_sizes,
    validate_key,
    validate_no_duplicate_param_keys,
    validate_run_name,
)

MetricRow = tuple[int, str, int, int, float, int]  # run_pk, key, timestamp, step, value, special


def _metric_rows(run_pk: int, metrics: Sequence[Metric]) -> list[MetricRow]:
    """Validated, encoded rows. Common types (str key, float value, int timestamp and step)
    take an inlined fast path; anything else goes through the full validators."""
    rows: list[MetricRow] = []
    append = rows.append
    good_keys: set[str] = set()  # keys repeat within a batch: check each once
    for metric in metrics:
        key, value, timestamp, step = metric.key, metric.value, metric.timestamp, metric.step
        if (
            type(value) is float
            and value - value == 0.0  # finite
            and type(timestamp) is int
            and type(step) is int
            and 0 <= timestamp <= INT64_MAX
            and INT64_MIN <= step <= INT64_MAX
            and type(key) is str
            and (key in good_keys or key_problem(key) is None)
        ):
            good_keys.add(key)
            append((run_pk, key, timestamp, step, value, FINITE))
            continue
        key = validate_key("metric", key)
        timestamp = metric_timestamp(key, timestamp)
        stored, special = encode(metric_value(key, value, timestamp))
        append((run_pk, key, timestamp, metric_step(key, step), stored, special))
    return rows


def _param_items(params: Sequence[Param]) -> list[tuple[str, str]]:
    items = []
    for param in params:
        key = validate_key("param", param.key)
        items.append((key, param_value(key, param.value)))
    validate_no_duplicate_param_keys([key for key, _ in items])
    return items


def _latest_per_key(rows: list[MetricRow]) -> list[MetricRow]:
    """The greatest (step, timestamp, value) row of each key, sorted by key (one lock order)."""
    if len(rows) == 1:
        return rows
    best: dict[str, MetricRow] = {}
    get = best.get
    for row in rows:
        current = get(row[1])
        if (
            current is None
            or row[3] > current[3]
            or (row[3] == current[3] and (row[2], row[4]) > (current[2], current[4]))
        ):
            best[row[1]] = row
    return [best[key] for key in sorted(best)]


def _execute(cursor: Any, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if len(rows) == 1:
        cursor.execute(sql, rows[0])
    else:
        cursor.executemany(sql, rows)


def _cached_run_pk(db: Database, st: Statements, run_id: str) -> int:
    """The run's surrogate key. A run_id -> run_pk pair never changes, so it is cached; the
    run's state is still read in every write transaction (``_check_run``)."""
    run_pk = db.run_pks.get(run_id) if isinstance(run_id, str) else None
    if run_pk is None:
        if not isinstance(run_id, str):
            raise run_not_found(run_id)
        with db.raw_read() as cursor:
            cursor.execute(st.select_run_for_write, (run_id,))
            row = cursor.fetchone()
        if row is None:
            raise run_not_found(run_id)
        run_pk = int(row[0])
        db.remember_run_pk(run_id, run_pk)
    return run_pk


def _check_run(cursor: Any, st: Statements, run_pk: int, run_id: str) -> bool:
    """In the write transaction: True if ``run_pk`` still is ``run_id`` (False if that row was
    removed, e.g. by garbage collection); raises if the run is not active."""
    cursor.execute(st.select_run_state, (run_pk,))
    row = cursor.fetchone()
    if row is None or row[0] != run_id:
        return False
    if row[1] != LifecycleStage.ACTIVE:
        raise run_not_active(run_id, row[1])
    return True


def _active_run_pk(cursor: Any, st: Statements, run_id: str) -> int:
    cursor.execute(st.select_run_for_write, (run_id,))
    row = cursor.fetchone()
    if row is None:
        raise run_not_found(run_id)
    if row[1] != LifecycleStage.ACTIVE:
        raise run_not_active(run_id, row[1])
    return int(row[0])


def _write_params(
    cursor: Any, st: Statements, run_pk: int, run_id: str, items: list[tuple[str, str]]
) -> None:
    _execute(cursor, st.insert_params, [(run_pk, key, value) for key, value in sorted(items)])
    if st.reliable_insert_rowcount and cursor.rowcount == len(items):
        return  # every param was new
    keys = [key for key, _ in items]
    cursor.execute(st.select_params(len(keys)), (run_pk, *keys))
    stored = dict(cursor.fetchall())
    for key, value in items:
        old = stored.get(key)
        if old is not None and old != value:
            raise MlflowException(
                f"Changing param values is not allowed. Param with key='{key}' was already "
                f"logged with value='{old}' for run ID='{run_id}'. Attempted logging new value "
                f"'{value}'.",
                error_code=INVALID_PARAMETER_VALUE,
            )


def log_batch(
    db: Database,
    run_id: str,
    metrics: Sequence[Metric],
    params: Sequence[Param],
    tags: Sequence[RunTag],
) -> None:
    validate_batch_sizes(len(metrics), len(params), len(tags))
    st = statements_for(db.dialect)
    run_pk = _cached_run_pk(db, st, run_id)
    rows = _metric_rows(run_pk, metrics) if metrics else []
    param_items = _param_items(params) if params else []
    tag_values = validated_tags(tags) if tags else {}
    new_name = tag_values.get(RUN_NAME_TAG)
    if new_name is not None:
        validate_run_name(new_name)
    with db.raw_write() as cursor:
        if not _check_run(cursor, st, run_pk, run_id):
            db.run_pks.pop(run_id, None)
            run_pk = _active_run_pk(cursor, st, run_id)
            rows = [(run_pk, *row[1:]) for row in rows]
        if param_items:
            _write_params(cursor, st, run_pk, run_id, param_items)
        if rows:
            _execute(cursor, st.insert_metrics, rows)
            _execute(cursor, st.upsert_latest_metric, _latest_per_key(rows))
        if tag_values:
            _execute(cursor, st.upsert_tag, [(run_pk, k, v) for k, v in sorted(tag_values.items())])
            if new_name:
                cursor.execute(st.update_run_name, (new_name, run_pk))
