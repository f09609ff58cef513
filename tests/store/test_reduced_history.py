"""``get_metric_history_reduced`` on every backend: raw points for small windows, min/max/mean
buckets computed in SQL otherwise (spikes survive, non-finite points listed apart), zoom
windows on both axes, and agreement with the generic implementation."""

from __future__ import annotations

import itertools
import math
from typing import Any

import pytest

from mltrail.entities import Metric
from mltrail.exceptions import MlflowException
from mltrail.store.tracking.abstract import AbstractTrackingStore
from mltrail.store.tracking.sql import SqlTrackingStore

T0 = 1_700_000_000_000


def _log(store: SqlTrackingStore, run_id: str, points: list[Metric]) -> None:
    for start in range(0, len(points), 1000):
        store.log_batch(run_id, points[start : start + 1000], (), ())


def _run(store: SqlTrackingStore) -> str:
    experiment = store.get_experiment_by_name("h")
    experiment_id = experiment.experiment_id if experiment else store.create_experiment("h")
    return store.create_run(experiment_id, "u", 1, [], "h").info.run_id


def _expected_buckets(xs_values: list[tuple[int, float]], n: int) -> list[tuple]:
    """Equal-width integer buckets, as the store defines them, computed in Python."""
    low, high = xs_values[0][0], xs_values[-1][0]
    groups: dict[int, list[tuple[int, float]]] = {}
    for x, v in xs_values:
        if math.isfinite(v):
            groups.setdefault((x - low) * n // (high - low + 1), []).append((x, v))
    out = []
    for key in sorted(groups):
        xs = [x for x, _ in groups[key]]
        vs = [v for _, v in groups[key]]
        out.append((min(xs), max(xs), min(vs), max(vs), sum(vs) / len(vs), len(vs)))
    return out


def _assert_partition(result: Any, finite_points: int, buckets: int) -> None:
    """What every whole-series reduction guarantees, whichever way the store computed it:
    ordered buckets whose x ranges do not overlap, at most ``buckets`` of them, holding every
    finite point once, each with min <= mean <= max."""
    assert result.reduced and 0 < len(result.buckets) <= buckets
    assert sum(b[5] for b in result.buckets) == finite_points
    for before, after in itertools.pairwise(result.buckets):
        assert before[1] < after[0]
    for x_first, x_last, low, high, mean, _count in result.buckets:
        assert x_first <= x_last and low <= mean + 1e-9 and mean <= high + 1e-9


def _shape(buckets: list[tuple]) -> list[tuple]:
    """Buckets without their mean (compared exactly; means are compared with a tolerance)."""
    return [(*b[:4], b[5]) for b in buckets]


def _means_close(got: list[tuple], expected: list[tuple]) -> bool:
    return all(
        math.isclose(g[4], e[4], rel_tol=1e-9, abs_tol=1e-12)
        for g, e in zip(got, expected, strict=True)
    )


def test_small_window_comes_back_raw(store: SqlTrackingStore):
    run_id = _run(store)
    values = [0.5, math.nan, math.inf, -math.inf, 2.0]
    _log(store, run_id, [Metric("m", v, T0 + i, 10 + i) for i, v in enumerate(values)])
    result = store.get_metric_history_reduced(run_id, "m", buckets=3)
    assert (result.total_points, result.window_points, result.x_range) == (5, 5, (10, 14))
    assert not result.reduced and result.buckets == [] and result.special == []
    assert [(s, t) for s, t, _ in result.points] == [(10 + i, T0 + i) for i in range(5)]
    got = [v for _, _, v in result.points]
    assert got[0] == 0.5 and math.isnan(got[1]) and got[2:] == [math.inf, -math.inf, 2.0]
    by_time = store.get_metric_history_reduced(run_id, "m", "timestamp", 3)
    assert by_time.x_range == (T0, T0 + 4)
    assert [p[:2] for p in by_time.points] == [p[:2] for p in result.points]


def test_reduction_keeps_every_spike_and_lists_specials(store: SqlTrackingStore):
    run_id = _run(store)
    n = 20_000
    values = [math.sin(i / 50) * 0.01 for i in range(n)]
    values[12_345], values[777] = 100.0, -50.0
    values[3] = math.nan
    values[19_999] = math.inf
    _log(store, run_id, [Metric("s", v, T0 + 7 * i, i) for i, v in enumerate(values)])
    # A window naming every step takes the GROUP BY (equal-width step intervals) everywhere.
    result = store.get_metric_history_reduced(run_id, "s", buckets=100, x_min=0)
    assert result.reduced and result.total_points == n == result.window_points
    assert len(result.buckets) == 100
    expected = _expected_buckets(list(enumerate(values)), 100)
    assert _shape(result.buckets) == _shape(expected)
    assert _means_close(result.buckets, expected)
    whole = store.get_metric_history_reduced(run_id, "s", buckets=100)
    _assert_partition(whole, n - 2, buckets=100)
    assert next(b for b in whole.buckets if b[0] <= 12_345 <= b[1])[3] == 100.0
    assert min(b[2] for b in whole.buckets) == -50.0
    assert whole.special == result.special
    spike = next(b for b in result.buckets if b[0] <= 12_345 <= b[1])
    assert spike[3] == 100.0
    assert min(b[2] for b in result.buckets) == -50.0
    assert sum(b[5] for b in result.buckets) == n - 2
    assert result.special[0][0] == 3 and math.isnan(result.special[0][1])
    assert result.special[1] == (19_999, math.inf)


def test_zoom_window_and_timestamp_axis(store: SqlTrackingStore):
    run_id = _run(store)
    n = 5000
    values = [float(i % 17) for i in range(n)]
    values[2500] = 999.0
    _log(store, run_id, [Metric("z", v, T0 + 3 * i, 2 * i) for i, v in enumerate(values)])
    zoom = store.get_metric_history_reduced(run_id, "z", buckets=10, x_min=4000, x_max=6000)
    assert zoom.total_points == n and zoom.window_points == 1001 and zoom.x_range == (0, 9998)
    assert zoom.reduced and zoom.buckets[0][0] == 4000 and zoom.buckets[-1][1] == 6000
    assert max(b[3] for b in zoom.buckets) == 999.0
    raw = store.get_metric_history_reduced(run_id, "z", buckets=10, x_min=4000.5, x_max=4040)
    assert not raw.reduced and [p[0] for p in raw.points] == list(range(4002, 4041, 2))
    only_min = store.get_metric_history_reduced(run_id, "z", buckets=1000, x_min=9000)
    assert not only_min.reduced and only_min.window_points == 500
    only_max = store.get_metric_history_reduced(run_id, "z", buckets=6, x_max=20)
    assert [p[0] for p in only_max.points] == list(range(0, 21, 2))
    by_time = store.get_metric_history_reduced(
        run_id, "z", "timestamp", 10, x_min=T0 + 3 * 2000, x_max=T0 + 3 * 2999
    )
    assert by_time.reduced and by_time.window_points == 1000
    assert by_time.x_range == (T0, T0 + 3 * (n - 1))
    assert by_time.buckets[0][0] == T0 + 6000 and by_time.buckets[-1][1] == T0 + 3 * 2999
    assert max(b[3] for b in by_time.buckets) == 999.0
    empty = store.get_metric_history_reduced(run_id, "z", buckets=10, x_min=10**12)
    assert (empty.window_points, empty.reduced, empty.points) == (0, False, [])


def test_integer_bucket_boundaries_agree_on_every_backend(store: SqlTrackingStore):
    """Equal-width integer intervals: exactly the same bucket edges everywhere (MySQL's '/'
    would round a decimal; a float formula would drift at the edges)."""
    run_id = _run(store)
    xs = [3 * i + (i % 2) for i in range(3001)]
    _log(store, run_id, [Metric("b", float(i), T0 + i, x) for i, x in enumerate(xs)])
    for buckets in (7, 13, 1000):
        result = store.get_metric_history_reduced(run_id, "b", buckets=buckets, x_min=0)
        expected = _expected_buckets([(x, float(i)) for i, x in enumerate(xs)], buckets)
        assert _shape(result.buckets) == _shape(expected)
        generic = AbstractTrackingStore.get_metric_history_reduced(
            store, run_id, "b", "step", buckets, x_min=0
        )
        assert _shape(generic.buckets) == _shape(result.buckets)
        assert _means_close(generic.buckets, result.buckets)


def test_one_x_value_many_points_is_one_bucket(store: SqlTrackingStore):
    run_id = _run(store)
    _log(store, run_id, [Metric("same", float(i), T0 + i, 5) for i in range(50)])
    result = store.get_metric_history_reduced(run_id, "same", buckets=4)
    assert result.reduced and result.buckets == [(5, 5, 0.0, 49.0, 24.5, 50)]


def test_whole_series_when_steps_do_not_rise_with_time(store: SqlTrackingStore):
    """SQLite reduces a whole series by time ranges when its steps rise with time; here they
    fall (a backfill), so every backend gives the equal-width step intervals."""
    run_id = _run(store)
    n = 4000
    _log(store, run_id, [Metric("r", float(i % 13), T0 + i, n - i) for i in range(n)])
    result = store.get_metric_history_reduced(run_id, "r", buckets=50)
    expected = _expected_buckets(sorted((n - i, float(i % 13)) for i in range(n)), 50)
    assert _shape(result.buckets) == _shape(expected)
    _assert_partition(result, n, buckets=50)


def test_whole_series_by_time_ranges_matches_the_points(store: SqlTrackingStore):
    """Steps rising unevenly with time (a pause, then a burst): each bucket holds exactly the
    points of its step range, on either axis."""
    run_id = _run(store)
    points = [Metric("u", float(i % 11), T0 + (i if i < 3000 else 3000 + (i - 3000) * 40), i)
              for i in range(6000)]  # fmt: skip
    points[4321] = Metric("u", 77.0, points[4321].timestamp, 4321)
    _log(store, run_id, points)
    for axis in ("step", "timestamp"):
        result = store.get_metric_history_reduced(run_id, "u", axis, 200)
        _assert_partition(result, 6000, buckets=200)
        x_of = (lambda p: p.step) if axis == "step" else (lambda p: p.timestamp)
        for x_first, x_last, low, high, _mean, count in result.buckets:
            inside = [p.value for p in points if x_first <= x_of(p) <= x_last]
            assert (len(inside), min(inside), max(inside)) == (count, low, high)
        assert max(b[3] for b in result.buckets) == 77.0


def test_unknown_run_and_key(store: SqlTrackingStore):
    run_id = _run(store)
    with pytest.raises(MlflowException) as error:
        store.get_metric_history_reduced("0" * 32, "m", buckets=10)
    assert error.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    empty = store.get_metric_history_reduced(run_id, "never-logged", buckets=10)
    assert (empty.total_points, empty.window_points, empty.x_range) == (0, 0, None)
    assert not empty.reduced and empty.points == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"buckets": 0}, "between 1 and 4000"),
        ({"buckets": 4001}, "between 1 and 4000"),
        ({"buckets": "10"}, "must be an integer"),
        ({"x_axis": "wall"}, "expected step or timestamp"),
        ({"x_min": 5, "x_max": 4}, "must not be greater"),
        ({"x_min": math.nan}, "finite"),
        ({"metric_key": "k" * 251}, "1 to 250"),
        ({"run_id": ""}, "run id"),
    ],
)
def test_bounds(sqlite_store: SqlTrackingStore, kwargs: dict, message: str):
    arguments = {"run_id": "a" * 32, "metric_key": "m", "buckets": 10, **kwargs}
    with pytest.raises(MlflowException, match=message) as error:
        sqlite_store.get_metric_history_reduced(**arguments)
    assert error.value.error_code == "INVALID_PARAMETER_VALUE"


