"""Every registry operation on SQLite, PostgreSQL and MariaDB, with MLflow's error codes."""

from __future__ import annotations

import pytest

from mltrail.entities import ModelVersionTag, RegisteredModelTag
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.model_registry.sql import SqlModelRegistryStore
from mltrail.store.tracking.sql import SqlTrackingStore


def _code(call, *args, **kwargs) -> str:
    with pytest.raises(MlflowException) as info:
        call(*args, **kwargs)
    return info.value.error_code


def _run_source(tracking: SqlTrackingStore) -> tuple[str, str]:
    run = tracking.create_run("0", "user", 0, [], "r")
    return f"runs:/{run.info.run_id}/model", run.info.run_id


def test_registered_model_lifecycle(registry: SqlModelRegistryStore):
    created = registry.create_registered_model(
        "Iris Model", [RegisteredModelTag("team", "ml"), RegisteredModelTag("team", "ds")], "d"
    )
    assert created.name == "Iris Model"
    assert created.tags == {"team": "ds"}  # duplicate keys: last wins
    assert created.description == "d"
    assert created.latest_versions == ()
    assert _code(registry.create_registered_model, "Iris Model") == RESOURCE_ALREADY_EXISTS
    # names are case-sensitive
    assert registry.create_registered_model("iris model").name == "iris model"

    updated = registry.update_registered_model("Iris Model", "new description")
    assert updated.description == "new description"
    assert updated.last_updated_timestamp >= created.last_updated_timestamp
    assert registry.update_registered_model("Iris Model", "").description == ""

    registry.set_registered_model_tag("Iris Model", RegisteredModelTag("stage", "dev"))
    registry.set_registered_model_tag("Iris Model", RegisteredModelTag("stage", "prod"))
    assert registry.get_registered_model("Iris Model").tags == {"team": "ds", "stage": "prod"}
    registry.delete_registered_model_tag("Iris Model", "stage")
    registry.delete_registered_model_tag("Iris Model", "never-set")  # silent success
    assert registry.get_registered_model("Iris Model").tags == {"team": "ds"}

    assert registry.get_registered_model("iris model").name == "iris model"
    registry.delete_registered_model("Iris Model")
    assert _code(registry.get_registered_model, "Iris Model") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.delete_registered_model, "Iris Model") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.update_registered_model, "nope", "x") == RESOURCE_DOES_NOT_EXIST
    assert (
        _code(registry.set_registered_model_tag, "nope", RegisteredModelTag("a", "b"))
        == RESOURCE_DOES_NOT_EXIST
    )
    assert _code(registry.delete_registered_model_tag, "nope", "a") == RESOURCE_DOES_NOT_EXIST


@pytest.mark.parametrize("bad", ["", "   ", "a/b", "a:b", ".", "..", None])
def test_invalid_model_names_are_refused(registry: SqlModelRegistryStore, bad):
    assert _code(registry.create_registered_model, bad) == INVALID_PARAMETER_VALUE


def test_invalid_tags_are_refused(registry: SqlModelRegistryStore):
    registry.create_registered_model("m")
    too_long = RegisteredModelTag("k", "x" * 100_001)
    assert _code(registry.set_registered_model_tag, "m", too_long) == INVALID_PARAMETER_VALUE
    bad_key = RegisteredModelTag("../k", "v")
    assert _code(registry.set_registered_model_tag, "m", bad_key) == INVALID_PARAMETER_VALUE
    registry.set_registered_model_tag("m", RegisteredModelTag("k", "x" * 100_000))


def test_versions_are_numbered_per_model_and_never_reused(
    registry: SqlModelRegistryStore, tracking: SqlTrackingStore
):
    source, run_id = _run_source(tracking)
    registry.create_registered_model("a")
    registry.create_registered_model("b")
    v1 = registry.create_model_version(
        "a", source, run_id, [ModelVersionTag("k", "v")], "http://link", "first"
    )
    assert (v1.version, v1.current_stage, v1.status, v1.run_id) == ("1", "None", "READY", run_id)
    assert (v1.tags, v1.run_link, v1.description, v1.source) == (
        {"k": "v"},
        "http://link",
        "first",
        source,
    )
    assert registry.create_model_version("a", source).version == "2"
    assert registry.create_model_version("b", source).version == "1"
    registry.delete_model_version("a", "2")
    assert registry.create_model_version("a", source).version == "3"
    assert _code(registry.get_model_version, "a", "2") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.delete_model_version, "a", "2") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.get_model_version, "a", "99") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.get_model_version, "zzz", "1") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.get_model_version, "a", "abc") == INVALID_PARAMETER_VALUE
    assert _code(registry.create_model_version, "zzz", source) == RESOURCE_DOES_NOT_EXIST
    assert [v.version for v in registry.search_model_versions("name = 'a'")] == ["3", "1"]
    # the model's timestamp follows version changes
    model = registry.get_registered_model("a")
    assert model.last_updated_timestamp >= registry.get_model_version("a", 3).creation_timestamp


