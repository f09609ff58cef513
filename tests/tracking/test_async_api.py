"""``synchronous=False`` and ``MLFLOW_ENABLE_ASYNC_LOGGING`` through the client and fluent API."""

from __future__ import annotations

import pytest

import mltrail as mlflow
from mltrail import MlflowClient
from mltrail.entities import Metric, Param
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking.async_logging import RunOperations, set_async_logging_enabled


def test_client_async_calls_return_run_operations() -> None:
    client = MlflowClient()
    run_id = client.create_run("0").info.run_id
    operations = [
        client.log_metric(run_id, "m", 1.0, step=0, synchronous=False),
        client.log_param(run_id, "p", 1, synchronous=False),
        client.set_tag(run_id, "t", "v", synchronous=False),
        client.log_batch(run_id, [Metric("m", 2.0, 10, 1)], [Param("q", "2")], synchronous=False),
    ]
    assert all(isinstance(op, RunOperations) for op in operations)
    for op in operations:
        op.wait()
    data = client.get_run(run_id).data
    assert data.metrics == {"m": 2.0}
    assert data.params == {"p": "1", "q": "2"}
    assert data.tags["t"] == "v"


def test_fluent_async_is_flushed_by_end_run() -> None:
    with mlflow.start_run() as run:
        for step in range(200):
            operation = mlflow.log_metric("loss", 1 / (step + 1), step=step, synchronous=False)
            assert isinstance(operation, RunOperations)
        mlflow.log_params({f"p{i}": i for i in range(150)}, synchronous=False)
        mlflow.set_tags({"a": 1}, synchronous=False)
        mlflow.log_metrics({"x": 1.0, "y": 2.0}, synchronous=False)
        mlflow.set_tag("b", 2, synchronous=False)
        value = mlflow.log_param("single", 5, synchronous=False)
        assert isinstance(value, RunOperations)
    client = MlflowClient()
    run_data = client.get_run(run.info.run_id)
    assert run_data.info.status == "FINISHED"
    assert len(client.get_metric_history(run.info.run_id, "loss")) == 200
    assert len(run_data.data.params) == 151
    assert run_data.data.tags["a"] == "1" and run_data.data.tags["b"] == "2"
    assert run_data.data.metrics["x"] == 1.0


def test_async_failure_is_raised_at_end_run_and_run_marked_failed() -> None:
    run = mlflow.start_run()
    mlflow.log_param("p", "1")
    mlflow.log_metric("kept", 1.0, synchronous=False)
    operation = mlflow.log_param("p", "2", synchronous=False)  # changing a param fails later
    with pytest.raises(MlflowException) as info:
        mlflow.end_run()
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert mlflow.active_run() is None
    final = mlflow.get_run(run.info.run_id)
    assert final.info.status == "FAILED"
    assert final.data.params == {"p": "1"}
    assert final.data.metrics == {"kept": 1.0}
    with pytest.raises(MlflowException):
        operation.wait()


def test_run_operations_wait_raises_the_failure() -> None:
    client = MlflowClient()
    run_id = client.create_run("0").info.run_id
    operation = client.log_metric(run_id, "bad key!", 1.0, synchronous=False)
    with pytest.raises(MlflowException) as info:
        operation.wait()
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_env_var_turns_async_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_LOGGING", "true")
    with mlflow.start_run() as run:
        assert isinstance(mlflow.log_metric("m", 1.0), RunOperations)
        assert mlflow.log_metric("m", 2.0, synchronous=True) is None
        assert mlflow.log_param("p", 3, synchronous=True) == 3
    assert mlflow.get_run(run.info.run_id).data.metrics == {"m": 2.0}


def test_config_switch_and_flush_async_logging() -> None:
    set_async_logging_enabled(True)
    client = MlflowClient()
    run_id = client.create_run("0").info.run_id
    assert isinstance(client.log_metric(run_id, "m", 1.0), RunOperations)
    mlflow.flush_async_logging()
    assert client.get_run(run_id).data.metrics == {"m": 1.0}
    set_async_logging_enabled(False)
    assert client.log_metric(run_id, "m", 2.0, step=1) is None
