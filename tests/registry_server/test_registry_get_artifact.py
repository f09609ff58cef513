"""``GET /model-versions/get-artifact`` (the UI's file view of a model version): serves files
of the version's artifacts, and nothing outside them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.rest_api import Api

ROUTE = "/model-versions/get-artifact"


@pytest.fixture
def registered(api: Api, tmp_path: Path) -> dict[str, str]:
    """Version 1 from ``runs:/R/model``, version 2 from the run's proxied URI; files on disk."""
    api.post("registered-models/create", {"name": "M"})
    run_id = api.new_run("0")
    root = api.get("runs/get", {"run_id": run_id})["run"]["info"]["artifact_uri"]
    model_dir = tmp_path / "mlartifacts" / root.split(":/", 1)[1] / "model"
    model_dir.mkdir(parents=True)
    (model_dir / "MLmodel").write_text("flavors: {}\n")
    (model_dir / "page.html").write_text("<script>alert(1)</script>")
    (tmp_path / "mlartifacts" / "secret.txt").write_text("top secret")
    for source in (f"runs:/{run_id}/model", f"{root}/model"):
        api.post("model-versions/create", {"name": "M", "source": source, "run_id": run_id})
    return {"run_id": run_id, "root": root}


@pytest.mark.parametrize("version", ["1", "2"])
def test_serves_version_files(client: Any, registered: dict[str, str], version: str):
    response = client.get(ROUTE, params={"name": "M", "version": version, "path": "MLmodel"})
    assert response.status_code == 200, response.text
    assert response.text == "flavors: {}\n"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-content-type-options"] == "nosniff"
    html = client.get(ROUTE, params={"name": "M", "version": version, "path": "page.html"})
    assert html.headers["content-type"] == "application/octet-stream"
    assert html.headers["content-disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        (
            {"name": "M", "version": "1", "path": "../../../secret.txt"},
            400,
            "INVALID_PARAMETER_VALUE",
        ),
        ({"name": "M", "version": "1", "path": "%2e%2e/%2e%2e/x"}, 400, "INVALID_PARAMETER_VALUE"),
        ({"name": "M", "version": "1", "path": "/etc/passwd"}, 400, "INVALID_PARAMETER_VALUE"),
        ({"name": "M", "version": "1", "path": "missing.txt"}, 404, "RESOURCE_DOES_NOT_EXIST"),
        ({"name": "M", "version": "9", "path": "MLmodel"}, 404, "RESOURCE_DOES_NOT_EXIST"),
        ({"name": "M", "version": "x", "path": "MLmodel"}, 400, "INVALID_PARAMETER_VALUE"),
        ({"name": "M", "version": "1"}, 400, "INVALID_PARAMETER_VALUE"),
        ({"name": "ghost", "version": "1", "path": "MLmodel"}, 404, "RESOURCE_DOES_NOT_EXIST"),
    ],
)
def test_refuses_bad_requests(
    client: Any, registered: dict[str, str], params: dict[str, str], status: int, code: str
):
    response = client.get(ROUTE, params=params)
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code
    assert "top secret" not in response.text
