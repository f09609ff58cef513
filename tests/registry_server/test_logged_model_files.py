"""Files of MLflow 3 logged models for the UI: ``GET .../logged-models/<id>/artifacts/files``
and ``runs:/<run>/<name>`` versions whose model lives outside the run's artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.rest_api import Api

FILES = "/ajax-api/2.0/mlflow/logged-models/{}/artifacts/files"


@pytest.fixture
def logged(api: Api, tmp_path: Path) -> dict[str, str]:
    """A run with a logged model named "model" whose files sit in the proxied store."""
    run_id = api.new_run("0")
    created = api.post(
        "logged-models", {"experiment_id": "0", "name": "model", "source_run_id": run_id}
    )
    model = created["model"]["info"]
    api.post("runs/outputs", {"run_id": run_id, "models": [{"model_id": model["model_id"]}]})
    location = model["artifact_uri"]
    assert location.startswith("mlflow-artifacts:/")
    files = tmp_path / "mlartifacts" / location.split(":/", 1)[1]
    files.mkdir(parents=True)
    (files / "MLmodel").write_text("flavors:\n  sklearn: {}\n")
    (files / "index.html").write_text("<script>alert(1)</script>")
    (tmp_path / "mlartifacts" / "secret.txt").write_text("top secret")
    return {"run_id": run_id, "model_id": model["model_id"]}


@pytest.mark.parametrize("prefix", ["/ajax-api/2.0", "/api/2.0"])
def test_serves_a_logged_model_file(client: Any, logged: dict[str, str], prefix: str):
    url = f"{prefix}/mlflow/logged-models/{logged['model_id']}/artifacts/files"
    response = client.get(url, params={"artifact_file_path": "MLmodel"})
    assert response.status_code == 200, response.text
    assert response.text == "flavors:\n  sklearn: {}\n"
    assert response.headers["x-content-type-options"] == "nosniff"
    page = client.get(url, params={"artifact_file_path": "index.html"})
    assert page.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("model_id", "path", "status", "code"),
    [
        (None, "../../../../secret.txt", 400, "INVALID_PARAMETER_VALUE"),
        (None, "%2e%2e/%2e%2e/secret.txt", 400, "INVALID_PARAMETER_VALUE"),
        (None, "/etc/passwd", 400, "INVALID_PARAMETER_VALUE"),
        (None, "", 400, "INVALID_PARAMETER_VALUE"),
        (None, "missing.txt", 404, "RESOURCE_DOES_NOT_EXIST"),
        ("m-" + "0" * 32, "MLmodel", 404, "RESOURCE_DOES_NOT_EXIST"),
        ("not-a-model", "MLmodel", 400, "INVALID_PARAMETER_VALUE"),
    ],
)
def test_refuses_bad_requests(
    client: Any, logged: dict[str, str], model_id: str | None, path: str, status: int, code: str
):
    url = FILES.format(model_id or logged["model_id"])
    response = client.get(url, params={"artifact_file_path": path} if path else {})
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code


def test_runs_source_falls_back_to_the_runs_logged_model(
    api: Api, client: Any, logged: dict[str, str]
):
    api.post("registered-models/create", {"name": "M"})
    source = f"runs:/{logged['run_id']}/model"
    api.post("model-versions/create", {"name": "M", "source": source, "run_id": logged["run_id"]})
    params = {"name": "M", "version": "1", "path": "MLmodel"}
    response = client.get("/model-versions/get-artifact", params=params)
    assert response.status_code == 200, response.text
    assert "sklearn" in response.text
