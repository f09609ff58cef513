"""The web UI's store queries on every backend: ``search_runs_table`` (projection, order,
filter, paging, total count), ``get_experiment_columns`` and, for comparison, the generic
implementations of ``AbstractTrackingStore`` run against the same data."""

from __future__ import annotations

import math
from typing import Any

import pytest

from mltrail.entities import LoggedModelOutput, Metric, Param, RunTag, ViewType
from mltrail.exceptions import MlflowException
from mltrail.store.tracking.abstract import AbstractTrackingStore
from mltrail.store.tracking.sql import SqlTrackingStore, run_table


def _seed(store: SqlTrackingStore) -> tuple[str, list[str]]:
    """Experiment with 6 runs: params p0..p2, metrics m0..m2 (+ a NaN and an inf), tags."""
    exp = store.create_experiment("table")
    ids = []
    for i in range(6):
        tags = [RunTag("team", f"t{i % 2}"), RunTag("mlflow.source.name", f"train{i}.py")]
        run = store.create_run(exp, f"user{i}", 1000 + i, tags, f"run-{i}")
        rid = run.info.run_id
        metrics = [Metric(f"m{k}", i * 10 + k, 5, 0) for k in range(3)]
        metrics.append(Metric("odd", [math.nan, math.inf, -math.inf, 1.5, 2.5, 3.5][i], 5, 0))
        params = [Param(f"p{k}", f"v{i}-{k}") for k in range(3)]
        store.log_batch(rid, metrics, params, [RunTag("extra", "x")])
        ids.append(rid)
    return exp, ids


def test_projection_returns_only_requested_keys(store: SqlTrackingStore):
    exp, ids = _seed(store)
    store.set_tag(ids[1], RunTag("mlflow.parentRunId", ids[0]))
    store.set_tag(ids[2], RunTag("mlflow.source.git.commit", "abc123"))
    page = store.search_runs_table(
        [exp], param_keys=["p1", "nope"], metric_keys=["m2", "odd"], tag_keys=["team"]
    )
    assert page.total_count == 6 and page.token is None
    by_name = {row.run_name: row for row in page.runs}
    assert [row.run_name for row in page.runs] == [f"run-{i}" for i in range(5, -1, -1)]
    row = by_name["run-3"]
    assert row.params == {"p1": "v3-1"}
    assert row.metrics == {"m2": 32.0, "odd": 1.5}
    assert row.tags == {"team": "t1"}
    assert (row.user_id, row.status, row.start_time, row.end_time) == (
        "user3",
        "RUNNING",
        1003,
        None,
    )
    assert (row.experiment_id, row.lifecycle_stage, row.run_id) == (exp, "active", ids[3])
    assert row.source_name == "train3.py" and row.parent_run_id is None and not row.has_model
    assert by_name["run-1"].parent_run_id == ids[0]
    assert by_name["run-2"].git_commit == "abc123"
    assert math.isnan(by_name["run-0"].metrics["odd"])
    assert by_name["run-1"].metrics["odd"] == math.inf
    assert by_name["run-2"].metrics["odd"] == -math.inf
    bare = store.search_runs_table([exp], max_results=1)
    assert bare.runs[0].params == {} and bare.runs[0].metrics == {} and bare.runs[0].tags == {}


def test_order_filter_paging_and_total_count(store: SqlTrackingStore):
    exp, _ = _seed(store)
    first = store.search_runs_table(
        [exp], "params.p0 != 'v0-0'", order_by=["metrics.m1 ASC"], max_results=2,
        metric_keys=["m1"],
    )  # fmt: skip
    assert [r.metrics["m1"] for r in first.runs] == [11.0, 21.0]
    assert first.total_count == 5 and first.token
    second = store.search_runs_table(
        [exp], "params.p0 != 'v0-0'", order_by=["metrics.m1 ASC"], max_results=2,
        page_token=first.token, metric_keys=["m1"],
    )  # fmt: skip
    assert [r.metrics["m1"] for r in second.runs] == [31.0, 41.0]
    assert second.total_count is None  # only the first page counts
    reference = store.search_runs([exp], "params.p0 != 'v0-0'", ViewType.ACTIVE_ONLY, 2,
                                  ["metrics.m1 ASC"])  # fmt: skip
    assert [r.run_id for r in first.runs] == [r.info.run_id for r in reference]
    assert first.token == reference.token
    ordered = store.search_runs_table([exp], order_by=["metrics.odd DESC"], metric_keys=["odd"])
    assert [r.run_name for r in ordered.runs] == reference_order(store, exp, "metrics.odd DESC")
    tagged = store.search_runs_table([exp], "tags.team = 't0' and attributes.run_name LIKE 'run-%'")
    assert sorted(r.run_name for r in tagged.runs) == ["run-0", "run-2", "run-4"]


def reference_order(store: SqlTrackingStore, exp: str, order: str) -> list[str]:
    return [
        r.info.run_name for r in store.search_runs([exp], "", ViewType.ACTIVE_ONLY, 100, [order])
    ]


def test_filter_errors_are_those_of_search_runs(store: SqlTrackingStore):
    exp, _ = _seed(store)
    for bad in ("metrics.m0 >", "params.p0 < 'x'", "nonsense = 1"):
        with pytest.raises(MlflowException) as table_error:
            store.search_runs_table([exp], bad)
        with pytest.raises(MlflowException) as search_error:
            store.search_runs([exp], bad)
        assert table_error.value.message == search_error.value.message
        assert table_error.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException, match="page token"):
        store.search_runs_table([exp], page_token="garbage")


