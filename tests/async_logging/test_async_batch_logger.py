"""AsyncBatchLogger against a recording store with MLflow's rules, and real SQLite when present."""

from __future__ import annotations

import logging
import time

import pytest
from async_helpers import Backend, RecordingStore, metric, metrics

from mltrail.entities import Param, RunTag
from mltrail.exceptions import INTERNAL_ERROR, INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking import async_logging
from mltrail.tracking.async_logging import AsyncBatchLogger, RunOperations, split_batch


def test_enqueue_returns_at_once_and_flush_writes_all_in_order() -> None:
    store = RecordingStore(delay=0.05)  # a slow store: 50 ms per call
    logger = AsyncBatchLogger(store.log_batch)
    run_id = store.new_run()
    started = time.perf_counter()
    for step in range(10_000):
        logger.enqueue(run_id, [metric("loss", step)])
    enqueue_seconds = time.perf_counter() - started
    assert enqueue_seconds < 0.75, f"enqueueing took {enqueue_seconds:.3f}s"
    assert len(store.history(run_id, "loss")) < 10_000  # the slow writer is still behind
    logger.flush()
    assert store.history(run_id, "loss") == [(s, float(s)) for s in range(10_000)]
    # Merged: far fewer calls than items, each within the limit.
    assert len(store.calls) <= 30
    assert all(len(call[1]) <= 1000 for call in store.calls)
    logger.shutdown()


def test_real_store_round_trip(backend: Backend) -> None:
    logger = AsyncBatchLogger(backend.log_batch)
    run_a, run_b = backend.new_run(), backend.new_run()
    operations = []
    for step in range(1500):
        operations.append(logger.enqueue(run_a, [metric("acc", step)]))
        if step % 3 == 0:
            operations.append(logger.enqueue(run_b, [metric("loss", step)]))
    operations.append(logger.enqueue(run_a, [], [Param("lr", "0.1")], [RunTag("t", "v")]))
    RunOperations.merge(*operations).wait()
    assert backend.history(run_a, "acc") == [(s, float(s)) for s in range(1500)]
    assert backend.history(run_b, "loss") == [(s, float(s)) for s in range(0, 1500, 3)]
    assert backend.params(run_a) == {"lr": "0.1"}
    logger.shutdown()


def test_batches_respect_store_limits() -> None:
    store = RecordingStore(delay=0.01)
    logger = AsyncBatchLogger(store.log_batch)
    run_id = store.new_run()
    params = [Param(f"p{i}", str(i)) for i in range(250)]
    tags = [RunTag(f"t{i}", str(i)) for i in range(150)]
    logger.enqueue(run_id, metrics("big", range(2500)), params, tags)
    for step in range(700):
        logger.enqueue(run_id, [metric("small", step)], [Param(f"q{step}", "x")])
    logger.flush(run_id)
    for _, batch_metrics, batch_params, batch_tags in store.calls:
        assert len(batch_metrics) <= 1000
        assert len(batch_params) <= 100
        assert len(batch_tags) <= 100
        assert len(batch_metrics) + len(batch_params) + len(batch_tags) <= 1000
    assert store.history(run_id, "big") == [(s, float(s)) for s in range(2500)]
    assert store.history(run_id, "small") == [(s, float(s)) for s in range(700)]
    assert len(store.params(run_id)) == 950
    assert len(store.tags(run_id)) == 150


def test_repeated_param_key_goes_to_a_later_batch() -> None:
    store = RecordingStore(delay=0.02)
    logger = AsyncBatchLogger(store.log_batch)
    run_id = store.new_run()
    store.log_batch(run_id, [], [], [])  # keep the writer busy while items queue up
    for _ in range(5):
        logger.enqueue(run_id, [], [Param("same", "1")], [RunTag("tag", "v")])
    logger.flush()  # the store rejects duplicate keys in one batch: no error means they were split
    assert store.params(run_id) == {"same": "1"}


def test_failure_surfaces_at_wait_and_other_data_is_written(backend: Backend) -> None:
    logger = AsyncBatchLogger(backend.log_batch)
    run_a, run_b = backend.new_run(), backend.new_run()
    logger.enqueue(run_a, [], [Param("lr", "0.1")]).wait()
    before = logger.enqueue(run_a, [metric("m", 0)])
    bad = logger.enqueue(run_a, [metric("m", 1)], [Param("lr", "0.2")])  # changes a param
    after = logger.enqueue(run_a, [metric("m", 2)])
    other = logger.enqueue(run_b, metrics("n", range(50)))
    with pytest.raises(MlflowException) as info:
        bad.wait()
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert run_a in info.value.message
    assert "lr" in info.value.message
    assert "were not written" in info.value.message
    before.wait()
    after.wait()
    other.wait()
    # The bad item is all-or-nothing; items merged with it and later items are written.
    assert backend.history(run_a, "m") == [(0, 0.0), (2, 2.0)]
    assert backend.history(run_b, "n") == [(s, float(s)) for s in range(50)]
    assert backend.params(run_a) == {"lr": "0.1"}
    logger.flush()  # already reported through wait(): not raised again


