"""The registry through MlflowClient and the fluent API (SQLite), including the seed flow."""

from __future__ import annotations

import pytest

import mltrail
from mltrail import MlflowClient
from mltrail.exceptions import RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.model_registry.sql import SqlModelRegistryStore


@pytest.fixture(autouse=True)
def _fresh_registry_stores():
    from mltrail.store.model_registry.resolve import clear_registry_store_cache

    clear_registry_store_cache()
    yield
    clear_registry_store_cache()


@pytest.fixture
def client(tmp_path, monkeypatch: pytest.MonkeyPatch) -> MlflowClient:
    from mltrail.store.tracking.resolve import clear_store_cache

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    monkeypatch.setenv("MLFLOW_DEFAULT_ARTIFACT_ROOT", str(tmp_path / "artifacts"))
    clear_store_cache()
    mltrail.set_tracking_uri(f"sqlite:///{tmp_path / 'mlflow.db'}")
    yield MlflowClient()
    mltrail.set_tracking_uri(None)
    mltrail.set_registry_uri(None)
    clear_store_cache()


def test_register_model_from_a_run_twice(client: MlflowClient):
    experiment_id = client.create_experiment("quickstart")
    run_id = client.create_run(experiment_id).info.run_id
    logged = client.create_logged_model(experiment_id, name="iris_model", source_run_id=run_id)
    first = mltrail.register_model(f"runs:/{run_id}/iris_model", "tracking-quickstart")
    second = mltrail.register_model(f"runs:/{run_id}/iris_model", "tracking-quickstart")
    assert (first.version, second.version) == ("1", "2")
    assert first.source == f"models:/{logged.model_id}"
    assert (first.run_id, first.model_id) == (run_id, logged.model_id)
    assert client.get_model_version_download_uri("tracking-quickstart", 2) == (
        logged.artifact_location
    )
    model = client.get_registered_model("tracking-quickstart")
    assert [v.version for v in model.latest_versions] == ["2"]
    assert [m.name for m in mltrail.search_registered_models()] == ["tracking-quickstart"]
    found = mltrail.search_model_versions(filter_string="name = 'tracking-quickstart'")
    assert sorted(v.version for v in found) == ["1", "2"]
    assert len(mltrail.search_model_versions(max_results=1)) == 1


def test_register_model_with_a_logged_model_uri_and_tags(client: MlflowClient):
    experiment_id = client.create_experiment("e")
    logged = client.create_logged_model(experiment_id, name="m")
    version = mltrail.register_model(logged.model_uri, "reg", tags={"a": 1})
    assert (version.version, version.model_id, version.tags) == ("1", logged.model_id, {"a": "1"})


def test_client_registry_operations(client: MlflowClient):
    assert isinstance(client.registry_store, SqlModelRegistryStore)
    run_id = client.create_run(client.create_experiment("e")).info.run_id
    client.create_registered_model("m", tags={"k": 1}, description="d")
    v1 = client.create_model_version("m", f"runs:/{run_id}/model", run_id=run_id, tags={"x": "y"})
    client.create_model_version("m", "s3://bucket/model", description="second")
    assert client.get_model_version("m", 1).tags == {"x": "y"}
    assert client.update_model_version("m", 2, "new").description == "new"
    assert client.update_registered_model("m", "dd").description == "dd"
    client.set_registered_model_tag("m", "t", 5)
    client.delete_registered_model_tag("m", "k")
    assert client.get_registered_model("m").tags == {"t": "5"}
    client.set_model_version_tag("m", "1", "q", "good")
    client.delete_model_version_tag("m", "1", "x")
    assert client.get_model_version("m", "1").tags == {"q": "good"}
    client.transition_model_version_stage("m", 1, "Staging")
    client.set_model_version_tag("m", key="s", value="1", stage="Staging")
    assert client.get_model_version("m", 1).tags == {"q": "good", "s": "1"}
    assert [v.version for v in client.get_latest_versions("m", stages=["Staging"])] == ["1"]
    client.set_registered_model_alias("m", "champion", 2)
    assert client.get_model_version_by_alias("m", "champion").version == "2"
    client.delete_registered_model_alias("m", "champion")
    copied = client.copy_model_version("models:/m/1", "m-copy")
    assert (copied.name, copied.version, copied.source) == ("m-copy", "1", "models:/m/1")
    assert client.get_model_version_download_uri("m-copy", 1) == v1.source
    assert [m.name for m in client.search_registered_models(order_by=["name DESC"])] == [
        "m-copy",
        "m",
    ]
    assert len(client.search_model_versions("name = 'm'")) == 2
    client.rename_registered_model("m-copy", "renamed")
    client.delete_model_version("m", 2)
    client.delete_registered_model("renamed")
    with pytest.raises(MlflowException) as info:
        client.get_registered_model("renamed")
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST


def test_registry_uri_selects_the_store(client: MlflowClient, tmp_path):
    other = f"sqlite:///{tmp_path / 'registry.db'}"
    separate = MlflowClient(registry_uri=other)
    separate.create_registered_model("only-here")
    assert [m.name for m in separate.search_registered_models()] == ["only-here"]
    assert client.search_registered_models() == []
    mltrail.set_registry_uri(other)
    try:
        assert [m.name for m in MlflowClient().search_registered_models()] == ["only-here"]
    finally:
        mltrail.set_registry_uri(None)
