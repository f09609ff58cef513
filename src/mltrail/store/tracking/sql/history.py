"""Metric history: every point of one metric of one run, read through the primary key.

The ``metrics`` primary key is (run_pk, key, timestamp, step, value, special), so the history
of a key is one contiguous, already ordered index range; points are built straight from the
driver's rows.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from mltrail.entities import Metric, PagedList
from mltrail.search.paging import decode_page_token, encode_page_token
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.metric_values import SPECIAL_VALUES
from mltrail.utils.bulk import collector_paused
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
    with collector_paused():
        with db.raw_read() as cursor:
            cursor.execute(_history_sql(db.dialect, paged), parameters)
            rows = cursor.fetchall()
        token = None
        if limit is not None and len(rows) > limit:
            rows = rows[:limit]
            token = encode_page_token(offset + limit)
        return PagedList(build_points(metric_key, rows), token)


def build_points(key: str, rows: Sequence[tuple[int, int, float, int]]) -> list[Metric]:
    """Metric points from (timestamp, step, value, special) rows (the hot case: 200,000)."""
    special_values = SPECIAL_VALUES
    new = tuple.__new__
    unset = (None, None, None, None)  # run_id, dataset_name, dataset_digest, model_id
    return [
        new(Metric, (key, special_values[special] if special else value, timestamp, step, *unset))
        for timestamp, step, value, special in rows
    ]
