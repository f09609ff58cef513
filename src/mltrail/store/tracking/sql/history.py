"""Metric history: every point of one metric of one run, read through the primary key.

The ``metrics`` primary key is (run_pk, key, timestamp, step, value, special), so the history
of a key is one contiguous, already ordered index range; points are built straight from the
driver's rows.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence

from mltrail.entities import Metric, PagedList
from mltrail.search.paging import decode_page_token, encode_page_token
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.metric_values import SPECIAL_VALUES
from mltrail.utils.validation import INT64_MAX, validate_max_results


@functools.cache
def _history_sql(dialect: str, paged: bool) -> str:
    p = "?" if dialect == "sqlite" else "%s"
    q = (lambda name: f"`{name}`") if dialect == "mysql" else (lambda name: f'"{name}"')
    sql = (
        f"SELECT m.{q('timestamp')}, m.step, m.value, m.special FROM metrics m "
        f"JOIN runs r ON r.run_pk = m.run_pk WHERE r.run_id = {p} AND m.{q('key')} = {p} "
        f"ORDER BY m.{q('timestamp')}, m.step, m.value, m.special"
    )
    return f"{sql} LIMIT {p} OFFSET {p}" if paged else sql


def get_metric_history(
    db: Database,
    run_id: str,
    metric_key: str,
    max_results: int | None = None,
    page_token: str | None = None,
) -> PagedList[Metric]:
    """Points ordered by (timestamp, step, value); an unknown run or key gives an empty list."""
    offset = decode_page_token(page_token)
    limit = None if max_results is None else validate_max_results(max_results, INT64_MAX - 1)
    if not isinstance(run_id, str) or not isinstance(metric_key, str):
        return PagedList([], None)
    paged = limit is not None or offset > 0
    parameters: tuple[object, ...] = (run_id, metric_key)
    if paged:
        # MySQL needs a LIMIT to use OFFSET: "no limit" is the largest int64.
        parameters += (INT64_MAX if limit is None else limit + 1, offset)
    with db.raw_read() as cursor:
        cursor.execute(_history_sql(db.dialect, paged), parameters)
        rows = cursor.fetchall()
    token = None
    if limit is not None and len(rows) > limit:
        rows = rows[:limit]
        token = encode_page_token(offset + limit)
    return PagedList(build_points(metric_key, rows), token)


_HISTORY_FIELDS = ("key", "value", "timestamp", "step")
_UNSET_FIELDS = ("run_id", "dataset_name", "dataset_digest", "model_id")
_FAST_BUILD = (
    getattr(Metric, "__slots__", None) is not None
    and tuple(f.name for f in dataclasses.fields(Metric)) == _HISTORY_FIELDS + _UNSET_FIELDS
)


def build_points(key: str, rows: Sequence[tuple[int, int, float, int]]) -> list[Metric]:
    """Metric points from (timestamp, step, value, special) rows.

    Large histories are the hot case (200,000 points), and a frozen dataclass's __init__
    sets each field through object.__setattr__. When Metric has exactly the expected slots,
    the slots are filled directly (about twice as fast); otherwise the constructor is used.
    """
    special_values = SPECIAL_VALUES
    if not _FAST_BUILD:
        return [
            Metric(key, special_values[special] if special else value, timestamp, step)
            for timestamp, step, value, special in rows
        ]
    new = object.__new__
    set_key, set_value, set_timestamp, set_step = (
        getattr(Metric, name).__set__ for name in _HISTORY_FIELDS
    )
    unset = [getattr(Metric, name).__set__ for name in _UNSET_FIELDS]
    set_run, set_name, set_digest, set_model = unset
    points: list[Metric] = []
    append = points.append
    for timestamp, step, value, special in rows:
        point = new(Metric)
        set_key(point, key)
        set_value(point, special_values[special] if special else value)
        set_timestamp(point, timestamp)
        set_step(point, step)
        set_run(point, None)
        set_name(point, None)
        set_digest(point, None)
        set_model(point, None)
        append(point)
    return points