def test_flush_raises_unreported_failure_once_and_per_run() -> None:
    store = RecordingStore()
    logger = AsyncBatchLogger(store.log_batch)
    run_a, run_b = store.new_run(), store.new_run()
    logger.enqueue(run_a, [], [Param("k", "1")])
    logger.enqueue(run_a, [], [Param("k", "2")])
    logger.enqueue(run_b, [metric("ok", 1)])
    logger.flush(run_b)  # run b's data is fine; run a's failure is not b's business
    assert store.history(run_b, "ok") == [(1, 1.0)]
    with pytest.raises(MlflowException) as info:
        logger.flush(run_a)
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert "1 params (k)" in info.value.message
    logger.flush()  # reported once only


def test_unexpected_errors_are_logged_and_later_batches_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    store = RecordingStore()
    outages = {"left": 1}

    def flaky_log_batch(run_id, batch_metrics, batch_params, batch_tags):  # type: ignore[no-untyped-def]
        if outages["left"]:
            outages["left"] -= 1
            raise ConnectionError("database is unreachable")
        store.log_batch(run_id, batch_metrics, batch_params, batch_tags)

    logger = AsyncBatchLogger(flaky_log_batch)
    run_id = store.new_run()
    with caplog.at_level(logging.ERROR, logger="mltrail.tracking.async_logging"):
        first = logger.enqueue(run_id, [metric("x", 0)])
        with pytest.raises(MlflowException) as info:
            first.wait()
        second = logger.enqueue(run_id, [metric("x", 1)])
        second.wait()
    assert info.value.error_code == INTERNAL_ERROR
    assert "database is unreachable" in info.value.message
    assert any("database is unreachable" in r.getMessage() for r in caplog.records)
    assert store.history(run_id, "x") == [(1, 1.0)]


def test_many_failures_are_summarised_by_flush() -> None:
    def always_down(run_id, batch_metrics, batch_params, batch_tags):  # type: ignore[no-untyped-def]
        raise MlflowException("store is down", error_code="TEMPORARILY_UNAVAILABLE")

    logger = AsyncBatchLogger(always_down)
    for run_id in ("r1", "r2", "r3"):
        logger.enqueue(run_id, [metric("a", 0)])
    with pytest.raises(MlflowException) as info:
        logger.flush()
    assert info.value.error_code == "TEMPORARILY_UNAVAILABLE"
    assert "and 2 more" in info.value.message


def test_points_of_each_run_keep_their_order_when_interleaved() -> None:
    store = RecordingStore(delay=0.002)
    logger = AsyncBatchLogger(store.log_batch)
    runs = [store.new_run() for _ in range(4)]
    for step in range(2000):
        logger.enqueue(runs[step % 4], [metric("v", step)])
    logger.flush()
    for index, run_id in enumerate(runs):
        assert store.history(run_id, "v") == [(s, float(s)) for s in range(index, 2000, 4)]


def test_empty_enqueue_and_merge() -> None:
    store = RecordingStore()
    logger = AsyncBatchLogger(store.log_batch)
    RunOperations().wait()
    logger.enqueue("r", []).wait()
    assert store.calls == []
    merged = RunOperations.merge(None, logger.enqueue("r", [metric("a", 1)]))
    merged.wait()
    assert store.history("r", "a") == [(1, 1.0)]


def test_idle_writer_exits_and_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(async_logging, "_IDLE_SECONDS", 0.05)
    store = RecordingStore()
    logger = AsyncBatchLogger(store.log_batch)
    logger.enqueue("r", [metric("a", 1)]).wait()
    deadline = time.monotonic() + 5
    while logger._thread is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert logger._thread is None
    logger.enqueue("r", [metric("a", 2)]).wait()
    assert store.history("r", "a") == [(1, 1.0), (2, 2.0)]
    logger.shutdown()


def test_split_batch_for_synchronous_callers() -> None:
    chunks = list(
        split_batch(
            metrics("m", range(2100)),
            [Param(f"p{i}", "v") for i in range(120)],
            [RunTag(f"t{i}", "v") for i in range(30)],
        )
    )
    assert [(len(m), len(p), len(t)) for m, p, t in chunks] == [
        (870, 100, 30),
        (980, 20, 0),
        (250, 0, 0),
    ]
    assert [x.step for m, _, _ in chunks for x in m] == list(range(2100))
    assert list(split_batch([], [], [])) == []


def test_switch_follows_env_and_code(fresh_switch: None, monkeypatch: pytest.MonkeyPatch) -> None:
    async_logging._async_override = None
    monkeypatch.delenv("MLFLOW_ENABLE_ASYNC_LOGGING", raising=False)
    assert async_logging.is_async_logging_enabled() is False
    for raw, expected in (("true", True), ("1", True), ("TRUE", True), ("false", False)):
        monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_LOGGING", raw)
        assert async_logging.is_async_logging_enabled() is expected
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_LOGGING", "maybe")
    with pytest.raises(MlflowException):
        async_logging.is_async_logging_enabled()
    async_logging.set_async_logging_enabled(True)
    assert async_logging.is_async_logging_enabled() is True
    import os

    assert os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] == "true"  # children inherit it
    async_logging.set_async_logging_enabled(False)
    assert async_logging.is_async_logging_enabled() is False
