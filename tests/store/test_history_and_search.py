"""Metric history pagination and search_runs over the SQL store."""

from __future__ import annotations

import math

import pytest

from mltrail.entities import LifecycleStage, Metric, Param, RunTag, ViewType
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.tracking.sql import SqlTrackingStore


def error_code(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(MlflowException) as info:
        call(*args, **kwargs)
    return info.value.error_code


# ---- history ------------------------------------------------------------------------------------
def test_history_order_and_pagination(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 0, [], None).info.run_id
    # Logged out of order: history is ordered by timestamp, then step, then value.
    points = [
        Metric("m", float(v), ts, step)
        for ts, step, v in [(3, 0, 1), (1, 5, 2), (1, 5, 1), (2, 0, 0), (1, 4, 9)]
    ]
    store.log_batch(run_id, points, [], [])
    expected = sorted(points, key=lambda m: (m.timestamp, m.step, m.value))
    assert store.get_metric_history(run_id, "m") == expected

    page = store.get_metric_history(run_id, "m", max_results=2)
    assert page == expected[:2] and page.token
    collected = list(page)
    while page.token:
        page = store.get_metric_history(run_id, "m", max_results=2, page_token=page.token)
        collected.extend(page)
    assert collected == expected
    exact = store.get_metric_history(run_id, "m", max_results=5)
    assert exact == expected and exact.token is None


def test_history_of_unknown_run_or_key_is_empty(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 0, [], None).info.run_id
    assert store.get_metric_history("d" * 32, "m") == []
    assert store.get_metric_history(run_id, "missing") == []
    assert error_code(store.get_metric_history, run_id, "m", max_results=0) == (
        INVALID_PARAMETER_VALUE
    )
    assert error_code(store.get_metric_history, run_id, "m", page_token="nope") == (
        INVALID_PARAMETER_VALUE
    )


def test_history_of_a_large_metric(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 0, [], None).info.run_id
    for start in range(0, 5000, 1000):
        store.log_batch(
            run_id,
            [Metric("big", float(i), 1000 + i, i) for i in range(start, start + 1000)],
            [],
            [],
        )
    history = store.get_metric_history(run_id, "big")
    assert len(history) == 5000
    assert [m.step for m in history[:3]] == [0, 1, 2] and history[-1].value == 4999.0
    assert store.get_run(run_id).data.metrics == {"big": 4999.0}


# ---- search_runs --------------------------------------------------------------------------------
@pytest.fixture
def populated(store: SqlTrackingStore) -> dict[str, str]:
    """Five runs in one experiment: metrics (one NaN, one missing), params, tags."""
    experiment_id = store.create_experiment("search")
    specs = {
        "a": (0.9, "rf", 100),
        "b": (0.5, "svm", 200),
        "c": (math.nan, "rf", 300),
        "d": (None, "rf", 400),
        "e": (0.7, "knn", 500),
    }
    ids = {"experiment": experiment_id}
    for name, (acc, model, start) in specs.items():
        run_id = store.create_run(
            experiment_id, "u", start, [RunTag("team", name.upper())], name
        ).info.run_id
        metrics = [Metric("acc", acc, 1, 0)] if acc is not None else []
        store.log_batch(run_id, metrics, [Param("model", model)], [])
        ids[name] = run_id
    return ids


def names(runs) -> list[str]:  # type: ignore[no-untyped-def]
    return [run.info.run_name for run in runs]


def test_search_default_order_is_newest_first(store: SqlTrackingStore, populated: dict[str, str]):
    runs = store.search_runs([populated["experiment"]])
    assert names(runs) == ["e", "d", "c", "b", "a"]
    assert runs.token is None
    first = runs[-1]
    assert first.data.params == {"model": "rf"}
    assert first.data.metrics == {"acc": 0.9}
    assert first.data.tags == {"team": "A", "mlflow.runName": "a"}


def test_search_filters_on_metrics_and_params(store: SqlTrackingStore, populated: dict[str, str]):
    experiment = [populated["experiment"]]
    found = store.search_runs(experiment, "metrics.acc > 0.6 and params.model = 'rf'")
    assert names(found) == ["a"]
    assert names(store.search_runs(experiment, "params.model = 'rf'")) == ["d", "c", "a"]
    assert names(store.search_runs(experiment, "metrics.acc != 0.5")) == ["e", "c", "a"]
    assert names(store.search_runs(experiment, "tags.team = 'B'")) == ["b"]
    assert names(store.search_runs(experiment, "attributes.run_name LIKE 'a%'")) == ["a"]
    assert error_code(store.search_runs, experiment, "metrics.acc >") == INVALID_PARAMETER_VALUE


def test_search_orders_by_metric_with_nan_and_missing_last(
    store: SqlTrackingStore, populated: dict[str, str]
):
    experiment = [populated["experiment"]]
    assert names(store.search_runs(experiment, order_by=["metrics.acc DESC"])) == [
        "a",
        "e",
        "b",
        "c",
        "d",
    ]
    assert names(store.search_runs(experiment, order_by=["metrics.acc ASC"])) == [
        "b",
        "e",
        "a",
        "c",
        "d",
    ]


def test_search_view_types(store: SqlTrackingStore, populated: dict[str, str]):
    experiment = [populated["experiment"]]
    store.delete_run(populated["b"])
    assert names(store.search_runs(experiment, run_view_type=ViewType.ACTIVE_ONLY)) == [
        "e",
        "d",
        "c",
        "a",
    ]
    deleted = store.search_runs(experiment, run_view_type=ViewType.DELETED_ONLY)
    assert names(deleted) == ["b"]
    assert deleted[0].info.lifecycle_stage == LifecycleStage.DELETED
    assert len(store.search_runs(experiment, run_view_type=ViewType.ALL)) == 5
    assert error_code(store.search_runs, experiment, run_view_type=7) == INVALID_PARAMETER_VALUE


def test_search_limits_and_bad_input(store: SqlTrackingStore, populated: dict[str, str]):
    experiment = [populated["experiment"]]
    for bad in (0, -1, 50001):
        assert error_code(store.search_runs, experiment, max_results=bad) == INVALID_PARAMETER_VALUE
    assert error_code(store.search_runs, ["x"]) == INVALID_PARAMETER_VALUE
    assert error_code(store.search_runs, experiment, page_token="bad!") == INVALID_PARAMETER_VALUE
    assert store.search_runs([]) == []
    assert store.search_runs(["9999"]) == []
    both = store.search_runs([populated["experiment"], "0"], max_results=50000)
    assert len(both) == 5


def test_search_pagination_over_250_runs(store: SqlTrackingStore):
    experiment_id = store.create_experiment("many")
    expected = []
    for start in range(250):
        run = store.create_run(experiment_id, "u", start, [], f"run-{start:03d}")
        expected.append(run.info.run_id)
    store.log_metric(expected[7], Metric("m", 1.0, 1, 0))
    expected.reverse()  # newest first

    seen: list[str] = []
    token = None
    pages = 0
    while True:
        page = store.search_runs([experiment_id], max_results=100, page_token=token)
        seen.extend(run.info.run_id for run in page)
        pages += 1
        token = page.token
        if not token:
            break
    assert pages == 3
    assert seen == expected
    by_id = {run.info.run_id: run for run in store.search_runs([experiment_id], max_results=1000)}
    assert by_id[expected[-8]].data.metrics == {"m": 1.0}
