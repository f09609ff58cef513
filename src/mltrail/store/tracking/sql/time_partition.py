"""A faster whole-series reduction on SQLite: one primary-key range per time bucket.

The metrics primary key is (run_pk, key, timestamp, ...), so the points of a series with
timestamps in [a, b) are one contiguous index range, and an aggregate over it needs no sort.
One such range query per bucket reads every point once, without the sorter a ``GROUP BY`` over
a computed bucket number needs (~230 ms instead of ~550 ms for 1,000,000 points).

* Timestamp axis: the ranges are the equal-width x intervals themselves, so the buckets are
  exactly those of the ``GROUP BY`` (min/max/sum/count of the finite values per interval).
* Step axis: the time buckets are a valid reduction in step space when their step ranges do
  not overlap (steps rise with time, as training loops log them): each bucket then holds every
  point whose step lies in its range, so spikes and the first and last points survive. Their
  step widths follow the logging rate instead of being equal; the chart draws each bucket over
  its own [first, last] range. When steps do not rise with time, ``None`` sends the caller
  back to the ``GROUP BY``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from mltrail.store.tracking.sql import schema

# A grouped row, as reduced_history.Group: (interval, special, x_first, x_last, min, max,
# sum, count); special is FINITE for the finite values, NAN marks "non-finite points here".
Group = tuple[int, int, int, int, Any, Any, Any, int]

# Per bucket: count, x bounds, value min/max/sum and the largest special code (0: all finite).
_RANGE_SQL = (
    "SELECT count(*), min({x}), max({x}), min(value), max(value), sum(value), max(special) "
    'FROM metrics WHERE run_pk = ? AND "key" = ? AND timestamp >= ? AND timestamp < ?'
)
# The rare bucket holding NaN/inf points: the same over its finite points only.
_FINITE_RANGE_SQL = (
    "SELECT min(value), max(value), sum(value), count(*) FROM metrics "
    'WHERE run_pk = ? AND "key" = ? AND timestamp >= ? AND timestamp < ? AND special = 0'
)
# Small series come back raw anyway: counting at most 2 * buckets + 1 points tells cheaply.
_AT_LEAST_SQL = (
    'SELECT count(*) FROM (SELECT 1 FROM metrics WHERE run_pk = ? AND "key" = ? LIMIT ?)'
)
_BOUNDS_SQL = 'SELECT min(timestamp), max(timestamp) FROM metrics WHERE run_pk = ? AND "key" = ?'


def time_partition_groups(
    conn: Connection, run_pk: int, key: str, axis: str, n_buckets: int
) -> list[Group] | None:
    """The whole series' groups from per-bucket time ranges (SQLite only), or None when this
    way does not apply (at most 2 * buckets points, one timestamp, or steps that do not rise
    with time)."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        limit = 2 * n_buckets + 1
        if cursor.execute(_AT_LEAST_SQL, (run_pk, key, limit)).fetchone()[0] < limit:
            return None
        low, high = cursor.execute(_BOUNDS_SQL, (run_pk, key)).fetchone()
        if low is None or high is None or low == high:
            return None
        width = high - low + 1
        range_sql = _RANGE_SQL.format(x="step" if axis == "step" else "timestamp")
        rows = []
        for index in range(n_buckets):
            start = low + index * width // n_buckets
            end = low + (index + 1) * width // n_buckets
            if end <= start:
                continue
            count, x_first, x_last, v_min, v_max, v_sum, special = cursor.execute(
                range_sql, (run_pk, key, start, end)
            ).fetchone()
            if not count:
                continue
            if axis == "step" and rows and x_first <= rows[-1][1][2]:
                return None  # a step in two buckets: steps do not rise with time; stop early
            finite = count
            if special:  # non-finite points here: aggregate the finite ones apart
                v_min, v_max, v_sum, finite = cursor.execute(
                    _FINITE_RANGE_SQL, (run_pk, key, start, end)
                ).fetchone()
            rows.append((index, (count, x_first, x_last, v_min, v_max, v_sum, finite)))
    finally:
        cursor.close()
    return _groups(rows)


def _groups(rows: list[tuple[int, tuple[Any, ...]]]) -> list[Group]:
    groups: list[Group] = []
    for index, row in rows:
        count, x_first, x_last, v_min, v_max, v_sum, finite = row
        if finite:
            groups.append(
                (index, schema.FINITE, int(x_first), int(x_last), v_min, v_max, v_sum, finite)
            )
        if count > finite:
            groups.append(
                (index, schema.NAN, int(x_first), int(x_last), None, None, None, count - finite)
            )
    return groups
