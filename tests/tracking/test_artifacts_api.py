"""Artifact logging through MlflowClient and the fluent API (local artifact root)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

import mltrail as mlflow
from mltrail import MlflowClient
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException


def _local(uri: str) -> Path:
    return Path(uri.removeprefix("file://"))


def test_log_artifact_file_and_directory(tmp_path: Path, artifact_root: Path) -> None:
    data = tmp_path / "data"
    (data / "sub").mkdir(parents=True)
    (data / "a.txt").write_text("A")
    (data / "sub" / "b.txt").write_text("B")
    features = tmp_path / "features.txt"
    features.write_text("rooms, zipcode")

    with mlflow.start_run() as run:
        mlflow.log_artifact(str(features), artifact_path="features")
        mlflow.log_artifact(features)  # pathlib works too
        mlflow.log_artifacts(str(data), artifact_path="data")
        mlflow.log_artifact(str(data))  # a directory is logged under its own name
        root = mlflow.get_artifact_uri()
        file_uri = mlflow.get_artifact_uri("features/features.txt")

    assert root == mlflow.get_run(run.info.run_id).info.artifact_uri
    assert file_uri == root + "/features/features.txt"
    assert _local(file_uri).read_text() == "rooms, zipcode"
    assert _local(root).is_relative_to(artifact_root)

    client = MlflowClient()
    listing = client.list_artifacts(run.info.run_id)
    assert [(f.path, f.is_dir) for f in listing] == [
        ("data", True),
        ("features", True),
        ("features.txt", False),
    ]
    assert [f.path for f in client.list_artifacts(run.info.run_id, "data")] == [
        "data/a.txt",
        "data/sub",
    ]
    assert listing[2].file_size == len("rooms, zipcode")

    downloaded = client.download_artifacts(run.info.run_id, "data", tmp_path / "dl")
    assert Path(downloaded) == tmp_path / "dl" / "data"
    assert (Path(downloaded) / "sub" / "b.txt").read_text() == "B"
    single = client.download_artifacts(run.info.run_id, "features.txt")
    assert Path(single).read_text() == "rooms, zipcode"


def test_log_text_and_dict(tmp_path: Path) -> None:
    with mlflow.start_run() as run:
        mlflow.log_text("hello", "notes/readme.txt")
        mlflow.log_dict({"a": 1, "b": [1, 2]}, "config.json")
        mlflow.log_dict({"a": 1}, "nested/config.yaml")
    client = MlflowClient()
    run_id = run.info.run_id
    text = client.download_artifacts(run_id, "notes/readme.txt", tmp_path)
    assert Path(text).read_text() == "hello"
    json_file = Path(client.download_artifacts(run_id, "config.json", tmp_path))
    as_json = json.loads(json_file.read_text())
    assert as_json == {"a": 1, "b": [1, 2]}
    as_yaml = Path(client.download_artifacts(run_id, "nested/config.yaml", tmp_path)).read_text()
    assert yaml.safe_load(as_yaml) == {"a": 1}


def test_client_text_with_explicit_run(tmp_path: Path) -> None:
    client = MlflowClient()
    run_id = client.create_run("0").info.run_id
    client.log_text(run_id, "x", "a.txt")
    client.log_dict(run_id, {"k": "v"}, "d.json")
    assert [f.path for f in client.list_artifacts(run_id)] == ["a.txt", "d.json"]
    assert mlflow.active_run() is None


def test_log_figure_and_image(tmp_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots()
    axis.plot([0, 1], [2, 3])
    image = (np.arange(12 * 10 * 3) % 255).astype(np.uint8).reshape(12, 10, 3)
    with mlflow.start_run() as run:
        mlflow.log_figure(figure, "plots/figure.png")
        mlflow.log_figure(figure, "plots/figure.svg", save_kwargs={"dpi": 50})
        mlflow.log_image(image, "images/raw.png")
        mlflow.log_image(image, key="sample", step=3)
    plt.close(figure)
    client = MlflowClient()
    run_id = run.info.run_id
    assert [f.path for f in client.list_artifacts(run_id, "plots")] == [
        "plots/figure.png",
        "plots/figure.svg",
    ]
    png = Path(client.download_artifacts(run_id, "plots/figure.png", tmp_path))
    assert png.read_bytes().startswith(b"\x89PNG")
    from PIL import Image

    raw = Path(client.download_artifacts(run_id, "images/raw.png", tmp_path))
    assert np.array_equal(np.asarray(Image.open(raw)), image)
    stepped = [f.path for f in client.list_artifacts(run_id, "images") if "%step%" in f.path]
    assert len(stepped) == 1 and stepped[0].startswith("images/sample%step%3%timestamp%")
    assert mlflow.get_run(run_id).data.tags["mlflow.loggedImages"] == "true"


def test_log_image_needs_file_or_key() -> None:
    with mlflow.start_run(), pytest.raises(MlflowException) as info:
        mlflow.log_image(np.zeros((2, 2), dtype=np.uint8))
    assert info.value.error_code == INVALID_PARAMETER_VALUE


@pytest.mark.parametrize("artifact_file", ["../escape.txt", "/abs.txt", "", "a/../../b.txt"])
def test_bad_artifact_file(artifact_file: str) -> None:
    with mlflow.start_run(), pytest.raises(MlflowException) as info:
        mlflow.log_text("x", artifact_file)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_missing_local_file(tmp_path: Path) -> None:
    with mlflow.start_run(), pytest.raises(MlflowException):
        mlflow.log_artifact(str(tmp_path / "nope.txt"))


def test_artifacts_of_unknown_run() -> None:
    with pytest.raises(MlflowException):
        MlflowClient().list_artifacts("0" * 32)