def test_update_and_version_tags(registry: SqlModelRegistryStore, tracking: SqlTrackingStore):
    source, _ = _run_source(tracking)
    registry.create_registered_model("m")
    created = registry.create_model_version("m", source, description="d")
    assert registry.update_model_version("m", 1, None).description == "d"  # unchanged
    updated = registry.update_model_version("m", "1", "better")
    assert updated.description == "better"
    assert updated.last_updated_timestamp >= created.last_updated_timestamp
    registry.set_model_version_tag("m", "1", ModelVersionTag("k", "v1"))
    registry.set_model_version_tag("m", "1", ModelVersionTag("k", "v2"))
    assert registry.get_model_version("m", "1").tags == {"k": "v2"}
    registry.delete_model_version_tag("m", "1", "k")
    registry.delete_model_version_tag("m", "1", "missing")
    assert registry.get_model_version("m", "1").tags == {}
    tag = ModelVersionTag("k", "v")
    assert _code(registry.set_model_version_tag, "m", "7", tag) == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.delete_model_version_tag, "x", "1", "k") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.update_model_version, "m", "7", "d") == RESOURCE_DOES_NOT_EXIST
    none_value = ModelVersionTag("k", None)  # type: ignore[arg-type]
    assert _code(registry.set_model_version_tag, "m", "1", none_value) == INVALID_PARAMETER_VALUE


def test_stages_latest_versions_and_archiving(
    registry: SqlModelRegistryStore, tracking: SqlTrackingStore
):
    source, _ = _run_source(tracking)
    registry.create_registered_model("m")
    for _ in range(4):
        registry.create_model_version("m", source)
    assert registry.transition_model_version_stage("m", "1", "production", False).current_stage == (
        "Production"
    )
    registry.transition_model_version_stage("m", "2", "STAGING", False)
    latest = {v.current_stage: v.version for v in registry.get_latest_versions("m")}
    assert latest == {"None": "4", "Production": "1", "Staging": "2"}
    model = registry.get_registered_model("m")
    assert {v.current_stage: v.version for v in model.latest_versions} == latest
    assert [v.version for v in registry.get_latest_versions("m", ["production"])] == ["1"]
    assert registry.get_latest_versions("m", ["Archived"]) == []

    moved = registry.transition_model_version_stage("m", "3", "Production", True)
    assert moved.current_stage == "Production"
    assert registry.get_model_version("m", "1").current_stage == "Archived"
    assert registry.get_model_version("m", "2").current_stage == "Staging"

    assert _code(registry.transition_model_version_stage, "m", "1", "Live", False) == (
        INVALID_PARAMETER_VALUE
    )
    assert _code(registry.transition_model_version_stage, "m", "1", "Archived", True) == (
        INVALID_PARAMETER_VALUE
    )
    assert _code(registry.get_latest_versions, "m", ["bogus"]) == INVALID_PARAMETER_VALUE
    assert _code(registry.get_latest_versions, "nope") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.transition_model_version_stage, "m", "9", "Staging", False) == (
        RESOURCE_DOES_NOT_EXIST
    )


def test_aliases(registry: SqlModelRegistryStore, tracking: SqlTrackingStore):
    source, _ = _run_source(tracking)
    registry.create_registered_model("m")
    registry.create_model_version("m", source)
    registry.create_model_version("m", source)
    registry.set_registered_model_alias("m", "champion", "1")
    assert registry.get_model_version_by_alias("m", "champion").aliases == ("champion",)
    registry.set_registered_model_alias("m", "champion", "2")  # moves
    by_alias = registry.get_model_version_by_alias("m", "champion")
    assert (by_alias.version, by_alias.aliases) == ("2", ("champion",))
    assert registry.get_model_version("m", "2").aliases == ("champion",)
    assert registry.get_registered_model("m").aliases == {"champion": "2"}
    assert registry.get_model_version_by_alias("m", "LATEST").version == "2"

    for reserved in ("latest", "Latest", "v1", "V12"):
        assert _code(registry.set_registered_model_alias, "m", reserved, "1") == (
            INVALID_PARAMETER_VALUE
        )
    for bad in ("", "a b", "a/b", "x" * 256):
        assert _code(registry.set_registered_model_alias, "m", bad, "1") == INVALID_PARAMETER_VALUE
    assert _code(registry.set_registered_model_alias, "m", "a", "9") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.set_registered_model_alias, "x", "a", "1") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry.get_model_version_by_alias, "m", "nope") == INVALID_PARAMETER_VALUE
    assert _code(registry.get_model_version_by_alias, "x", "a") == RESOURCE_DOES_NOT_EXIST

    registry.delete_registered_model_alias("m", "missing")  # silent success
    assert _code(registry.delete_registered_model_alias, "x", "a") == RESOURCE_DOES_NOT_EXIST
    registry.set_registered_model_alias("m", "challenger", "1")
    registry.delete_model_version("m", "1")  # aliases of a deleted version go
    assert registry.get_registered_model("m").aliases == {"champion": "2"}
    registry.delete_registered_model_alias("m", "champion")
    assert registry.get_registered_model("m").aliases == {}


