"""Logged models and run inputs/outputs through the REST store, against the real MLflow
3.17.2 server and against ``mltrail server`` (the ``tracking_server`` fixture), with the same
assertions: mltrail's client speaks MLflow's logged-model API."""

from __future__ import annotations

import uuid

import pytest

from mltrail import MlflowClient
from mltrail.entities import (
    Dataset,
    DatasetInput,
    InputTag,
    LoggedModelInput,
    LoggedModelOutput,
    LoggedModelStatus,
)
from mltrail.exceptions import RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.tracking.rest import RestTrackingStore

pytestmark = pytest.mark.usefixtures("server_uri")


@pytest.fixture
def client() -> MlflowClient:
    client = MlflowClient()
    assert isinstance(client.store, RestTrackingStore)
    return client


@pytest.fixture
def experiment_id(client: MlflowClient) -> str:
    return client.create_experiment(f"models-{uuid.uuid4().hex[:10]}")


def test_create_get_and_finalize(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    model = client.create_logged_model(
        experiment_id,
        name="classifier",
        source_run_id=run_id,
        tags={"team": "vision"},
        params={"alpha": "0.5"},
        model_type="sklearn",
    )
    assert model.model_id.startswith("m-")
    assert model.experiment_id == experiment_id
    assert model.status == LoggedModelStatus.PENDING
    assert model.artifact_location.endswith(f"/{experiment_id}/models/{model.model_id}/artifacts")

    loaded = client.get_logged_model(model.model_id)
    assert loaded.name == "classifier"
    assert loaded.source_run_id == run_id
    assert loaded.model_type == "sklearn"
    assert loaded.tags == {"team": "vision"}
    assert loaded.params == {"alpha": "0.5"}
    assert loaded.creation_timestamp > 0

    ready = client.finalize_logged_model(model.model_id, "READY")
    assert ready.status == LoggedModelStatus.READY
    assert client.get_logged_model(model.model_id).status == LoggedModelStatus.READY

    with pytest.raises(MlflowException) as missing:
        client.get_logged_model("m-" + uuid.uuid4().hex)
    assert missing.value.error_code == RESOURCE_DOES_NOT_EXIST


def test_tags_and_params(client: MlflowClient, experiment_id: str) -> None:
    model = client.create_logged_model(experiment_id, name="tagged")
    client.set_logged_model_tags(model.model_id, {"stage": "dev", "owner": "me", "a b": "c"})
    client.delete_logged_model_tag(model.model_id, "owner")
    client.delete_logged_model_tag(model.model_id, "a b")  # the key is quoted in the path
    client.set_logged_model_tags(model.model_id, {"stage": "prod"})
    client.log_model_params(model.model_id, {"depth": "4"})
    loaded = client.get_logged_model(model.model_id)
    assert loaded.tags == {"stage": "prod"}
    assert loaded.params == {"depth": "4"}


def test_search_by_name_and_order(client: MlflowClient, experiment_id: str) -> None:
    ids = {name: client.create_logged_model(experiment_id, name=name).model_id for name in "abc"}
    found = client.search_logged_models([experiment_id], filter_string="name = 'b'")
    assert [m.model_id for m in found] == [ids["b"]]
    assert found.token is None
    ordered = client.search_logged_models(
        [experiment_id], order_by=[{"field_name": "name", "ascending": True}], max_results=2
    )
    assert [m.name for m in ordered] == ["a", "b"]
    assert ordered.token
    rest = client.search_logged_models(
        [experiment_id],
        order_by=[{"field_name": "name", "ascending": True}],
        max_results=2,
        page_token=ordered.token,
    )
    assert [m.name for m in rest] == ["c"]

    client.delete_logged_model(ids["c"])
    remaining = client.search_logged_models([experiment_id])
    assert sorted(m.name for m in remaining) == ["a", "b"]


def test_log_inputs_and_outputs(client: MlflowClient, experiment_id: str) -> None:
    run_id = client.create_run(experiment_id).info.run_id
    model = client.create_logged_model(experiment_id, name="out", source_run_id=run_id)
    dataset_input = DatasetInput(
        Dataset("iris", "d1g35t", "code", '{"tags": {}}', schema='{"cols": []}'),
        (InputTag("mlflow.data.context", "training"),),
    )
    client.log_inputs(run_id, [dataset_input], [LoggedModelInput(model.model_id)])
    client.log_outputs(run_id, [LoggedModelOutput(model.model_id, 5)])

    run = client.get_run(run_id)
    assert run.outputs.model_outputs == (LoggedModelOutput(model.model_id, 5),)
    assert run.inputs.dataset_inputs == (dataset_input,)
    assert run.inputs.model_inputs == (LoggedModelInput(model.model_id),)
