"""Real clients through real servers: MLflow 3.17.2's client (in its own virtualenv) and
mltrail's own client against ``mltrail server``'s proxy (local and S3 destinations), and
mltrail's client against the real ``mlflow server``. Bytes are compared at every hop: the
local source, the object stored behind the proxy, and what each client downloads."""

from __future__ import annotations

import hashlib
import json
import os
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import mltrail
from helpers.fixtures import mltrail_server  # noqa: F401 (a fixture)
from helpers.servers import (
    ServerHandle,
    run_with_real_mlflow,
    start_mlflow_server,
    start_mltrail_server,
)
from mltrail.store.artifacts import get_artifact_repository

TEXT = "héllo through the proxy\n"

#: Runs under the real MLflow: logs every kind of artifact, lists and downloads a run of its
#: own and one logged by mltrail, and prints what it saw as JSON.
MLFLOW_SCRIPT = r"""
import hashlib, json, os, pathlib
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import mlflow
from mlflow import MlflowClient

src = pathlib.Path(os.environ["SRC"])
out = pathlib.Path(os.environ["OUT"])
exp_id = mlflow.set_experiment(os.environ["EXPERIMENT"]).experiment_id
with mlflow.start_run() as run:
    mlflow.log_artifact(str(src / "single.bin"), artifact_path="bin")
    mlflow.log_artifacts(str(src / "tree"), artifact_path="tree")
    mlflow.log_text(os.environ["TEXT"], "notes/hello.txt")
    mlflow.log_dict({"a": 1, "b": [1, 2]}, "cfg/params.json")
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [3, 1, 2])
    mlflow.log_figure(fig, "plots/line.png")

client = MlflowClient()

def walk(run_id, path=None):
    found = {}
    for info in client.list_artifacts(run_id, path):
        if info.is_dir:
            found.update(walk(run_id, info.path))
        else:
            found[info.path] = info.file_size
    return found

def digests(root):
    root = pathlib.Path(root)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*") if p.is_file()
    }

own = mlflow.artifacts.download_artifacts(run_id=run.info.run_id, dst_path=str(out / "own"))
single = mlflow.artifacts.download_artifacts(
    run_id=run.info.run_id, artifact_path="bin/single.bin", dst_path=str(out / "single")
)
other_id = os.environ["OTHER_RUN_ID"]
other = mlflow.artifacts.download_artifacts(run_id=other_id, dst_path=str(out / "other"))
print(json.dumps({
    "experiment_id": exp_id,
    "artifact_location": mlflow.get_experiment(exp_id).artifact_location,
    "run_id": run.info.run_id,
    "artifact_uri": run.info.artifact_uri,
    "listing": walk(run.info.run_id),
    "own": digests(own),
    "single": hashlib.sha256(pathlib.Path(single).read_bytes()).hexdigest(),
    "other_listing": walk(other_id),
    "other": digests(other),
}))
"""


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): _sha256(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.endswith(".part")
    }


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """Local files to log: a binary file and a small tree with odd names."""
    src = tmp_path / "src"
    (src / "tree" / "sub").mkdir(parents=True)
    (src / "single.bin").write_bytes(os.urandom(1_500_000))
    (src / "tree" / "a.txt").write_text("a\n")
    (src / "tree" / "sub" / "b.json").write_text('{"b": 2}')
    (src / "tree" / "sub" / "space name.csv").write_text("x,y\n1,2\n")
    return src


def _expected_from_sources(src: Path) -> dict[str, str]:
    expected = {"bin/single.bin": _sha256(src / "single.bin")}
    expected.update({f"tree/{k}": v for k, v in _digests(src / "tree").items()})
    expected["notes/hello.txt"] = hashlib.sha256(TEXT.encode()).hexdigest()
    return expected