def test_view_types_and_several_experiments(store: SqlTrackingStore):
    exp, ids = _seed(store)
    other = store.create_experiment("other")
    store.create_run(other, "u", 5000, [], "elsewhere")
    store.delete_run(ids[0])
    active = store.search_runs_table([exp, other])
    assert active.total_count == 6 and "run-0" not in {r.run_name for r in active.runs}
    assert active.runs[0].run_name == "elsewhere"
    deleted = store.search_runs_table([exp], run_view_type=ViewType.DELETED_ONLY)
    assert [(r.run_name, r.lifecycle_stage) for r in deleted.runs] == [("run-0", "deleted")]
    assert store.search_runs_table([exp], run_view_type="ALL").total_count == 6


def test_has_model_from_history_tag_or_logged_model_output(store: SqlTrackingStore):
    exp, ids = _seed(store)
    store.set_tag(ids[0], RunTag("mlflow.log-model.history", '[{"artifact_path": "model"}]'))
    model = store.create_logged_model(exp, name="m", source_run_id=ids[1])
    store.log_outputs(ids[1], [LoggedModelOutput(model.model_id, 0)])
    page = store.search_runs_table([exp])
    with_model = {r.run_name for r in page.runs if r.has_model}
    assert with_model == {"run-0", "run-1"}
    assert page.runs[-1].tags == {}  # the history tag only shows when requested


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"experiment_ids": []}, "at least one experiment"),
        ({"experiment_ids": [str(i) for i in range(51)]}, "at most 50"),
        ({"experiment_ids": ["x"]}, "Invalid experiment ID"),
        ({"max_results": 0}, "between 1 and 5000"),
        ({"max_results": 5001}, "between 1 and 5000"),
        ({"param_keys": [f"k{i}" for i in range(501)]}, "at most 500"),
        ({"metric_keys": ["k" * 251]}, "at most 250"),
        ({"tag_keys": [""]}, "non-empty strings"),
        ({"order_by": ["start_time"] * 11}, "at most 10"),
        ({"run_view_type": "SOMETIMES"}, "ACTIVE_ONLY, DELETED_ONLY or ALL"),
    ],
)
def test_bounds(store: SqlTrackingStore, kwargs: dict, message: str):
    arguments = {"experiment_ids": ["0"], **kwargs}
    with pytest.raises(MlflowException, match=message) as error:
        store.search_runs_table(**arguments)
    assert error.value.error_code == "INVALID_PARAMETER_VALUE"


def test_generic_implementation_agrees(store: SqlTrackingStore):
    exp, ids = _seed(store)
    store.set_tag(ids[4], RunTag("mlflow.parentRunId", ids[3]))
    store.delete_run(ids[5])
    variants: list[dict[str, Any]] = [
        {"max_results": 4, "order_by": ["params.p1 DESC"]},
        {"filter_string": "metrics.m0 >= 20", "run_view_type": ViewType.ALL},
    ]
    for kwargs in variants:
        keys: dict[str, Any] = {
            "param_keys": ["p2"],
            "metric_keys": ["m0", "odd"],
            "tag_keys": ["team", "x"],
        }
        fast = store.search_runs_table([exp], **kwargs, **keys)
        generic = AbstractTrackingStore.search_runs_table(store, [exp], **kwargs, **keys)
        assert _comparable(fast) == _comparable(generic)
    assert store.get_experiment_columns([exp]) == AbstractTrackingStore.get_experiment_columns(
        store, [exp]
    )


def _comparable(page: object) -> object:
    return repr(page).replace("nan", "NaN")  # NaN != NaN; the text compares


def test_experiment_columns(store: SqlTrackingStore):
    exp, ids = _seed(store)
    other = store.create_experiment("other")
    run = store.create_run(other, "u", 1, [], "o")
    store.log_batch(run.info.run_id, [Metric("zeta", 1.0, 1, 0)], [Param("A", "1")], [])
    store.log_batch(ids[2], [Metric("only-deleted", 1.0, 1, 0)], [], [])
    store.delete_run(ids[2])
    columns = store.get_experiment_columns([exp])
    assert columns.params == ["p0", "p1", "p2"]
    assert columns.metrics == ["m0", "m1", "m2", "odd", "only-deleted"]
    assert columns.tags == ["extra", "mlflow.runName", "mlflow.source.name", "team"]
    assert not columns.truncated
    both = store.get_experiment_columns([exp, other])
    assert both.params == ["A", "p0", "p1", "p2"] and "zeta" in both.metrics  # code-point order
    alone = store.get_experiment_columns([other])  # few runs: read run by run on SQLite too
    assert (alone.params, alone.metrics, alone.tags) == (["A"], ["zeta"], ["mlflow.runName"])
    empty = store.get_experiment_columns([store.create_experiment("empty")])
    assert (empty.params, empty.metrics, empty.tags, empty.truncated) == ([], [], [], False)


def test_experiment_columns_truncation(store: SqlTrackingStore, monkeypatch: pytest.MonkeyPatch):
    exp, _ = _seed(store)
    monkeypatch.setattr(run_table, "COLUMNS_MAX_KEYS", 2)
    columns = store.get_experiment_columns([exp])
    assert columns.truncated
    assert columns.params == ["p0", "p1"] and columns.metrics == ["m0", "m1"]


def test_experiment_columns_caps_at_20000_keys(sqlite_store: SqlTrackingStore):
    exp = sqlite_store.create_experiment("wide")
    rid = sqlite_store.create_run(exp, "u", 1, [], "wide").info.run_id
    keys = [f"k{i:05d}" for i in range(20_001)]
    for start in range(0, len(keys), 100):
        sqlite_store.log_batch(rid, [], [Param(k, "1") for k in keys[start : start + 100]], [])
    columns = sqlite_store.get_experiment_columns([exp])
    assert columns.truncated and columns.params == keys[:20_000]