def test_rename_moves_versions_tags_and_aliases(
    registry: SqlModelRegistryStore, tracking: SqlTrackingStore
):
    source, _ = _run_source(tracking)
    registry.create_registered_model("old", [RegisteredModelTag("t", "1")])
    registry.create_model_version("old", source)
    registry.set_registered_model_alias("old", "prod", "1")
    registry.create_registered_model("taken")
    assert _code(registry.rename_registered_model, "old", "taken") == RESOURCE_ALREADY_EXISTS
    assert _code(registry.rename_registered_model, "old", "a/b") == INVALID_PARAMETER_VALUE
    assert _code(registry.rename_registered_model, "nope", "x") == RESOURCE_DOES_NOT_EXIST
    renamed = registry.rename_registered_model("old", "new")
    assert (renamed.name, renamed.tags, renamed.aliases) == ("new", {"t": "1"}, {"prod": "1"})
    assert registry.get_model_version("new", "1").name == "new"
    assert registry.get_model_version_by_alias("new", "prod").version == "1"
    assert _code(registry.get_registered_model, "old") == RESOURCE_DOES_NOT_EXIST
    assert registry.create_model_version("new", source).version == "2"


def test_delete_model_removes_everything_and_name_can_be_reused(
    registry: SqlModelRegistryStore, tracking: SqlTrackingStore
):
    source, _ = _run_source(tracking)
    registry.create_registered_model("m", [RegisteredModelTag("t", "1")])
    registry.create_model_version("m", source, tags=[ModelVersionTag("k", "v")])
    registry.create_model_version("m", source)
    registry.set_registered_model_alias("m", "a", "2")
    registry.delete_registered_model("m")
    assert registry.search_model_versions("name = 'm'") == []
    again = registry.create_registered_model("m")
    assert (again.tags, again.aliases) == ({}, {})
    version = registry.create_model_version("m", source)
    assert (version.version, version.tags) == ("1", {})


def test_download_uri_and_logged_model_sources(
    registry: SqlModelRegistryStore, tracking: SqlTrackingStore
):
    source, run_id = _run_source(tracking)
    logged = tracking.create_logged_model("0", name="clf", source_run_id=run_id)
    registry.create_registered_model("m")
    version = registry.create_model_version("m", f"models:/{logged.model_id}")
    assert (version.run_id, version.model_id) == (run_id, logged.model_id)
    assert registry.get_model_version_download_uri("m", "1") == logged.artifact_location
    entries = tracking.get_logged_model(logged.model_id).tags["mlflow.modelVersions"]
    assert '"name": "m"' in entries and '"version": "1"' in entries
    registry.create_model_version("m", source)
    assert registry.get_model_version_download_uri("m", "2") == source
    # models:/<name>/<version> resolves to that version's location
    registry.create_registered_model("copy")
    copied = registry.copy_model_version(registry.get_model_version("m", "1"), "copy")
    assert copied.source == "models:/m/1"
    assert registry.get_model_version_download_uri("copy", copied.version) == (
        logged.artifact_location
    )
    assert registry.copy_model_version(version, "brand-new").version == "1"
    assert _code(registry.get_model_version_download_uri, "m", "9") == RESOURCE_DOES_NOT_EXIST
    other = "m-" + "0" * 32
    assert (
        _code(registry.create_model_version, "m", f"models:/{logged.model_id}", model_id=other)
        == INVALID_PARAMETER_VALUE
    )
    assert _code(registry.create_model_version, "m", f"models:/{other}") == RESOURCE_DOES_NOT_EXIST
