"""The registry seed flow of the tutorials, with ``import mltrail as mlflow``: log with
``registered_model_name``, register again from ``runs:/``, promote, alias, and load and serve
each ``models:/`` form."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

import mltrail as mlflow
from helpers.servers import free_port, spawn_server, start_mltrail_server, wait_healthy
from helpers.tracking_state import isolated_tracking_state
from mltrail import MlflowClient
from mltrail.models import infer_signature


@pytest.fixture(params=["embedded", "server"])
def tracking_uri(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The embedded SQLite store, or a real ``mltrail server`` reached through the REST stores
    and the artifact proxy."""
    monkeypatch.chdir(tmp_path)
    if request.param == "embedded":
        uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
        with isolated_tracking_state(uri, tmp_path / "mlruns"):
            yield uri
        return
    server_dir = tmp_path / "server"
    server_dir.mkdir()
    with (
        start_mltrail_server(server_dir) as server,
        isolated_tracking_state(server.url, tmp_path / "unused"),
    ):
        yield server.url


def test_register_promote_alias_load_and_serve(tracking_uri: str, tmp_path: Path) -> None:
    X, y = load_iris(return_X_y=True, as_frame=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    lr = LogisticRegression(max_iter=1000).fit(X_train, y_train)
    expected = lr.predict(X_test).tolist()

    mlflow.set_experiment("MLflow Quickstart")
    with mlflow.start_run() as run:
        mlflow.log_metric("accuracy", 0.97)
        info = mlflow.sklearn.log_model(
            sk_model=lr,
            name="iris_model",
            signature=infer_signature(X_train, lr.predict(X_train)),
            input_example=X_train,
            registered_model_name="tracking-quickstart",
        )
    assert info.registered_model_version == 1
    version = mlflow.register_model(f"runs:/{run.info.run_id}/iris_model", "tracking-quickstart")
    assert version.version == "2"
    assert version.run_id == run.info.run_id

    client = MlflowClient()
    client.transition_model_version_stage("tracking-quickstart", "2", "Production")
    client.set_registered_model_alias("tracking-quickstart", "champion", "1")
    for uri in (
        "models:/tracking-quickstart/1",
        "models:/tracking-quickstart/Production",
        "models:/tracking-quickstart/latest",
        "models:/tracking-quickstart@champion",
    ):
        assert mlflow.pyfunc.load_model(uri).predict(X_test).tolist() == expected, uri
    as_sklearn = mlflow.sklearn.load_model("models:/tracking-quickstart/2")
    assert as_sklearn.predict(X_test).tolist() == expected

    for uri, code in (
        ("models:/tracking-quickstart/99", "RESOURCE_DOES_NOT_EXIST"),
        ("models:/no-such-model/1", "RESOURCE_DOES_NOT_EXIST"),
        ("models:/tracking-quickstart/Bogus", "INVALID_PARAMETER_VALUE"),
        ("models:/tracking-quickstart/Staging", "RESOURCE_DOES_NOT_EXIST"),
    ):
        with pytest.raises(mlflow.MlflowException) as failure:
            mlflow.pyfunc.load_model(uri)
        assert failure.value.error_code == code, (uri, failure.value.message)

    env = {"MLFLOW_TRACKING_URI": tracking_uri}
    rows = json.loads(X_test.head(5).to_json(orient="split", index=False))
    (tmp_path / "input.json").write_text(json.dumps({"dataframe_split": rows}))
    predicted = subprocess.run(
        [sys.executable, "-m", "mltrail.cli.main", "models", "predict", "-m",
         "models:/tracking-quickstart/Production", "-i", str(tmp_path / "input.json"),
         "-t", "json"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, **env}, check=False,
    )  # fmt: skip
    assert predicted.returncode == 0, predicted.stderr
    assert json.loads(predicted.stdout) == {"predictions": expected[:5]}

    port = free_port()
    champion = "models:/tracking-quickstart@champion"
    command = [sys.executable, "-m", "mltrail.cli.main", "models", "serve", "-m", champion,
               "-p", str(port), "-h", "127.0.0.1"]  # fmt: skip
    server = spawn_server(command, port, tmp_path / "serve.log", env, tmp_path)
    try:
        wait_healthy(server)
        answer = requests.post(
            f"{server.url}/invocations", json={"dataframe_split": rows}, timeout=30
        )
        assert answer.status_code == 200, answer.text
        assert answer.json() == {"predictions": expected[:5]}
    finally:
        server.stop()