def test_one_million_points_reduce_keeping_the_spike(sqlite_store: SqlTrackingStore):
    run_id = _run(sqlite_store)
    n = 1_000_000
    for start in range(0, n, 1000):
        points = [
            Metric("big", 0.001 * ((i * 7919) % 1000), T0 + 10 * i, i)
            for i in range(start, start + 1000)
        ]
        sqlite_store.log_batch(run_id, points, (), ())
    sqlite_store.log_metric(run_id, Metric("big", 100.0, T0 + 10 * 654_321 + 1, 654_321))
    # (its speed is measured in benchmarks/, not here)
    result = sqlite_store.get_metric_history_reduced(run_id, "big", buckets=1000)
    assert result.reduced and result.total_points == n + 1 and len(result.buckets) == 1000
    spike = next(b for b in result.buckets if b[0] <= 654_321 <= b[1])
    assert spike[3] == 100.0 and all(b[3] < 1 for b in result.buckets if b is not spike)


def test_first_logged_step_not_the_smallest(store: SqlTrackingStore):
    """Steps logged out of order (the first point is not the smallest step), a non-finite
    point at the far end, and steps so far apart that an integer product would overflow."""
    run_id = _run(store)
    steps = list(range(100, 400)) + list(range(0, 100)) + [-(2**62)]
    values = [float(s % 7) for s in steps[:-1]] + [math.nan]
    values[150] = 55.0
    _log(
        store,
        run_id,
        [Metric("u", v, T0 + i, s) for i, (s, v) in enumerate(zip(steps, values, strict=True))],
    )
    result = store.get_metric_history_reduced(run_id, "u", buckets=10)
    assert result.total_points == 401 and result.x_range == (-(2**62), 399)
    assert result.reduced and result.special[0][0] == -(2**62)
    assert sum(b[5] for b in result.buckets) == 400 and max(b[3] for b in result.buckets) == 55.0
    no_outlier = store.get_metric_history_reduced(run_id, "u", buckets=10, x_min=0)
    assert no_outlier.window_points == 400 and no_outlier.special == []
    assert _shape(no_outlier.buckets) == _shape(
        _expected_buckets(sorted((s, v) for s, v in zip(steps[:-1], values[:-1], strict=True)), 10)
    )
    shuffled = _run(store)
    order = list(range(300, 600)) + list(range(0, 300))
    _log(store, shuffled, [Metric("w", float(s), T0 + i, s) for i, s in enumerate(order)])
    whole = store.get_metric_history_reduced(shuffled, "w", buckets=7)
    assert whole.x_range == (0, 599)
    assert _shape(whole.buckets) == _shape(
        _expected_buckets([(s, float(s)) for s in range(600)], 7)
    )


def test_a_remembered_reduction_is_redone_when_points_arrive(store: SqlTrackingStore):
    """Whole-series reductions are remembered per process while the series' point count is
    unchanged; a new point (here a spike) makes the next request reduce again."""
    run_id = _run(store)
    _log(store, run_id, [Metric("m", float(i % 7), T0 + i, i) for i in range(3000)])
    first = store.get_metric_history_reduced(run_id, "m", buckets=100)
    assert first.reduced and first.total_points == 3000
    again = store.get_metric_history_reduced(run_id, "m", buckets=100)
    assert again == first
    _log(store, run_id, [Metric("m", 500.0, T0 + 5000, 1500)])  # a late spike, an old step
    after = store.get_metric_history_reduced(run_id, "m", buckets=100)
    assert after.total_points == 3001
    assert max(bucket[3] for bucket in after.buckets) == 500.0
    other_width = store.get_metric_history_reduced(run_id, "m", buckets=50)
    assert len(other_width.buckets) == 50 and other_width.total_points == 3001
