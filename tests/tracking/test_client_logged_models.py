"""MlflowClient logged-model and run input/output API on the embedded SQLite store."""

from __future__ import annotations

import pytest

from mltrail import MlflowClient
from mltrail.entities import (
    Dataset,
    DatasetInput,
    InputTag,
    LoggedModel,
    LoggedModelInput,
    LoggedModelOutput,
    LoggedModelStatus,
    PagedList,
)
from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException


@pytest.fixture
def client() -> MlflowClient:
    return MlflowClient()


@pytest.fixture
def experiment_id(client: MlflowClient) -> str:
    return client.create_experiment("logged-models")


def test_create_converts_values_and_places_artifacts(
    client: MlflowClient, experiment_id: str
) -> None:
    run = client.create_run(experiment_id)
    model = client.create_logged_model(
        int(experiment_id),  # type: ignore[arg-type]
        name="model",
        source_run_id=run.info.run_id,
        tags={"n": 3},
        params={"alpha": 0.5},
        model_type="sklearn",
    )
    assert isinstance(model, LoggedModel)
    assert model.tags == {"n": "3"} and model.params == {"alpha": "0.5"}
    location = client.get_experiment(experiment_id).artifact_location
    assert model.artifact_location == f"{location}/models/{model.model_id}/artifacts"
    assert client.get_logged_model(model.model_id) == model


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("READY", LoggedModelStatus.READY),
        ("LOGGED_MODEL_READY", LoggedModelStatus.READY),
        ("FAILED", LoggedModelStatus.UPLOAD_FAILED),
        (2, LoggedModelStatus.READY),
    ],
)
def test_finalize_accepts_mlflow_status_spellings(
    client: MlflowClient, experiment_id: str, status: object, expected: str
) -> None:
    model = client.create_logged_model(experiment_id)
    assert client.finalize_logged_model(model.model_id, status).status == expected
    assert client.get_logged_model(model.model_id).status == expected


def test_finalize_rejects_unknown_status(client: MlflowClient, experiment_id: str) -> None:
    model = client.create_logged_model(experiment_id)
    with pytest.raises(MlflowException) as exc:
        client.finalize_logged_model(model.model_id, "DONE")
    assert exc.value.error_code == INVALID_PARAMETER_VALUE
    assert "READY" in exc.value.message


def test_tags_params_search_and_delete(client: MlflowClient, experiment_id: str) -> None:
    first = client.create_logged_model(experiment_id, name="first")
    second = client.create_logged_model(experiment_id, name="second")
    client.set_logged_model_tags(first.model_id, {"stage": 1, "owner": "me"})
    client.delete_logged_model_tag(first.model_id, "owner")
    client.log_model_params(first.model_id, {"depth": 4})
    loaded = client.get_logged_model(first.model_id)
    assert loaded.tags == {"stage": "1"} and loaded.params == {"depth": "4"}

    page = client.search_logged_models(experiment_id, filter_string="tags.stage = '1'")
    assert isinstance(page, PagedList)
    assert [m.model_id for m in page] == [first.model_id]
    ordered = client.search_logged_models(
        [experiment_id], order_by=[{"field_name": "name", "ascending": False}], max_results=1
    )
    assert [m.name for m in ordered] == ["second"] and ordered.token

    client.delete_logged_model(second.model_id)
    assert [m.name for m in client.search_logged_models([experiment_id])] == ["first"]
    with pytest.raises(MlflowException) as exc:
        client.get_logged_model(second.model_id)
    assert exc.value.error_code == RESOURCE_DOES_NOT_EXIST


def test_log_inputs_and_outputs_show_on_the_run(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    model = client.create_logged_model(experiment_id, source_run_id=run_id)
    dataset_input = DatasetInput(
        Dataset("iris", "d1g35t", "code", "{}"), (InputTag("mlflow.data.context", "train"),)
    )
    client.log_inputs(run_id, datasets=[dataset_input], models=[LoggedModelInput(model.model_id)])
    client.log_inputs(run_id)  # nothing to log: no call, no error
    client.log_outputs(run_id, [LoggedModelOutput(model.model_id, step=2)])
    run = client.get_run(run_id)
    assert run.inputs.dataset_inputs == (dataset_input,)
    assert run.inputs.model_inputs == (LoggedModelInput(model.model_id),)
    assert run.outputs.model_outputs == (LoggedModelOutput(model.model_id, 2),)
    searched = client.search_runs([experiment_id])
    assert searched[0].outputs.model_outputs[0].model_id == model.model_id
