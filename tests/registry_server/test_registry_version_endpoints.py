"""Model version endpoints over HTTP (rest-registry.md §2, §3.2, §4): create (and where a
``source`` may point), get, update, delete, stages, download URI, tags and search."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from helpers.rest_api import Api

MV = "model-versions"


@pytest.fixture
def run_id(api: Api) -> str:
    api.post("registered-models/create", {"name": "M"})
    return api.new_run(api.new_experiment("versions"))


def _create(api: Api, run_id: str, name: str = "M", **fields: Any) -> dict[str, Any]:
    body = {"name": name, "source": f"runs:/{run_id}/model", "run_id": run_id, **fields}
    return api.post(f"{MV}/create", body)["model_version"]


def test_create_shape_and_numbering(api: Api, run_id: str):
    first = _create(api, run_id)
    assert first["version"] == "1"
    assert first["name"] == "M"
    assert first["current_stage"] == "None"
    assert first["status"] == "READY"
    assert first["description"] == ""
    assert first["run_link"] == ""
    assert first["run_id"] == run_id
    assert first["source"] == f"runs:/{run_id}/model"
    assert isinstance(first["creation_timestamp"], int)
    for omitted in ("tags", "aliases", "status_message", "user_id"):
        assert omitted not in first
    second = _create(
        api, run_id, description="d", run_link="http://x", tags=[{"key": "k", "value": "v"}]
    )
    assert second["version"] == "2"
    assert (second["description"], second["run_link"]) == ("d", "http://x")
    assert second["tags"] == [{"key": "k", "value": "v"}]
    model = api.get("registered-models/get", {"name": "M"})["registered_model"]
    assert model["last_updated_timestamp"] >= second["creation_timestamp"]
    assert [v["version"] for v in model["latest_versions"]] == ["2"]
    api.error("POST", f"{MV}/create", {"name": "ghost", "source": "s3://b/m"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    api.error("POST", f"{MV}/create", {"name": "M"}, 400, "INVALID_PARAMETER_VALUE")


def test_logged_model_source(api: Api, run_id: str):
    experiment_id = api.get("runs/get", {"run_id": run_id})["run"]["info"]["experiment_id"]
    logged = api.post(
        "logged-models",
        {"experiment_id": experiment_id, "name": "model", "source_run_id": run_id},
    )["model"]["info"]
    model_id = logged["model_id"]
    created = api.post(
        f"{MV}/create", {"name": "M", "source": f"models:/{model_id}", "model_id": model_id}
    )["model_version"]
    assert created["run_id"] == run_id  # derived from the logged model
    uri = api.get(f"{MV}/get-download-uri", {"name": "M", "version": created["version"]})
    assert uri == {"artifact_uri": logged["artifact_uri"]}
    # model_id is required and must match the source
    api.error("POST", f"{MV}/create", {"name": "M", "source": f"models:/{model_id}"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    other = "m-" + "0" * 32
    api.error("POST", f"{MV}/create",
              {"name": "M", "source": f"models:/{model_id}", "model_id": other}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", f"{MV}/create", {"name": "M", "source": f"models:/{other}",
              "model_id": other}, 404, "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    # models:/<name>/<version> points at an existing version and shares its files
    copied = api.post(f"{MV}/create", {"name": "M", "source": "models:/M/1"})["model_version"]
    uri = api.get(f"{MV}/get-download-uri", {"name": "M", "version": copied["version"]})
    assert uri == {"artifact_uri": logged["artifact_uri"]}


def test_proxied_and_local_sources(api: Api, run_id: str, tmp_path: Path):
    info = api.get("runs/get", {"run_id": run_id})["run"]["info"]
    root = info["artifact_uri"]
    assert root.startswith("mlflow-artifacts:/")
    inside = _create(api, run_id, source=f"{root}/model")
    assert inside["source"] == f"{root}/model"
    uri = api.get(f"{MV}/get-download-uri", {"name": "M", "version": inside["version"]})
    assert uri == {"artifact_uri": f"{root}/model"}
    http_form = "http://localhost/api/2.0/mlflow-artifacts/artifacts/" + root.split(":/", 1)[1]
    assert _create(api, run_id, source=f"{http_form}/model")["source"] == f"{http_form}/model"
    assert _create(api, run_id, source="s3://bucket/models/m")["source"] == "s3://bucket/models/m"


def test_local_sources_inside_the_run_directory(make_registry_client: Any, tmp_path: Path):
    api = Api(
        make_registry_client(serve_artifacts=False, default_artifact_root=str(tmp_path / "mlruns"))
    )
    api.post("registered-models/create", {"name": "M"})
    run_id = api.new_run(api.new_experiment("local"))
    other = api.new_run(api.new_experiment("local-other"))
    root = api.get("runs/get", {"run_id": run_id})["run"]["info"]["artifact_uri"]
    model_dir = Path(root.removeprefix("file://")) / "model"
    model_dir.mkdir(parents=True)
    for source in (str(model_dir), model_dir.as_uri()):
        assert _create(api, run_id, source=source)["source"] == source
    # the directory of another run, or a path next to the roots, is refused
    for source, owner in ((str(model_dir), other), (str(tmp_path / "mlflow.db"), run_id)):
        response = api.client.post(
            f"/api/2.0/mlflow/{MV}/create", json={"name": "M", "source": source, "run_id": owner}
        )
        assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize(
    "source",
    [
        "runs:/{other}/model",
        "{root_of_other}/model",
        "{root}/../../other/model",
        "{root}/%2e%2e/%2e%2e/x",
        "/etc",
        "file:///etc/passwd",
        "{tmp}/mlflow.db",
        "s3://bucket/a/../b",
        "s3://bucket/a\x00b",
    ],
)
def test_bad_sources_are_refused(api: Api, run_id: str, tmp_path: Path, source: str):
    other = api.new_run(api.new_experiment("other"))
    root = api.get("runs/get", {"run_id": run_id})["run"]["info"]["artifact_uri"]
    root_of_other = api.get("runs/get", {"run_id": other})["run"]["info"]["artifact_uri"]
    text = source.format(other=other, root=root, root_of_other=root_of_other, tmp=tmp_path)
    response = api.client.post(
        f"/api/2.0/mlflow/{MV}/create", json={"name": "M", "source": text, "run_id": run_id}
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["error_code"] in ("INVALID_PARAMETER_VALUE", "PERMISSION_DENIED")
    assert api.get(f"{MV}/search", {"filter": "name = 'M'"}) == {}


def test_sources_need_their_owner(api: Api, run_id: str):
    root = api.get("runs/get", {"run_id": run_id})["run"]["info"]["artifact_uri"]
    for source in (f"runs:/{run_id}/model", f"{root}/model"):
        message = api.error("POST", f"{MV}/create", {"name": "M", "source": source}, 400,
                            "INVALID_PARAMETER_VALUE")  # fmt: skip
        assert "run_id" in message


def test_get_update_delete(api: Api, run_id: str):
    version = _create(api, run_id)["version"]
    got = api.get(f"{MV}/get", {"name": "M", "version": version})["model_version"]
    assert got["version"] == "1"
    updated = api.request(
        "PATCH", f"{MV}/update", {"name": "M", "version": "1", "description": "x"}
    )
    assert updated["model_version"]["description"] == "x"
    untouched = api.request("PATCH", f"{MV}/update", {"name": "M", "version": "1"})
    assert untouched["model_version"]["description"] == "x"
    message = api.error("GET", f"{MV}/get", {"name": "M", "version": "abc"}, 400,
                        "INVALID_PARAMETER_VALUE")  # fmt: skip
    assert "Parameter 'version' must be an integer, got 'abc'." in message
    api.error("GET", f"{MV}/get", {"name": "M", "version": "7"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("GET", f"{MV}/get", {"name": "M"}, 400, "INVALID_PARAMETER_VALUE")
    assert api.request("DELETE", f"{MV}/delete", {"name": "M", "version": "1"}) == {}
    api.error("GET", f"{MV}/get", {"name": "M", "version": "1"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("DELETE", f"{MV}/delete", {"name": "M", "version": "1"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    api.error("GET", f"{MV}/get-download-uri", {"name": "M", "version": "1"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    assert _create(api, run_id)["version"] == "2"  # numbers are never reused


def test_transition_stage(api: Api, run_id: str):
    for _ in range(3):
        _create(api, run_id)
    path = f"{MV}/transition-stage"
    moved = api.post(path, {"name": "M", "version": "1", "stage": "production"})["model_version"]
    assert moved["current_stage"] == "Production"
    api.post(path, {"name": "M", "version": "2", "stage": "Production",
                    "archive_existing_versions": True})  # fmt: skip
    stages = {
        v["version"]: v["current_stage"]
        for v in api.get(f"{MV}/search", {"filter": "name = 'M'"})["model_versions"]
    }
    assert stages == {"1": "Archived", "2": "Production", "3": "None"}
    message = api.error("POST", path, {"name": "M", "version": "3", "stage": "Live"}, 400,
                        "INVALID_PARAMETER_VALUE")  # fmt: skip
    assert "Live" in message
    response = api.client.post(
        f"/api/2.0/mlflow/{path}",
        json={"name": "M", "version": "3", "stage": "Archived", "archive_existing_versions": True},
    )
    assert 400 <= response.status_code < 500  # MLflow answers 500 here; mltrail a user error
    api.error("POST", path, {"name": "M", "version": "9", "stage": "Staging"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip


def test_version_tags(api: Api, run_id: str):
    _create(api, run_id)
    assert api.post(f"{MV}/set-tag", {"name": "M", "version": "1", "key": "k", "value": "v"}) == {}
    got = api.get(f"{MV}/get", {"name": "M", "version": "1"})["model_version"]
    assert got["tags"] == [{"key": "k", "value": "v"}]
    api.error("POST", f"{MV}/set-tag", {"name": "M", "version": "1", "key": "k"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    body = {"name": "M", "version": "1", "key": "k"}
    assert api.request("DELETE", f"{MV}/delete-tag", body) == {}
    assert api.request("DELETE", f"{MV}/delete-tag", body) == {}
    api.error("DELETE", f"{MV}/delete-tag", {**body, "version": "5"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    api.error("POST", f"{MV}/set-tag", {**body, "version": "5", "value": "v"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip


def test_search_model_versions(api: Api, run_id: str, client: Any):
    api.post("registered-models/create", {"name": "N"})
    for name in ("M", "M", "N"):
        _create(api, run_id, name=name)
    api.post("registered-models/alias", {"name": "M", "alias": "champ", "version": "1"})
    found = api.get(f"{MV}/search", {"filter": "name = 'M'"})["model_versions"]
    assert sorted(v["version"] for v in found) == ["1", "2"]
    assert all("aliases" not in v for v in found)
    found = api.get(f"{MV}/search", {"filter": f"run_id = '{run_id}' AND version_number > 1"})
    assert sorted((v["name"], v["version"]) for v in found["model_versions"]) == [("M", "2")]
    response = client.get(
        f"/api/2.0/mlflow/{MV}/search",
        params=[("order_by", "name DESC"), ("order_by", "version_number ASC"),
                ("max_results", "2")],
    )  # fmt: skip
    page = response.json()
    assert [(v["name"], v["version"]) for v in page["model_versions"]] == [("N", "1"), ("M", "1")]
    rest = api.get(f"{MV}/search", {"order_by": ["name DESC", "version_number ASC"],
                                    "page_token": page["next_page_token"]})  # fmt: skip
    assert [(v["name"], v["version"]) for v in rest["model_versions"]] == [("M", "2")]
    api.error("GET", f"{MV}/search", {"max_results": 200001}, 400, "INVALID_PARAMETER_VALUE")
    api.error("GET", f"{MV}/search", {"max_results": 0}, 400, "INVALID_PARAMETER_VALUE")
    api.error("GET", f"{MV}/search", {"filter": "bogus = 1"}, 400, "INVALID_PARAMETER_VALUE")
