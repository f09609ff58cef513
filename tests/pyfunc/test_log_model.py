"""pyfunc.log_model in MLflow 3's logged-model flow on a SQLite store, and model URIs."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
import yaml

import mltrail
from mltrail import pyfunc
from mltrail.exceptions import MlflowException
from mltrail.models import Model, ModelInfo
from mltrail.models.uri import download_model


def test_log_model_in_a_run(
    tracking: str, tmp_path: Path, models: ModuleType, artifacts: dict[str, str]
) -> None:
    example = pd.DataFrame({"x": [1.0, 2.0]})
    with mltrail.start_run() as run:
        mltrail.log_param("lr", 0.1)
        info = pyfunc.log_model(
            name="affine",
            python_model=models.Affine(),
            artifacts=artifacts,
            input_example=example,
            metadata={"owner": "me"},
        )
    run_id = run.info.run_id
    assert isinstance(info, ModelInfo)
    assert re.fullmatch(r"models:/m-[0-9a-f]{32}", info.model_uri)
    assert info.model_id == info.model_uri.split("/")[-1] == info.model_uuid
    assert info.run_id == run_id and info.name == "affine"
    assert info.signature is not None and info.signature_dict["inputs"].startswith("[{")
    assert info.saved_input_example_info["type"] == "dataframe"
    assert info.mlflow_version == "3.17.2" and info.registered_model_version is None
    assert "python_function" in info.flavors

    client = mltrail.MlflowClient()
    logged = client.get_logged_model(info.model_id)
    assert logged.status == "LOGGED_MODEL_READY"
    assert logged.name == "affine" and logged.source_run_id == run_id
    assert logged.params == {"lr": "0.1"}
    assert info.artifact_path == logged.artifact_location
    assert logged.artifact_location.endswith(f"/models/{info.model_id}/artifacts")
    outputs = client.get_run(run_id).outputs
    assert [output.model_id for output in outputs.model_outputs] == [info.model_id]

    stored = Path(logged.artifact_location.removeprefix("file://"))
    content = yaml.safe_load((stored / "MLmodel").read_text())
    assert content["model_id"] == content["model_uuid"] == info.model_id
    assert content["run_id"] == run_id
    assert content["artifact_path"] == logged.artifact_location
    assert content["metadata"] == {"owner": "me"}
    assert (stored / "artifacts" / "folder" / "b.txt").is_file()

    expected = pd.DataFrame({"x": [3.0, 6.0]})
    for uri in (info.model_uri, f"runs:/{run_id}/affine"):
        loaded = pyfunc.load_model(uri)
        pd.testing.assert_frame_equal(loaded.predict(example), expected)
        assert loaded.metadata.model_id == info.model_id
    assert Model.load(info.model_uri).run_id == run_id
    assert Model.load(f"runs:/{run_id}/affine").model_id == info.model_id

    copied = Path(download_model(info.model_uri, dst_path=str(tmp_path / "copy")))
    assert copied == tmp_path / "copy"
    assert (copied / "python_model.pkl").is_file()


def test_log_model_outside_a_run_has_no_source_run(tracking: str, models: ModuleType) -> None:
    info = pyfunc.log_model(name="standalone", python_model=models.Echo())
    assert info.run_id is None
    assert mltrail.active_run() is None  # like MLflow 3, no run is started
    logged = mltrail.MlflowClient().get_logged_model(info.model_id)
    assert logged.source_run_id is None and logged.status == "LOGGED_MODEL_READY"
    assert pyfunc.load_model(info.model_uri).predict([1])["input"] == [1]


def test_artifact_path_is_the_deprecated_name(tracking: str, models: ModuleType) -> None:
    with mltrail.start_run():
        info = pyfunc.log_model("legacy", python_model=models.Echo())
    assert info.name == "legacy"
    with pytest.raises(MlflowException, match="Both `artifact_path`"):
        pyfunc.log_model("a", name="b", python_model=models.Echo())


def test_failed_save_marks_the_logged_model_failed(tracking: str) -> None:
    with mltrail.start_run() as run, pytest.raises(MlflowException):
        pyfunc.log_model(name="broken")  # neither python_model nor loader_module
    client = mltrail.MlflowClient()
    experiment_id = run.info.experiment_id
    models = list(client.search_logged_models([experiment_id]))
    assert [model.status for model in models] == ["LOGGED_MODEL_UPLOAD_FAILED"]


def test_runs_uri_falls_back_to_run_artifacts(
    tracking: str, tmp_path: Path, models: ModuleType
) -> None:
    pyfunc.save_model(tmp_path / "saved", python_model=models.NoContext())
    with mltrail.start_run() as run:
        mltrail.log_artifacts(str(tmp_path / "saved"), "old_style")
    loaded = pyfunc.load_model(f"runs:/{run.info.run_id}/old_style")
    assert loaded.predict([1, 2]) == [2]


def test_unknown_runs_models_and_paths_are_clear(tracking: str, models: ModuleType) -> None:
    with mltrail.start_run() as run:
        pyfunc.log_model(name="m", python_model=models.Echo())
    cases = {
        "runs:/0123456789abcdef/m": "RESOURCE_DOES_NOT_EXIST",
        f"runs:/{run.info.run_id}/nothing": "RESOURCE_DOES_NOT_EXIST",
        "models:/m-00000000000000000000000000000000": "RESOURCE_DOES_NOT_EXIST",
        "models:/registered/1": "RESOURCE_DOES_NOT_EXIST",
        "models:/registered@champion": "RESOURCE_DOES_NOT_EXIST",
        "models:/": "INVALID_PARAMETER_VALUE",
        "runs:/": "INVALID_PARAMETER_VALUE",
    }
    for uri, code in cases.items():
        with pytest.raises(MlflowException) as error:
            pyfunc.load_model(uri)
        assert error.value.error_code == code, uri
    with pytest.raises(MlflowException, match="Not a proper models:/ URI"):
        pyfunc.load_model("models:/")
    with pytest.raises(MlflowException, match="registered"):
        pyfunc.load_model("models:/registered/1")


def test_runs_uri_download_goes_into_a_directory_named_after_the_model(
    tracking: str, tmp_path: Path, models: ModuleType
) -> None:
    with mltrail.start_run() as run:
        info = pyfunc.log_model(name="named", python_model=models.Echo())
    local = Path(download_model(f"runs:/{run.info.run_id}/named", dst_path=str(tmp_path / "dl")))
    assert local == tmp_path / "dl" / "named"
    assert Model.load(local).model_id == info.model_id


def test_get_model_info(tracking: str, models: ModuleType) -> None:
    from mltrail.models import get_model_info

    with mltrail.start_run() as run:
        logged = pyfunc.log_model(name="m", python_model=models.Echo())
    info = get_model_info(f"runs:/{run.info.run_id}/m")
    assert info.model_id == logged.model_id and info.run_id == run.info.run_id
    assert info.model_uri == f"runs:/{run.info.run_id}/m"
    assert info.flavors == logged.flavors