def _log_with_mltrail(src: Path, experiment: str) -> tuple[str, str]:
    """Log the same artifacts with mltrail's own client; returns (run_id, artifact_uri)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    mltrail.set_experiment(experiment)
    with mltrail.start_run() as run:
        mltrail.log_artifact(str(src / "single.bin"), artifact_path="bin")
        mltrail.log_artifacts(str(src / "tree"), artifact_path="tree")
        mltrail.log_text(TEXT, "notes/hello.txt")
        mltrail.log_dict({"a": 1, "b": [1, 2]}, "cfg/params.json")
        figure, axes = plt.subplots()
        axes.plot([1, 2, 3], [3, 1, 2])
        mltrail.log_figure(figure, "plots/line.png")
        plt.close(figure)
    os.environ.pop("MLFLOW_EXPERIMENT_ID", None)  # set_experiment exports it to child processes
    return run.info.run_id, run.info.artifact_uri


def _walk(client: Any, run_id: str, path: str | None = None) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for info in client.list_artifacts(run_id, path):
        if info.is_dir:
            found.update(_walk(client, run_id, info.path))
        else:
            found[info.path] = info.file_size
    return found


def _stored(destination: Path, artifact_uri: str) -> dict[str, str]:
    """Digests of a run's files as stored behind a proxy with a local destination."""
    assert artifact_uri.startswith("mlflow-artifacts:/")
    return _digests(destination / artifact_uri.removeprefix("mlflow-artifacts:/"))


def _stored_s3(bucket: str, prefix: str, artifact_uri: str) -> dict[str, str]:
    repo = get_artifact_repository(
        f"s3://{bucket}/{prefix}/{artifact_uri.removeprefix('mlflow-artifacts:/')}"
    )
    digests: dict[str, str] = {}

    def walk(path: str | None) -> None:
        for info in repo.list_artifacts(path):
            if info.is_dir:
                walk(info.path)
            else:
                with repo.open_read(info.path) as stream:
                    digests[info.path] = hashlib.sha256(stream.read()).hexdigest()

    walk(None)
    return digests


