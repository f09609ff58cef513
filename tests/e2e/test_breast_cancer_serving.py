"""The breast-cancer tutorial: a manual signature of ColSpecs, save_model with a conda_env,
loading as pyfunc and as sklearn, then serving it and querying every input format."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
import requests
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

import mltrail as mlflow
from helpers.servers import free_port, spawn_server, wait_healthy
from mltrail.models import ModelSignature
from mltrail.types import ColSpec, Schema


def test_breast_cancer_model_is_saved_loaded_and_served(tmp_path: Path) -> None:
    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, _ = train_test_split(
        data.data, data.target, test_size=0.2, random_state=0
    )
    model = RandomForestClassifier(n_estimators=20, random_state=0).fit(X_train, y_train)
    signature = ModelSignature(
        inputs=Schema([ColSpec("double", name) for name in X_train.columns]),
        outputs=Schema([ColSpec("long")]),
    )
    conda_env = {
        "name": "breast-cancer",
        "channels": ["conda-forge"],
        "dependencies": ["python=3.11", "pip", {"pip": ["scikit-learn", "pandas"]}],
    }
    path = tmp_path / "breast_cancer_model"
    mlflow.sklearn.save_model(
        model,
        str(path),
        conda_env=conda_env,
        signature=signature,
        serialization_format="cloudpickle",
    )
    expected = model.predict(X_test).tolist()

    as_pyfunc = mlflow.pyfunc.load_model(str(path))
    assert as_pyfunc.predict(X_test).tolist() == expected
    as_sklearn = mlflow.sklearn.load_model(str(path))
    assert as_sklearn.predict(X_test).tolist() == expected
    assert "scikit-learn" in (path / "conda.yaml").read_text()

    port = free_port()
    command = [sys.executable, "-m", "mltrail.cli.main", "models", "serve", "-m", str(path),
               "-p", str(port), "-h", "127.0.0.1", "--env-manager", "local"]  # fmt: skip
    server = spawn_server(command, port, tmp_path / "serve.log", None, tmp_path)
    try:
        wait_healthy(server)
        rows = X_test.head(10)
        url = f"{server.url}/invocations"
        split = json.loads(rows.to_json(orient="split", index=False))
        answers = [
            requests.post(url, json={"dataframe_split": split}, timeout=30),
            requests.post(
                url, json={"dataframe_records": rows.to_dict(orient="records")}, timeout=30
            ),
            requests.post(
                url,
                data=rows.to_csv(index=False),
                headers={"Content-Type": "text/csv"},
                timeout=30,
            ),
        ]
        for answer in answers:
            assert answer.status_code == 200, answer.text
            assert answer.json() == {"predictions": expected[:10]}

        missing = rows.drop(columns=["mean radius"])
        bad = requests.post(
            url,
            json={"dataframe_split": json.loads(missing.to_json(orient="split", index=False))},
            timeout=30,
        )
        assert bad.status_code == 400
        assert "mean radius" in bad.json()["message"]
    finally:
        server.stop()
    assert pd.read_csv(io.StringIO(rows.to_csv(index=False))).shape == (10, 30)
