"""Logged models and run inputs/outputs in the SQL tracking store, on every backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrail.entities import (
    Dataset,
    DatasetInput,
    InputTag,
    LoggedModelInput,
    LoggedModelOutput,
    LoggedModelStatus,
    Metric,
)
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.tracking.sql import SqlTrackingStore


@pytest.fixture
def experiment_id(store: SqlTrackingStore) -> str:
    return store.create_experiment("models")


def _run_id(store: SqlTrackingStore, experiment_id: str) -> str:
    return store.create_run(experiment_id, "alice", 1, [], "train").info.run_id


def test_create_and_get_logged_model(
    store: SqlTrackingStore, experiment_id: str, artifact_root: Path
) -> None:
    run_id = _run_id(store, experiment_id)
    model = store.create_logged_model(
        experiment_id,
        name="classifier",
        source_run_id=run_id,
        tags={"team": "vision"},
        params={"alpha": "0.5"},
        model_type="sklearn",
    )
    assert model.model_id.startswith("m-") and len(model.model_id) == 34
    assert model.status == LoggedModelStatus.PENDING
    experiment_location = store.get_experiment(experiment_id).artifact_location
    assert model.artifact_location == f"{experiment_location}/models/{model.model_id}/artifacts"
    assert str(artifact_root) in model.artifact_location

    loaded = store.get_logged_model(model.model_id)
    assert loaded.name == "classifier"
    assert loaded.experiment_id == experiment_id
    assert loaded.source_run_id == run_id
    assert loaded.model_type == "sklearn"
    assert loaded.tags == {"team": "vision"}
    assert loaded.params == {"alpha": "0.5"}
    assert loaded.lifecycle_stage == "active"
    assert loaded.model_uri == f"models:/{model.model_id}"


def test_generated_name_and_validation(store: SqlTrackingStore, experiment_id: str) -> None:
    model = store.create_logged_model(experiment_id)
    assert model.name and "-" in model.name
    with pytest.raises(MlflowException) as bad_name:
        store.create_logged_model(experiment_id, name="a/b")
    assert bad_name.value.error_code == INVALID_PARAMETER_VALUE
    with pytest.raises(MlflowException) as missing:
        store.get_logged_model("m-" + "0" * 32)
    assert missing.value.error_code == RESOURCE_DOES_NOT_EXIST


def test_finalize_tags_params_and_delete(store: SqlTrackingStore, experiment_id: str) -> None:
    model = store.create_logged_model(experiment_id, name="m", tags={"a": "1"})
    ready = store.finalize_logged_model(model.model_id, LoggedModelStatus.READY)
    assert ready.status == LoggedModelStatus.READY
    assert ready.last_updated_timestamp >= model.last_updated_timestamp
    with pytest.raises(MlflowException) as bad_status:
        store.finalize_logged_model(model.model_id, "DONE")
    assert bad_status.value.error_code == INVALID_PARAMETER_VALUE

    store.set_logged_model_tags(model.model_id, {"a": "2", "b": "x"})
    store.delete_logged_model_tag(model.model_id, "b")
    store.log_logged_model_params(model.model_id, {"lr": "0.1"})
    store.log_logged_model_params(model.model_id, {"lr": "0.1"})  # same value: no-op
    with pytest.raises(MlflowException) as changed:
        store.log_logged_model_params(model.model_id, {"lr": "0.2"})
    assert changed.value.error_code == INVALID_PARAMETER_VALUE
    loaded = store.get_logged_model(model.model_id)
    assert loaded.tags == {"a": "2"}
    assert loaded.params == {"lr": "0.1"}
    with pytest.raises(MlflowException) as no_tag:
        store.delete_logged_model_tag(model.model_id, "missing")
    assert no_tag.value.error_code == RESOURCE_DOES_NOT_EXIST

    store.delete_logged_model(model.model_id)
    with pytest.raises(MlflowException) as deleted:
        store.get_logged_model(model.model_id)
    assert deleted.value.error_code == RESOURCE_DOES_NOT_EXIST
    assert store.get_logged_model(model.model_id, allow_deleted=True).lifecycle_stage == "deleted"
    assert list(store.search_logged_models([experiment_id])) == []


def test_search_filter_order_and_paging(store: SqlTrackingStore, experiment_id: str) -> None:
    ids = [
        store.create_logged_model(experiment_id, name=f"model-{i}", tags={"i": str(i)}).model_id
        for i in range(5)
    ]
    by_name = store.search_logged_models([experiment_id], filter_string="name = 'model-3'")
    assert [m.model_id for m in by_name] == [ids[3]]
    by_tag = store.search_logged_models([experiment_id], filter_string="tags.i != '0'")
    assert len(by_tag) == 4

    order = [{"field_name": "name", "ascending": True}]
    first = store.search_logged_models([experiment_id], max_results=2, order_by=order)
    assert [m.name for m in first] == ["model-0", "model-1"]
    assert first.token
    second = store.search_logged_models(
        [experiment_id], max_results=2, order_by=order, page_token=first.token
    )
    assert [m.name for m in second] == ["model-2", "model-3"]
    with pytest.raises(MlflowException) as bad_filter:
        store.search_logged_models([experiment_id], filter_string="nonsense")
    assert bad_filter.value.error_code == INVALID_PARAMETER_VALUE


def test_model_metrics_from_run_logging_and_dataset_search(
    store: SqlTrackingStore, experiment_id: str
) -> None:
    run_id = _run_id(store, experiment_id)
    good = store.create_logged_model(experiment_id, name="good", source_run_id=run_id)
    bad = store.create_logged_model(experiment_id, name="bad", source_run_id=run_id)
    metric = Metric("acc", 0.9, 10, 0, None, "eval", "d1", good.model_id)
    store.log_batch(run_id, [metric], [], [])
    store.log_metric(run_id, Metric("acc", 0.4, 11, 0, None, "eval", "d1", bad.model_id))
    loaded = store.get_logged_model(good.model_id)
    assert [(m.key, m.value, m.run_id, m.dataset_name) for m in loaded.metrics] == [
        ("acc", 0.9, run_id, "eval")
    ]
    found = store.search_logged_models([experiment_id], filter_string="metrics.acc > 0.5")
    assert [m.model_id for m in found] == [good.model_id]
    ordered = store.search_logged_models(
        [experiment_id],
        datasets=[{"dataset_name": "eval"}],
        order_by=[{"field_name": "metrics.acc", "ascending": False}],
    )
    assert [m.name for m in ordered] == ["good", "bad"]


def test_log_inputs_and_outputs_fill_runs(store: SqlTrackingStore, experiment_id: str) -> None:
    run_id = _run_id(store, experiment_id)
    model = store.create_logged_model(experiment_id, name="m", source_run_id=run_id)
    dataset = Dataset("train", "abc123", "local", '{"uri": "x"}', schema='{"a": 1}')
    tags = (InputTag("mlflow.data.context", "training"),)
    store.log_inputs(run_id, [DatasetInput(dataset, tags)], [LoggedModelInput(model.model_id)])
    store.log_inputs(run_id, [DatasetInput(dataset, tags)])  # relinking is a no-op
    store.log_outputs(run_id, [LoggedModelOutput(model.model_id, 7)])

    run = store.get_run(run_id)
    assert run.inputs.dataset_inputs == (DatasetInput(dataset, tags),)
    assert run.inputs.model_inputs == (LoggedModelInput(model.model_id),)
    assert run.outputs.model_outputs == (LoggedModelOutput(model.model_id, 7),)
    searched = store.search_runs([experiment_id])
    assert searched[0].outputs.model_outputs == (LoggedModelOutput(model.model_id, 7),)
    assert searched[0].inputs.dataset_inputs[0].dataset.digest == "abc123"
    assert store.get_runs([run_id])[0].inputs.model_inputs == (LoggedModelInput(model.model_id),)
    summaries = store.search_datasets([experiment_id])
    assert summaries == [
        {"experiment_id": experiment_id, "name": "train", "digest": "abc123", "context": "training"}
    ]

    store.delete_run(run_id)
    with pytest.raises(MlflowException) as not_active:
        store.log_outputs(run_id, [LoggedModelOutput(model.model_id, 8)])
    assert not_active.value.error_code == INVALID_PARAMETER_VALUE


def test_dataset_limits(store: SqlTrackingStore, experiment_id: str) -> None:
    run_id = _run_id(store, experiment_id)
    too_long = DatasetInput(Dataset("d", "x" * 37, "local", "s"))
    with pytest.raises(MlflowException) as exc:
        store.log_inputs(run_id, [too_long])
    assert exc.value.error_code == INVALID_PARAMETER_VALUE
    assert store.get_run(run_id).inputs.dataset_inputs == ()
