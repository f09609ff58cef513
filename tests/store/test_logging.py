"""log_batch and its one-item forms: params, tags, metrics, limits and validation."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest

from mltrail.entities import Metric, Param, RunTag
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.tracking.sql import SqlTrackingStore


@pytest.fixture
def run_id(store: SqlTrackingStore) -> str:
    return store.create_run("0", "u", 0, [], "logging").info.run_id


def raises(call, *args) -> MlflowException:  # type: ignore[no-untyped-def]
    with pytest.raises(MlflowException) as info:
        call(*args)
    return info.value


# ---- params -------------------------------------------------------------------------------------
def test_params_are_write_once(store: SqlTrackingStore, run_id: str):
    store.log_param(run_id, Param("lr", "0.1"))
    store.log_param(run_id, Param("lr", "0.1"))  # same value: no-op
    error = raises(store.log_param, run_id, Param("lr", "0.2"))
    assert error.error_code == INVALID_PARAMETER_VALUE
    assert str(error) == (
        "Changing param values is not allowed. Param with key='lr' was already logged with "
        f"value='0.1' for run ID='{run_id}'. Attempted logging new value '0.2'."
    )
    assert store.get_run(run_id).data.params == {"lr": "0.1"}


def test_changed_param_rejects_the_whole_batch(store: SqlTrackingStore, run_id: str):
    store.log_param(run_id, Param("fixed", "a"))
    error = raises(
        store.log_batch,
        run_id,
        [Metric("m", 1.0, 1, 0)],
        [Param("new", "x"), Param("fixed", "b")],
        [RunTag("t", "v")],
    )
    assert error.error_code == INVALID_PARAMETER_VALUE
    run = store.get_run(run_id)
    assert run.data.params == {"fixed": "a"}
    assert run.data.metrics == {}
    assert "t" not in run.data.tags
    assert store.get_metric_history(run_id, "m") == []


def test_param_keys_are_case_sensitive_and_values_exact(store: SqlTrackingStore, run_id: str):
    store.log_batch(run_id, [], [Param("k", "v"), Param("K", "V"), Param("k ", "trailing")], [])
    store.log_param(run_id, Param("k", "v"))
    assert raises(store.log_param, run_id, Param("k", "V")).error_code == INVALID_PARAMETER_VALUE
    assert store.get_run(run_id).data.params == {"k": "v", "K": "V", "k ": "trailing"}


def test_long_values_are_truncated_by_default(
    store: SqlTrackingStore, run_id: str, monkeypatch: pytest.MonkeyPatch, caplog
):
    monkeypatch.delenv("MLFLOW_TRUNCATE_LONG_VALUES", raising=False)
    store.log_param(run_id, Param("long", "p" * 7000))
    store.set_tag(run_id, RunTag("long", "t" * 9000))
    data = store.get_run(run_id).data
    assert data.params["long"] == "p" * 6000
    assert data.tags["long"] == "t" * 8000
    assert "truncated" in caplog.text


def test_long_values_are_errors_when_truncation_is_off(
    store: SqlTrackingStore, run_id: str, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("MLFLOW_TRUNCATE_LONG_VALUES", "false")
    error = raises(store.log_param, run_id, Param("long", "p" * 6001))
    assert error.error_code == INVALID_PARAMETER_VALUE
    assert "6000" in str(error) and "MLFLOW_TRUNCATE_LONG_VALUES" in str(error)
    assert raises(store.set_tag, run_id, RunTag("long", "t" * 8001)).error_code == (
        INVALID_PARAMETER_VALUE
    )
    store.log_param(run_id, Param("ok", "p" * 6000))
    assert store.get_run(run_id).data.params == {"ok": "p" * 6000}


# ---- tags ---------------------------------------------------------------------------------------
def test_tags_are_upserts_with_unicode(store: SqlTrackingStore, run_id: str):
    store.set_tag(run_id, RunTag("note", "first"))
    store.set_tag(run_id, RunTag("note", "ünïcødé ✓"))
    store.log_batch(run_id, [], [], [RunTag("a", "1"), RunTag("a", "2")])  # last one wins
    tags = store.get_run(run_id).data.tags
    assert tags["note"] == "ünïcødé ✓"
    assert tags["a"] == "2"


# ---- metrics ------------------------------------------------------------------------------------
def test_history_keeps_every_point_and_dedupes_exact_repeats(store: SqlTrackingStore, run_id: str):
    points = [Metric("loss", 1.0 / (i + 1), 1000 + i, i) for i in range(5)]
    for point in points:
        store.log_metric(run_id, point)
    store.log_metric(run_id, points[2])
    store.log_batch(run_id, [points[0], points[0], Metric("loss", 7.0, 1002, 2)], [], [])
    history = store.get_metric_history(run_id, "loss")
    expected = sorted(
        [*points, Metric("loss", 7.0, 1002, 2)], key=lambda m: (m.timestamp, m.step, m.value)
    )
    assert history == expected
    assert history.token is None


def test_latest_metric_is_greatest_step_timestamp_value(store: SqlTrackingStore, run_id: str):
    store.log_metric(run_id, Metric("acc", 1.5, 10, 2))
    store.log_metric(run_id, Metric("acc", 2.5, 20, 0))  # later, but a smaller step
    assert store.get_run(run_id).data.metrics == {"acc": 1.5}
    store.log_metric(run_id, Metric("acc", 0.5, 11, 2))  # same step, later timestamp wins
    store.log_metric(run_id, Metric("acc", 0.1, 11, 2))  # same step and time, smaller value
    latest = store.get_run(run_id).data.latest_metrics
    assert latest == (Metric("acc", 0.5, 11, 2),)
    store.log_batch(
        run_id,
        [Metric("acc", 9.0, 1, 3), Metric("acc", 3.0, 5, 3), Metric("acc", 4.0, 5, 3)],
        [],
        [],
    )
    assert store.get_run(run_id).data.latest_metrics == (Metric("acc", 4.0, 5, 3),)


def test_non_finite_values_round_trip(store: SqlTrackingStore, run_id: str):
    specials = {"nan": math.nan, "inf": math.inf, "ninf": -math.inf}
    store.log_batch(
        run_id,
        [Metric(k, v, 5, 1) for k, v in specials.items()]
        + [Metric(k, 1.0, 4, 1) for k in specials],
        [],
        [],
    )
    latest = store.get_run(run_id).data.metrics
    for key, special in specials.items():
        history = store.get_metric_history(run_id, key)
        assert [m.timestamp for m in history] == [4, 5]
        if math.isnan(special):
            assert math.isnan(history[1].value) and math.isnan(latest[key])
        else:
            assert history[1].value == special and latest[key] == special


def test_infinity_and_max_double_are_distinct_points(store: SqlTrackingStore, run_id: str):
    biggest = sys.float_info.max
    store.log_batch(run_id, [Metric("x", biggest, 1, 0), Metric("x", math.inf, 1, 0)], [], [])
    values = sorted(m.value for m in store.get_metric_history(run_id, "x"))
    assert values == [biggest, math.inf]


def test_nan_point_compares_as_zero_for_latest(store: SqlTrackingStore, run_id: str):
    store.log_metric(run_id, Metric("n", -1.0, 5, 1))
    store.log_metric(run_id, Metric("n", math.nan, 5, 1))  # NaN counts as 0 > -1: replaces
    assert math.isnan(store.get_run(run_id).data.metrics["n"])
    store.log_metric(run_id, Metric("n", 0.5, 5, 1))
    assert store.get_run(run_id).data.metrics["n"] == 0.5


def test_numpy_and_int_values_are_accepted(store: SqlTrackingStore, run_id: str):
    store.log_batch(
        run_id,
        [
            Metric("np32", np.float32(0.5), np.int64(3), np.int32(1)),
            Metric("int", 3, 4, 0),
        ],
        [],
        [],
    )
    assert store.get_run(run_id).data.metrics == {"np32": 0.5, "int": 3.0}
    history = store.get_metric_history(run_id, "np32")
    assert (type(history[0].value), history[0].timestamp, history[0].step) == (float, 3, 1)


def test_unknown_run_is_not_found(store: SqlTrackingStore):
    for call in (
        lambda: store.log_metric("c" * 32, Metric("m", 1.0, 1, 0)),
        lambda: store.log_param("c" * 32, Param("p", "1")),
        lambda: store.set_tag("c" * 32, RunTag("t", "1")),
    ):
        with pytest.raises(MlflowException) as info:
            call()
        assert info.value.error_code == RESOURCE_DOES_NOT_EXIST


# ---- validation ---------------------------------------------------------------------------------
INVALID_KEYS = [
    "bad$key",
    "a//b",
    "a/./b",
    "../x",
    "/abs",
    "trailing/",
    ".",
    "",
    "k" * 251,
    None,
    5,
]


def test_invalid_keys_are_rejected(store: SqlTrackingStore, run_id: str):
    for key in INVALID_KEYS:
        for call, entity in (
            (store.log_metric, Metric(key, 1.0, 1, 0)),  # type: ignore[arg-type]
            (store.log_param, Param(key, "1")),  # type: ignore[arg-type]
            (store.set_tag, RunTag(key, "1")),  # type: ignore[arg-type]
        ):
            assert raises(call, run_id, entity).error_code == INVALID_PARAMETER_VALUE, key
    run = store.get_run(run_id)
    assert run.data.params == {} and run.data.metrics == {}


def test_valid_unusual_keys(store: SqlTrackingStore, run_id: str):
    keys = ["a/b", "a.b-c_d e:f", "ünïcødé", "k" * 250, "..a"[1:]]
    store.log_batch(run_id, [Metric(k, 1.0, 1, 0) for k in keys], [], [])
    assert set(store.get_run(run_id).data.metrics) == set(keys)


def test_key_error_messages_explain_the_rule(store: SqlTrackingStore, run_id: str):
    error = raises(store.log_metric, run_id, Metric("a$b", 1.0, 1, 0))
    assert "Names may only contain alphanumerics" in str(error)
    error = raises(store.log_metric, run_id, Metric("a//b", 1.0, 1, 0))
    assert "would resolve to 'a/b'" in str(error)
    error = raises(store.log_param, run_id, Param("k" * 251, "1"))
    assert "250" in str(error)


WRONG_METRICS = [
    (Metric("m", "1.0", 1, 0), "number"),  # type: ignore[arg-type]
    (Metric("m", True, 1, 0), "number"),
    (Metric("m", None, 1, 0), "number"),  # type: ignore[arg-type]
    (Metric("m", 1.0, -1, 0), "timestamp"),
    (Metric("m", 1.0, 1.5, 0), "timestamp"),  # type: ignore[arg-type]
    (Metric("m", 1.0, "1", 0), "timestamp"),  # type: ignore[arg-type]
    (Metric("m", 1.0, 1, 1.5), "step"),  # type: ignore[arg-type]
    (Metric("m", 1.0, 1, 2**63), "step"),
]


def test_wrong_metric_types(store: SqlTrackingStore, run_id: str):
    for metric, fragment in WRONG_METRICS:
        error = raises(store.log_metric, run_id, metric)
        assert error.error_code == INVALID_PARAMETER_VALUE
        assert fragment in str(error), (metric, str(error))
        error = raises(store.log_batch, run_id, [Metric("ok", 1.0, 1, 0), metric], [], [])
        assert error.error_code == INVALID_PARAMETER_VALUE
    assert store.get_metric_history(run_id, "m") == []
    assert store.get_metric_history(run_id, "ok") == []


def test_param_value_none_is_rejected(store: SqlTrackingStore, run_id: str):
    error = raises(store.log_param, run_id, Param("p", None))  # type: ignore[arg-type]
    assert error.error_code == INVALID_PARAMETER_VALUE
    store.log_param(run_id, Param("n", 5))  # type: ignore[arg-type]
    assert store.get_run(run_id).data.params == {"n": "5"}


def test_batch_limits(store: SqlTrackingStore, run_id: str):
    metrics = [Metric("m", float(i), i, i) for i in range(1001)]
    params = [Param(f"p{i}", "v") for i in range(101)]
    tags = [RunTag(f"t{i}", "v") for i in range(101)]
    cases = [
        (metrics, [], [], "at most 1000 metrics"),
        ([], params, [], "at most 100 params"),
        ([], [], tags, "at most 100 tags"),
        (metrics[:950], params[:30], tags[:30], "at most 1000 metrics, params, and tags"),
    ]
    for batch_metrics, batch_params, batch_tags, fragment in cases:
        error = raises(store.log_batch, run_id, batch_metrics, batch_params, batch_tags)
        assert error.error_code == INVALID_PARAMETER_VALUE
        assert fragment in str(error)
    store.log_batch(run_id, metrics[:1000], [], [])
    store.log_batch(run_id, metrics[:900], params[:50], tags[:50])
    run = store.get_run(run_id)
    assert len(run.data.params) == 50
    assert len(store.get_metric_history(run_id, "m")) == 1000


def test_duplicate_param_keys_in_a_batch(store: SqlTrackingStore, run_id: str):
    error = raises(store.log_batch, run_id, [], [Param("d", "1"), Param("d", "1")], [])
    assert error.error_code == INVALID_PARAMETER_VALUE
    assert "Duplicate parameter keys have been submitted: ['d']" in str(error)


def test_empty_batch_is_a_no_op(store: SqlTrackingStore, run_id: str):
    store.log_batch(run_id, [], [], [])
    assert store.get_run(run_id).data.metrics == {}
