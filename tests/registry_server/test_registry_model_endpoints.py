"""Registered model endpoints over HTTP (rest-registry.md §2, §3.1, §3.3, §4): every route,
its method(s), the JSON shapes and the error codes."""

from __future__ import annotations

from typing import Any

import pytest

from helpers.rest_api import Api

RM = "registered-models"


def _create_version(api: Api, name: str) -> str:
    run_id = api.new_run("0")
    body = {"name": name, "source": f"runs:/{run_id}/model", "run_id": run_id}
    return str(api.post("model-versions/create", body)["model_version"]["version"])


def test_create_get_shapes_and_duplicate(api: Api):
    created = api.post(f"{RM}/create", {"name": "plain"})["registered_model"]
    assert created["name"] == "plain"
    assert isinstance(created["creation_timestamp"], int)
    assert created["last_updated_timestamp"] == created["creation_timestamp"]
    for omitted in ("description", "latest_versions", "tags", "aliases", "user_id"):
        assert omitted not in created
    full = api.post(
        f"{RM}/create",
        {"name": "my model", "description": "d", "tags": [{"key": "team", "value": "cv"}]},
    )["registered_model"]
    assert full["description"] == "d"
    assert full["tags"] == [{"key": "team", "value": "cv"}]
    got = api.get(f"{RM}/get", {"name": "my model"})["registered_model"]
    assert got == full
    message = api.error("POST", f"{RM}/create", {"name": "plain"}, 400, "RESOURCE_ALREADY_EXISTS")
    assert "plain" in message


@pytest.mark.parametrize("name", ["a/b", "a:b", ".", "..", "   "])
def test_invalid_names_are_400(api: Api, name: str):
    api.error("POST", f"{RM}/create", {"name": name}, 400, "INVALID_PARAMETER_VALUE")


def test_missing_name_is_400(api: Api):
    message = api.error("POST", f"{RM}/create", {}, 400, "INVALID_PARAMETER_VALUE")
    assert "'name'" in message


def test_get_missing_is_404(api: Api):
    message = api.error("GET", f"{RM}/get", {"name": "nope"}, 404, "RESOURCE_DOES_NOT_EXIST")
    assert "nope" in message


