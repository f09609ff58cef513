"""create_model_version source validation: no traversal, no local files outside artifact roots."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.model_registry.sql import SqlModelRegistryStore
from mltrail.store.tracking.sql import SqlTrackingStore


@pytest.fixture
def run_id(registry: SqlModelRegistryStore, tracking: SqlTrackingStore) -> str:
    registry.create_registered_model("m")
    return tracking.create_run("0", "u", 0, [], "r").info.run_id


def _code(registry: SqlModelRegistryStore, source: str, **kwargs) -> str:
    with pytest.raises(MlflowException) as info:
        registry.create_model_version("m", source, **kwargs)
    return info.value.error_code


@pytest.mark.parametrize(
    "source",
    [
        "/etc/passwd",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
        "s3://bucket/../secret",
        "s3://bucket/%2e%2e/secret",
        "mlflow-artifacts:/1/../../etc",
        "runs:/abc/../x",
        "s3://bucket/a\x00b",
        "",
    ],
)
def test_dangerous_sources_are_refused(registry: SqlModelRegistryStore, run_id: str, source):
    assert _code(registry, source) == INVALID_PARAMETER_VALUE


def test_local_sources_must_be_inside_artifact_roots(
    registry: SqlModelRegistryStore, tracking: SqlTrackingStore, artifact_root: Path, run_id: str
):
    inside = artifact_root / "0" / "some" / "model"
    assert registry.create_model_version("m", str(inside)).version == "1"
    assert registry.create_model_version("m", inside.as_uri()).version == "2"
    run_dir = tracking.get_run(run_id).info.artifact_uri + "/model"
    assert registry.create_model_version("m", run_dir, run_id=run_id).version == "3"
    outside = artifact_root.parent / "elsewhere"
    assert _code(registry, str(outside)) == INVALID_PARAMETER_VALUE
    assert _code(registry, str(artifact_root) + "-sibling/x") == INVALID_PARAMETER_VALUE


def test_symlink_out_of_the_artifact_root_is_refused(
    registry: SqlModelRegistryStore, artifact_root: Path, tmp_path: Path, run_id: str
):
    (artifact_root / "0").mkdir(parents=True, exist_ok=True)
    secret = tmp_path / "secret"
    secret.mkdir()
    os.symlink(secret, artifact_root / "0" / "link")
    assert _code(registry, str(artifact_root / "0" / "link")) == INVALID_PARAMETER_VALUE


def test_remote_and_run_sources(registry: SqlModelRegistryStore, run_id: str):
    for source in ("s3://bucket/model", "mlflow-artifacts:/0/abc/artifacts/model", "gs://b/m"):
        assert registry.create_model_version("m", source).source == source
    version = registry.create_model_version("m", f"runs:/{run_id}/model")
    assert version.run_id == run_id
    assert _code(registry, f"runs:/{run_id}/model", run_id="f" * 32) == INVALID_PARAMETER_VALUE
    assert _code(registry, "runs:/" + "e" * 32 + "/model") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry, "models:/m/99") == RESOURCE_DOES_NOT_EXIST
    assert _code(registry, "models:/justaname") == INVALID_PARAMETER_VALUE


def test_deleting_a_model_never_touches_artifacts(
    registry: SqlModelRegistryStore, artifact_root: Path, run_id: str
):
    files = artifact_root / "0" / "keep"
    files.mkdir(parents=True)
    (files / "model.pkl").write_text("weights")
    registry.create_model_version("m", str(files))
    registry.delete_model_version("m", "1")
    registry.delete_registered_model("m")
    assert (files / "model.pkl").read_text() == "weights"
