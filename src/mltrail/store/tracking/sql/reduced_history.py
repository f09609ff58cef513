"""A metric history reduced to chart size, computed in the database.

The window (all x, or ``x_min..x_max`` on the step or timestamp axis) is cut into ``buckets``
equal-width x intervals between its smallest and largest x, and one ``GROUP BY`` reduces each
interval to (first x, last x, min, max, sum, count) of its finite values, so every spike
survives as the max (or min) of its interval. The same pass (grouped by interval and the
``special`` column) counts the non-finite points, which are then listed apart (at most
``HISTORY_MAX_SPECIAL``). A window of at most ``2 * buckets`` points comes back raw.

The interval number is ``(x - x_lo) * buckets DIV (span + 1)`` in integers (``DIV`` on MySQL,
whose ``/`` gives a rounded decimal; ``/`` truncates integers on SQLite and PostgreSQL), so the
three backends agree exactly; only a product beyond BIGINT falls back to floating point.

On SQLite a whole series is reduced by ``time_partition.py`` instead when it applies (one
primary-key range query per time bucket, no sorter: about twice as fast for 1,000,000
points); zoom windows and the other backends use the ``GROUP BY``.

Speed: the grouped pass over the points is nearly the whole cost (the metrics primary key
keeps a series contiguous). For the whole series no counting pass precedes it on SQLite: the
x bounds come from index lookups (see ``_first_bounds``), the grouped pass returns the counts
and the true bounds, and in the rare case the guessed bounds were off the pass is redone.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.errors import run_not_found
from mltrail.store.tracking.sql.metric_values import decode
from mltrail.store.tracking.sql.reduction_cache import CacheKey, ReductionCache
from mltrail.store.tracking.sql.runs import run_pk_of
from mltrail.store.tracking.sql.time_partition import time_partition_groups
from mltrail.store.tracking.ui_queries import (
    HISTORY_MAX_SPECIAL,
    INT64_MAX,
    HistoryRequest,
    ReducedHistory,
)
from mltrail.utils.bulk import collector_paused

_metrics = schema.metrics
Bucket = tuple[int, int, float, float, float, int]
_REMEMBERED: ReductionCache[ReducedHistory] = ReductionCache()
# A grouped row: (interval, special, x_first, x_last, min, max, sum, count).
Group = tuple[int, int, int, int, Any, Any, Any, int]


def _axes(axis: str) -> tuple[sa.Column[Any], sa.Column[Any]]:
    """(x column, the other axis column)."""
    if axis == "timestamp":
        return _metrics.c.timestamp, _metrics.c.step
    return _metrics.c.step, _metrics.c.timestamp


def _stats(conn: Connection, where: list[Any], x: sa.Column[Any]) -> tuple[int, Any, Any]:
    query = sa.select(sa.func.count(), sa.func.min(x), sa.func.max(x)).where(*where)
    count, low, high = conn.execute(query).one()
    return int(count or 0), low, high


def _window_stats(
    conn: Connection, series: list[Any], bounds: list[Any], x: sa.Column[Any], axis: str
) -> tuple[int, tuple[int, int] | None, tuple[int, Any, Any]]:
    """(series count, series x range, (window count, window min x, window max x)).

    Timestamps: two queries, the window's served by a primary-key range. Steps: one pass
    computing both (without an index on steps, each query would read the whole series)."""
    if axis == "timestamp":
        total, low, high = _stats(conn, series, x)
        window = _stats(conn, series + bounds, x) if total else (0, None, None)
    else:
        inside = sa.and_(*bounds)
        query = sa.select(
            sa.func.count(),
            sa.func.min(x),
            sa.func.max(x),
            sa.func.count(sa.case((inside, 1))),
            sa.func.min(sa.case((inside, x))),
            sa.func.max(sa.case((inside, x))),
        ).where(*series)
        total, low, high, in_count, in_low, in_high = conn.execute(query).one()
        total = int(total or 0)
        window = (int(in_count or 0), in_low, in_high)
    x_range = (int(low), int(high)) if total else None
    return total, x_range, window


def _first_bounds(
    conn: Connection, series: list[Any], x: sa.Column[Any], axis: str, run_pk: int, key: str
) -> tuple[int, int] | None:
    """The series' x bounds without a pass over it where possible (None when empty).

    Timestamps: exact, from the primary key. Steps on SQLite: the latest point's step (the
    largest) and the first point's step, a guess for the smallest that the grouped pass
    checks (a wrong guess only makes SQLite's integer product overflow into a float, never
    fail). Steps elsewhere: a counting pass (PostgreSQL and MySQL raise on that overflow).
    """
    m = _metrics.c
    if axis == "timestamp":
        low = conn.execute(sa.select(sa.func.min(m.timestamp)).where(*series)).scalar()
        high = conn.execute(sa.select(sa.func.max(m.timestamp)).where(*series)).scalar()
        return None if low is None or high is None else (int(low), int(high))
    latest = schema.latest_metrics.c
    high = None
    if conn.dialect.name == "sqlite":
        high = conn.execute(
            sa.select(latest.step).where(latest.run_pk == run_pk, latest.key == key)
        ).scalar()
    if high is None:  # another backend, or no latest point recorded: count exactly
        count, low, high = _stats(conn, series, x)
        return (int(low), int(high)) if count else None
    first = sa.select(m.step).where(*series).order_by(m.timestamp, m.step).limit(1)
    low = conn.execute(first).scalar()
    return None if low is None else (int(min(low, high)), int(high))


def _bucket_index(dialect: str, x: sa.Column[Any], low: int, span: int, n_buckets: int) -> Any:
    """The interval number ``floor((x - low) * n_buckets / (span + 1))``, in 0..n_buckets-1
    for x in [low, low + span]; exact integer arithmetic when ``span * n_buckets`` fits in a
    BIGINT (truncating division is floor for ``x >= low``), floating point otherwise."""
    width = span + 1
    if width * n_buckets <= INT64_MAX and abs(low) <= INT64_MAX // 2:
        scaled = (x - sa.literal(low, sa.BigInteger)) * sa.literal(n_buckets, sa.BigInteger)
        divisor = sa.literal(width, sa.BigInteger)
        return scaled.op("DIV")(divisor) if dialect == "mysql" else scaled // divisor
    offset = (x - sa.literal(float(low), sa.Float)) * sa.literal(n_buckets / width, sa.Float)
    if dialect == "sqlite":
        return sa.cast(offset, sa.Integer)  # truncates toward zero
    return sa.func.floor(offset)  # a cast would round on PostgreSQL and MySQL


def _grouped(
    conn: Connection, where: list[Any], x: sa.Column[Any], low: int, high: int, n_buckets: int
) -> list[Group]:
    """One pass grouped by (interval, special): x bounds and count of every group, and
    min/max/sum of the values of the finite ones (a sum over clamped infinities would
    overflow on PostgreSQL and MySQL, hence the CASE)."""
    m = _metrics.c
    index = _bucket_index(conn.dialect.name, x, low, high - low, n_buckets).label("b")
    rows = sa.select(index, m.special, x.label("x"), m.value).where(*where).subquery()
    finite_sum = sa.func.sum(sa.case((rows.c.special == schema.FINITE, rows.c.value)))
    query = (
        sa.select(
            rows.c.b,
            rows.c.special,
            sa.func.min(rows.c.x),
            sa.func.max(rows.c.x),
            sa.func.min(rows.c.value),
            sa.func.max(rows.c.value),
            finite_sum,
            sa.func.count(),
        )
        .group_by(rows.c.b, rows.c.special)
        .order_by(rows.c.b)
    )
    return [
        (int(b), int(special), int(x0), int(x1), v_min, v_max, total, int(count))
        for b, special, x0, x1, v_min, v_max, total, count in conn.execute(query)
    ]


def _buckets(groups: list[Group]) -> list[Bucket]:
    """Buckets of the finite values (intervals holding only NaN/inf points are left out)."""
    return [
        (x0, x1, float(v_min), float(v_max), float(total) / count, count)
        for _b, special, x0, x1, v_min, v_max, total, count in groups
        if special == schema.FINITE
    ]


def _specials(conn: Connection, where: list[Any], x: sa.Column[Any]) -> list[tuple[int, float]]:
    query = (
        sa.select(x, _metrics.c.special)
        .where(*where, _metrics.c.special != schema.FINITE)
        .order_by(x)
        .limit(HISTORY_MAX_SPECIAL)
    )
    return [(int(at), decode(0.0, special)) for at, special in conn.execute(query)]


def _points(
    conn: Connection, where: list[Any], x: sa.Column[Any], other: sa.Column[Any]
) -> list[tuple[int, int, float]]:
    m = _metrics.c
    query = sa.select(m.step, m.timestamp, m.value, m.special).where(*where)
    query = query.order_by(x, other, m.value, m.special)
    return [(int(s), int(t), decode(v, sp)) for s, t, v, sp in conn.execute(query)]


def _whole_series(
    conn: Connection, series: list[Any], x: sa.Column[Any], request: HistoryRequest, run_pk: int
) -> tuple[int, tuple[int, int] | None, list[Group]]:
    """(total points, x range, groups) of the whole series: one pass when the first bounds
    hold (nearly always), a second one with the true bounds otherwise."""
    if conn.dialect.name == "sqlite":
        fast = time_partition_groups(
            conn, run_pk, request.metric_key, request.x_axis, request.buckets
        )
        if fast:
            low, high = min(g[2] for g in fast), max(g[3] for g in fast)
            return sum(g[7] for g in fast), (low, high), fast
    guess = _first_bounds(conn, series, x, request.x_axis, run_pk, request.metric_key)
    if guess is None:
        return 0, None, []
    groups = _grouped(conn, series, x, *guess, request.buckets)
    low, high = min(g[2] for g in groups), max(g[3] for g in groups)
    if (low, high) != guess:
        groups = _grouped(conn, series, x, low, high, request.buckets)
    return sum(g[7] for g in groups), (low, high), groups


def _remembered(conn: Connection, series: list[Any], key: CacheKey) -> ReducedHistory | None:
    """The remembered reduction of the whole series, if its point count is unchanged."""
    if _REMEMBERED.remembered_count(key) is None:
        return None
    count = conn.execute(sa.select(sa.func.count()).where(*series)).scalar() or 0
    return _REMEMBERED.get(key, int(count))


def reduced_history(db: Database, request: HistoryRequest) -> ReducedHistory:
    x, other = _axes(request.x_axis)
    whole = request.x_min is None and request.x_max is None
    cache_key: CacheKey = (
        db.uri,
        request.run_id,
        request.metric_key,
        request.x_axis,
        request.buckets,
    )
    with collector_paused(), db.read() as conn:
        run_pk = run_pk_of(conn, request.run_id)
        if run_pk is None:
            raise run_not_found(request.run_id)
        series = [_metrics.c.run_pk == run_pk, _metrics.c.key == request.metric_key]
        if whole and (remembered := _remembered(conn, series, cache_key)) is not None:
            return remembered
        window = list(series)
        if request.x_min is not None:
            window.append(x >= request.x_min)
        if request.x_max is not None:
            window.append(x <= request.x_max)
        groups: list[Group] | None = None
        if len(window) == len(series):
            total, x_range, groups = _whole_series(conn, series, x, request, run_pk)
            count = total
        else:
            total, x_range, (count, w_low, w_high) = _window_stats(
                conn, series, window[len(series) :], x, request.x_axis
            )
            if count > 2 * request.buckets and w_low is not None and w_high is not None:
                groups = _grouped(conn, window, x, int(w_low), int(w_high), request.buckets)
        result: dict[str, Any] = {
            "run_id": request.run_id,
            "metric_key": request.metric_key,
            "x_axis": request.x_axis,
            "total_points": total,
            "window_points": count,
            "x_range": x_range,
        }
        if count <= 2 * request.buckets or groups is None:
            points = _points(conn, window, x, other) if count else []
            return ReducedHistory(**result, reduced=False, points=points)
        has_special = any(g[1] != schema.FINITE for g in groups)
        special = _specials(conn, window, x) if has_special else []
    reduced = ReducedHistory(**result, reduced=True, buckets=_buckets(groups), special=special)
    if whole:
        _REMEMBERED.put(cache_key, total, reduced)
    return reduced