def test_rename_update_delete(api: Api):
    api.post(f"{RM}/create", {"name": "old", "description": "first"})
    api.post(f"{RM}/create", {"name": "taken"})
    version = _create_version(api, "old")
    renamed = api.post(f"{RM}/rename", {"name": "old", "new_name": "new"})["registered_model"]
    assert renamed["name"] == "new"
    assert renamed["latest_versions"][0]["name"] == "new"
    assert api.get("model-versions/get", {"name": "new", "version": version})["model_version"]
    api.error("GET", f"{RM}/get", {"name": "old"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("POST", f"{RM}/rename", {"name": "new", "new_name": "taken"}, 400,
              "RESOURCE_ALREADY_EXISTS")  # fmt: skip
    api.error("POST", f"{RM}/rename", {"name": "new"}, 400, "INVALID_PARAMETER_VALUE")

    updated = api.request("PATCH", f"{RM}/update", {"name": "new", "description": "second"})
    assert updated["registered_model"]["description"] == "second"
    cleared = api.request("PATCH", f"{RM}/update", {"name": "new"})["registered_model"]
    assert "description" not in cleared
    api.error("PATCH", f"{RM}/update", {"name": "ghost"}, 404, "RESOURCE_DOES_NOT_EXIST")

    assert api.request("DELETE", f"{RM}/delete", {"name": "new"}) == {}
    api.error("GET", f"{RM}/get", {"name": "new"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("DELETE", f"{RM}/delete", {"name": "new"}, 404, "RESOURCE_DOES_NOT_EXIST")
    # the name can be reused and versions restart at 1
    api.post(f"{RM}/create", {"name": "new"})
    assert _create_version(api, "new") == "1"


def test_tags(api: Api):
    api.post(f"{RM}/create", {"name": "tagged"})
    assert api.post(f"{RM}/set-tag", {"name": "tagged", "key": "k", "value": "v"}) == {}
    api.post(f"{RM}/set-tag", {"name": "tagged", "key": "k", "value": "v2"})
    api.post(f"{RM}/set-tag", {"name": "tagged", "key": "empty"})
    tags = api.get(f"{RM}/get", {"name": "tagged"})["registered_model"]["tags"]
    assert {t["key"]: t["value"] for t in tags} == {"k": "v2", "empty": ""}
    assert api.request("DELETE", f"{RM}/delete-tag", {"name": "tagged", "key": "k"}) == {}
    assert api.request("DELETE", f"{RM}/delete-tag", {"name": "tagged", "key": "k"}) == {}
    tags = api.get(f"{RM}/get", {"name": "tagged"})["registered_model"]["tags"]
    assert [t["key"] for t in tags] == ["empty"]
    api.error("POST", f"{RM}/set-tag", {"name": "ghost", "key": "k", "value": "v"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    api.error("DELETE", f"{RM}/delete-tag", {"name": "ghost", "key": "k"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    api.error("POST", f"{RM}/set-tag", {"name": "tagged", "key": "k", "value": "x" * 100_001},
              400, "INVALID_PARAMETER_VALUE")  # fmt: skip


def test_aliases(api: Api):
    api.post(f"{RM}/create", {"name": "aliased"})
    first, second = _create_version(api, "aliased"), _create_version(api, "aliased")
    body = {"name": "aliased", "alias": "champion", "version": first}
    assert api.post(f"{RM}/alias", body) == {}
    model = api.get(f"{RM}/get", {"name": "aliased"})["registered_model"]
    assert model["aliases"] == [{"alias": "champion", "version": first}]
    got = api.get(f"{RM}/alias", {"name": "aliased", "alias": "champion"})["model_version"]
    assert got["version"] == first
    assert got["aliases"] == ["champion"]
    api.post(f"{RM}/alias", {**body, "version": second})  # re-pointing moves the alias
    got = api.get(f"{RM}/alias", {"name": "aliased", "alias": "champion"})["model_version"]
    assert got["version"] == second
    latest = api.get(f"{RM}/alias", {"name": "aliased", "alias": "LATEST"})["model_version"]
    assert latest["version"] == second

    for reserved in ("latest", "Latest", "v1", "V12"):
        api.error("POST", f"{RM}/alias", {**body, "alias": reserved}, 400,
                  "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", f"{RM}/alias", {**body, "alias": "bad alias"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", f"{RM}/alias", {**body, "version": "99"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("POST", f"{RM}/alias", {**body, "version": "abc"}, 400, "INVALID_PARAMETER_VALUE")
    api.error("POST", f"{RM}/alias", {**body, "name": "ghost"}, 404, "RESOURCE_DOES_NOT_EXIST")
    message = api.error("GET", f"{RM}/alias", {"name": "aliased", "alias": "nope"}, 400,
                        "INVALID_PARAMETER_VALUE")  # fmt: skip
    assert "nope" in message
    api.error("GET", f"{RM}/alias", {"name": "ghost", "alias": "x"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip

    assert api.request("DELETE", f"{RM}/alias", {"name": "aliased", "alias": "champion"}) == {}
    assert api.request("DELETE", f"{RM}/alias", {"name": "aliased", "alias": "champion"}) == {}
    assert "aliases" not in api.get(f"{RM}/get", {"name": "aliased"})["registered_model"]
    api.error("DELETE", f"{RM}/alias", {"name": "ghost", "alias": "x"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip


def test_get_latest_versions_post_and_get(api: Api, client: Any):
    api.post(f"{RM}/create", {"name": "staged"})
    v1, v2, v3 = (_create_version(api, "staged") for _ in range(3))
    transition = "model-versions/transition-stage"
    api.post(transition, {"name": "staged", "version": v1, "stage": "production"})
    api.post(transition, {"name": "staged", "version": v2, "stage": "Staging"})
    every = api.post(f"{RM}/get-latest-versions", {"name": "staged"})["model_versions"]
    assert {(v["current_stage"], v["version"]) for v in every} == {
        ("Production", v1),
        ("Staging", v2),
        ("None", v3),
    }
    only = api.post(f"{RM}/get-latest-versions", {"name": "staged", "stages": ["PRODUCTION"]})
    assert [v["version"] for v in only["model_versions"]] == [v1]
    response = client.get(
        f"/api/2.0/mlflow/{RM}/get-latest-versions",
        params=[("name", "staged"), ("stages", "Staging"), ("stages", "Production")],
    )
    assert response.status_code == 200, response.text
    assert {v["version"] for v in response.json()["model_versions"]} == {v1, v2}
    assert api.post(f"{RM}/get-latest-versions", {"name": "staged", "stages": ["Archived"]}) == {}
    api.error("POST", f"{RM}/get-latest-versions", {"name": "staged", "stages": ["Bogus"]},
              400, "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", f"{RM}/get-latest-versions", {"name": "ghost"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    model = api.get(f"{RM}/get", {"name": "staged"})["registered_model"]
    assert len(model["latest_versions"]) == 3


def test_search_registered_models(api: Api, client: Any):
    for name in ("alpha", "beta", "gamma"):
        api.post(f"{RM}/create", {"name": name, "tags": [{"key": "kind", "value": name[0]}]})
    names = [m["name"] for m in api.get(f"{RM}/search")["registered_models"]]
    assert names == ["alpha", "beta", "gamma"]
    # the filter the MLflow client always appends must match models without the tag
    prompt_filter = "tag.`mlflow.prompt.is_prompt` != 'true'"
    found = api.get(f"{RM}/search", {"filter": prompt_filter, "max_results": 100})
    assert len(found["registered_models"]) == 3
    found = api.get(f"{RM}/search", {"filter": "name LIKE 'a%'"})["registered_models"]
    assert [m["name"] for m in found] == ["alpha"]
    found = api.get(f"{RM}/search", {"filter": "tags.kind = 'b'"})["registered_models"]
    assert [m["name"] for m in found] == ["beta"]
    response = client.get(
        f"/api/2.0/mlflow/{RM}/search", params=[("order_by", "name DESC"), ("max_results", "2")]
    )
    page = response.json()
    assert [m["name"] for m in page["registered_models"]] == ["gamma", "beta"]
    rest = api.get(f"{RM}/search", {"order_by": "name DESC", "page_token": page["next_page_token"]})
    assert [m["name"] for m in rest["registered_models"]] == ["alpha"]
    assert "next_page_token" not in rest
    api.error("GET", f"{RM}/search", {"max_results": 1001}, 400, "INVALID_PARAMETER_VALUE")
    api.error("GET", f"{RM}/search", {"max_results": "x"}, 400, "INVALID_PARAMETER_VALUE")
    api.error("GET", f"{RM}/search", {"filter": "nonsense ~~"}, 400, "INVALID_PARAMETER_VALUE")
    assert api.get(f"{RM}/search", {"filter": "name = 'none'"}) == {}


def test_ajax_mirror(client: Any):
    response = client.post("/ajax-api/2.0/mlflow/registered-models/create", json={"name": "ui"})
    assert response.status_code == 200
    response = client.get("/ajax-api/2.0/mlflow/registered-models/get", params={"name": "ui"})
    assert response.json()["registered_model"]["name"] == "ui"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"{RM}/create"),
        ("POST", f"{RM}/get"),
        ("POST", f"{RM}/update"),
        ("PUT", f"{RM}/update"),
        ("POST", f"{RM}/delete"),
        ("POST", f"{RM}/search"),
        ("DELETE", f"{RM}/set-tag"),
        ("POST", f"{RM}/delete-tag"),
        ("PUT", f"{RM}/alias"),
        ("PATCH", f"{RM}/get-latest-versions"),
        ("GET", "model-versions/create"),
        ("POST", "model-versions/update"),
        ("POST", "model-versions/delete"),
        ("POST", "model-versions/search"),
        ("GET", "model-versions/transition-stage"),
        ("POST", "model-versions/get-download-uri"),
        ("GET", "model-versions/set-tag"),
        ("POST", "model-versions/delete-tag"),
    ],
)
def test_wrong_method_is_405(client: Any, method: str, path: str):
    response = client.request(method, f"/api/2.0/mlflow/{path}", json={"name": "x"})
    assert response.status_code == 405, response.text
    assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"


def test_no_api_3_variants(client: Any):
    response = client.get("/api/3.0/mlflow/registered-models/get", params={"name": "x"})
    assert response.status_code == 404
    assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"


def test_separate_registry_store_uri(make_registry_client: Any, tmp_path: Any):
    registry_db = tmp_path / "registry.db"
    api = Api(make_registry_client(registry_store_uri=f"sqlite:///{registry_db}"))
    api.post(f"{RM}/create", {"name": "elsewhere"})
    assert registry_db.exists()
    assert api.get(f"{RM}/get", {"name": "elsewhere"})["registered_model"]["name"] == "elsewhere"


def test_registry_on_every_backend(make_registry_client: Any, tracking_db_uri: str):
    """The same requests work with the registry in SQLite, PostgreSQL and MariaDB."""
    api = Api(make_registry_client(backend_store_uri=tracking_db_uri))
    api.post(f"{RM}/create", {"name": "Everywhere", "tags": [{"key": "k", "value": "v"}]})
    version = _create_version(api, "Everywhere")
    api.post(f"{RM}/alias", {"name": "Everywhere", "alias": "prod", "version": version})
    found = api.get(f"{RM}/search", {"filter": "name ILIKE 'every%'"})["registered_models"]
    assert [(m["name"], m["aliases"]) for m in found] == [
        ("Everywhere", [{"alias": "prod", "version": "1"}])
    ]
    versions = api.get("model-versions/search", {"filter": "name = 'Everywhere'"})
    assert [v["version"] for v in versions["model_versions"]] == ["1"]