@pytest.fixture
def s3_destination(s3_bucket: str, s3_env: str) -> tuple[str, dict[str, str]]:
    """(``s3://`` destination, server env) for a mltrail server storing in the emulator."""
    env = {
        "MLFLOW_S3_ENDPOINT_URL": s3_env,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    return f"s3://{s3_bucket}/proxy", env


@pytest.fixture(params=["local", "s3"])
def mltrail_proxy(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[ServerHandle, Any]]:
    """A ``mltrail server`` subprocess and a function reading a run's stored digests."""
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    if request.param == "local":
        with start_mltrail_server(server_dir) as server:
            yield server, lambda uri: _stored(server_dir / "mlartifacts", uri)
        return
    destination, env = request.getfixturevalue("s3_destination")
    bucket = destination.removeprefix("s3://").split("/")[0]
    with start_mltrail_server(server_dir, "--artifacts-destination", destination, env=env) as srv:
        yield srv, lambda uri: _stored_s3(bucket, "proxy", uri)


def test_real_mlflow_and_mltrail_clients_through_mltrail_proxy(
    mltrail_proxy: tuple[ServerHandle, Any], sources: Path, tmp_path: Path
) -> None:
    server, stored = mltrail_proxy
    mltrail.set_tracking_uri(server.url)
    mltrail_run_id, mltrail_uri = _log_with_mltrail(sources, "proxy-by-mltrail")
    result = run_with_real_mlflow(
        MLFLOW_SCRIPT,
        env={
            "MLFLOW_TRACKING_URI": server.url,
            "SRC": str(sources),
            "OUT": str(tmp_path / "mlflow-out"),
            "EXPERIMENT": "proxy-by-mlflow",
            "TEXT": TEXT,
            "OTHER_RUN_ID": mltrail_run_id,
        },
    )
    exp_id = result["experiment_id"]
    assert result["artifact_location"] == f"mlflow-artifacts:/{exp_id}"
    assert result["artifact_uri"] == f"mlflow-artifacts:/{exp_id}/{result['run_id']}/artifacts"

    # what MLflow logged is stored byte for byte, listed with sizes, and downloads the same
    stored_by_mlflow = stored(result["artifact_uri"])
    for path, digest in _expected_from_sources(sources).items():
        assert stored_by_mlflow[path] == digest, path
    assert set(stored_by_mlflow) == {
        *_expected_from_sources(sources),
        "cfg/params.json",
        "plots/line.png",
    }
    assert result["own"] == stored_by_mlflow
    assert result["single"] == _sha256(sources / "single.bin")
    assert result["listing"]["bin/single.bin"] == 1_500_000
    assert set(result["listing"]) == set(stored_by_mlflow)

    # what mltrail logged, MLflow lists and downloads identically
    stored_by_mltrail = stored(mltrail_uri)
    assert result["other"] == stored_by_mltrail
    assert set(result["other_listing"]) == set(stored_by_mltrail)
    assert json.loads((tmp_path / "mlflow-out" / "other" / "cfg" / "params.json").read_text()) == {
        "a": 1,
        "b": [1, 2],
    }

    # and mltrail downloads MLflow's run identically
    client = mltrail.MlflowClient()
    assert _walk(client, result["run_id"]) == result["listing"]
    local = Path(client.download_artifacts(result["run_id"], "", tmp_path / "mltrail-out"))
    assert _digests(local) == stored_by_mlflow
    png = (local / "plots" / "line.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_mltrail_client_through_real_mlflow_proxy(sources: Path, tmp_path: Path) -> None:
    server_dir = tmp_path / "mlflow-server"
    server_dir.mkdir()
    with start_mlflow_server(server_dir) as server:
        mltrail.set_tracking_uri(server.url)
        run_id, artifact_uri = _log_with_mltrail(sources, "by-mltrail-on-mlflow")
        assert artifact_uri.startswith("mlflow-artifacts:/")
        stored = _stored(server_dir / "mlflow-ref-artifacts", artifact_uri)
        for path, digest in _expected_from_sources(sources).items():
            assert stored[path] == digest, path
        client = mltrail.MlflowClient()
        listing = _walk(client, run_id)
        assert set(listing) == set(stored)
        assert listing["bin/single.bin"] == 1_500_000
        local = Path(client.download_artifacts(run_id, "", tmp_path / "out"))
        assert _digests(local) == stored
        one = Path(client.download_artifacts(run_id, "tree/sub/space name.csv", tmp_path / "one"))
        assert one.read_text() == "x,y\n1,2\n"


MULTIPART_SCRIPT = r"""
import hashlib, json, os, pathlib
import mlflow

src = pathlib.Path(os.environ["SRC"])
with mlflow.start_run() as run:
    mlflow.log_artifact(str(src / "single.bin"), artifact_path="big")
local = mlflow.artifacts.download_artifacts(
    run_id=run.info.run_id, artifact_path="big/single.bin", dst_path=os.environ["OUT"]
)
print(json.dumps({"sha256": hashlib.sha256(pathlib.Path(local).read_bytes()).hexdigest()}))
"""


def test_real_mlflow_multipart_upload_falls_back_to_plain_put(
    mltrail_server: ServerHandle,  # noqa: F811 (the fixture)
    sources: Path,
    tmp_path: Path,
) -> None:
    """Forced multipart (env) gets the 501 the client knows, and it uploads with one PUT."""
    result = run_with_real_mlflow(
        MULTIPART_SCRIPT,
        env={
            "MLFLOW_TRACKING_URI": mltrail_server.url,
            "MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD": "true",
            "MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE": "1000",
            "MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE": "500000",
            "SRC": str(sources),
            "OUT": str(tmp_path / "out"),
        },
    )
    assert result["sha256"] == _sha256(sources / "single.bin")
    # the server's request metrics show the refused multipart call and the plain PUT after it
    with urllib.request.urlopen(f"{mltrail_server.url}/metrics") as response:
        lines = response.read().decode().splitlines()
    counted = [line for line in lines if line.startswith("mltrail_http_requests_total")]
    assert any("/mpu/" in line and 'method="POST"' in line and "501" in line for line in counted)
    assert any('method="PUT"' in line and 'status="200"' in line for line in counted)
