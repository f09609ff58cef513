"""mltrail's RestModelRegistryStore against a real ``mltrail server`` and a real MLflow 3.17.2
``mlflow server``: the same operations give the same results and error codes on both."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from helpers.fixtures import mlflow_server, mltrail_server  # noqa: F401
from helpers.servers import ServerHandle
from mltrail.entities import ModelVersionTag, RegisteredModelTag
from mltrail.exceptions import MlflowException
from mltrail.store.model_registry.rest import RestModelRegistryStore
from mltrail.store.tracking.rest import RestTrackingStore


@pytest.fixture(scope="module", params=["mlflow", "mltrail"])
def server(request: pytest.FixtureRequest) -> ServerHandle:
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture(autouse=True)
def quiet_client(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0")
    yield


@pytest.fixture
def store(server: ServerHandle) -> RestModelRegistryStore:
    return RestModelRegistryStore(server.url)


@pytest.fixture
def run_id(server: ServerHandle) -> str:
    tracking = RestTrackingStore(server.url)
    experiment_id = tracking.create_experiment(f"registry-{uuid.uuid4().hex[:8]}")
    return tracking.create_run(experiment_id, None, 1000, [], "r").info.run_id


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _code(call: Callable[[], object]) -> str | None:
    try:
        call()
    except MlflowException as error:
        return error.error_code
    return None


def test_registered_models(store: RestModelRegistryStore):
    name, other = _unique("rm"), _unique("rm")
    created = store.create_registered_model(name, [RegisteredModelTag("team", "cv")], "first")
    assert (created.name, created.description, created.tags) == (name, "first", {"team": "cv"})
    assert created.creation_timestamp > 0
    assert _code(lambda: store.create_registered_model(name)) == "RESOURCE_ALREADY_EXISTS"
    assert _code(lambda: store.get_registered_model(_unique("ghost"))) == "RESOURCE_DOES_NOT_EXIST"
    assert _code(lambda: store.create_registered_model("a/b")) == "INVALID_PARAMETER_VALUE"

    store.create_registered_model(other)
    assert _code(lambda: store.rename_registered_model(name, other)) == "RESOURCE_ALREADY_EXISTS"
    renamed = store.rename_registered_model(name, name + "-new")
    assert renamed.name == name + "-new"
    name += "-new"
    assert store.update_registered_model(name, "second").description == "second"
    assert store.update_registered_model(name, None).description == ""
    store.set_registered_model_tag(name, RegisteredModelTag("stage", "dev"))
    store.delete_registered_model_tag(name, "team")
    store.delete_registered_model_tag(name, "team")  # a missing key is fine
    assert store.get_registered_model(name).tags == {"stage": "dev"}

    found = store.search_registered_models(f"name = '{name}'")
    assert [m.name for m in found] == [name]
    page = store.search_registered_models(f"name IN ('{name}', '{other}')", max_results=1)
    assert len(page) == 1 and page.token
    rest = store.search_registered_models(
        f"name IN ('{name}', '{other}')", max_results=1, page_token=page.token
    )
    assert {page[0].name, rest[0].name} == {name, other}
    assert _code(lambda: store.search_registered_models(max_results=1001)) == (
        "INVALID_PARAMETER_VALUE"
    )

    store.delete_registered_model(name)
    assert _code(lambda: store.get_registered_model(name)) == "RESOURCE_DOES_NOT_EXIST"
    assert _code(lambda: store.delete_registered_model(name)) == "RESOURCE_DOES_NOT_EXIST"


def test_model_versions_stages_and_tags(store: RestModelRegistryStore, run_id: str):
    name = _unique("mv")
    store.create_registered_model(name)
    source = f"runs:/{run_id}/model"
    v1 = store.create_model_version(name, source, run_id=run_id, description="one")
    v2 = store.create_model_version(
        name, source, run_id=run_id, tags=[ModelVersionTag("k", "v")], run_link="http://l"
    )
    v3 = store.create_model_version(name, source, run_id=run_id)
    assert [v1.version, v2.version, v3.version] == ["1", "2", "3"]
    assert (v1.current_stage, v1.status, v1.run_id, v1.source) == ("None", "READY", run_id, source)
    assert (v2.tags, v2.run_link, v3.description) == ({"k": "v"}, "http://l", "")
    assert store.get_model_version_download_uri(name, "1") == source

    got = store.get_model_version(name, 2)
    assert (got.version, got.tags) == ("2", {"k": "v"})
    assert store.update_model_version(name, "1", "uno").description == "uno"
    assert _code(lambda: store.get_model_version(name, "abc")) == "INVALID_PARAMETER_VALUE"
    assert _code(lambda: store.get_model_version(name, "42")) == "RESOURCE_DOES_NOT_EXIST"

    assert store.transition_model_version_stage(name, "1", "production", False).current_stage == (
        "Production"
    )
    store.transition_model_version_stage(name, "2", "Production", True)
    assert store.get_model_version(name, "1").current_stage == "Archived"
    assert _code(lambda: store.transition_model_version_stage(name, "3", "Live", False)) == (
        "INVALID_PARAMETER_VALUE"
    )
    latest = {v.current_stage: v.version for v in store.get_latest_versions(name)}
    assert latest == {"Archived": "1", "Production": "2", "None": "3"}
    assert [v.version for v in store.get_latest_versions(name, ["production"])] == ["2"]
    assert _code(lambda: store.get_latest_versions(name, ["Bogus"])) == "INVALID_PARAMETER_VALUE"

    store.set_model_version_tag(name, "3", ModelVersionTag("a", "b"))
    assert store.get_model_version(name, "3").tags == {"a": "b"}
    store.delete_model_version_tag(name, "3", "a")
    store.delete_model_version_tag(name, "3", "a")
    assert store.get_model_version(name, "3").tags == {}
    assert _code(lambda: store.delete_model_version_tag(name, "42", "a")) == (
        "RESOURCE_DOES_NOT_EXIST"
    )

    found = store.search_model_versions(f"name = '{name}' AND version_number >= 2")
    assert sorted(v.version for v in found) == ["2", "3"]
    by_run = store.search_model_versions(f"name = '{name}' AND run_id = '{run_id}'")
    assert len(by_run) == 3
    assert _code(lambda: store.search_model_versions(max_results=200001)) == (
        "INVALID_PARAMETER_VALUE"
    )

    store.delete_model_version(name, "1")
    assert _code(lambda: store.get_model_version(name, "1")) == "RESOURCE_DOES_NOT_EXIST"
    assert store.create_model_version(name, source, run_id=run_id).version == "4"
    store.delete_registered_model(name)


def test_aliases(store: RestModelRegistryStore, run_id: str):
    name = _unique("alias")
    store.create_registered_model(name)
    for _ in range(2):
        store.create_model_version(name, f"runs:/{run_id}/model", run_id=run_id)
    store.set_registered_model_alias(name, "champion", "1")
    assert store.get_model_version_by_alias(name, "champion").version == "1"
    store.set_registered_model_alias(name, "champion", 2)
    by_alias = store.get_model_version_by_alias(name, "champion")
    assert (by_alias.version, by_alias.aliases) == ("2", ("champion",))
    assert store.get_registered_model(name).aliases == {"champion": "2"}
    assert store.get_model_version_by_alias(name, "latest").version == "2"
    for reserved in ("latest", "v1"):
        assert _code(lambda a=reserved: store.set_registered_model_alias(name, a, "1")) == (
            "INVALID_PARAMETER_VALUE"
        )
    assert _code(lambda: store.set_registered_model_alias(name, "x", "9")) == (
        "RESOURCE_DOES_NOT_EXIST"
    )
    assert _code(lambda: store.get_model_version_by_alias(name, "nope")) == (
        "INVALID_PARAMETER_VALUE"
    )
    store.delete_registered_model_alias(name, "champion")
    store.delete_registered_model_alias(name, "champion")
    assert store.get_registered_model(name).aliases == {}
    store.delete_registered_model(name)


def test_source_checks(store: RestModelRegistryStore, run_id: str):
    name = _unique("src")
    store.create_registered_model(name)
    other = "0" * 32
    assert (
        _code(lambda: store.create_model_version(name, f"runs:/{run_id}/model", run_id=other))
        == "INVALID_PARAMETER_VALUE"
    )
    assert _code(lambda: store.create_model_version(_unique("ghost"), "s3://b/m")) == (
        "RESOURCE_DOES_NOT_EXIST"
    )
    kept = store.create_model_version(name, "s3://bucket/path/model")
    assert store.get_model_version_download_uri(name, kept.version) == "s3://bucket/path/model"
    store.delete_registered_model(name)
