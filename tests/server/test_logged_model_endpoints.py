"""Logged models, run inputs and run outputs (what MLflow 3's log_model and autolog call)."""

from __future__ import annotations

from helpers.rest_api import Api


def _create_model(api: Api, experiment_id: str = "0", **fields: object) -> dict:
    return api.post("logged-models", {"experiment_id": experiment_id, **fields})["model"]


def test_create_get_finalize_and_delete(api: Api):
    run_id = api.new_run()
    model = _create_model(
        api, name="model", source_run_id=run_id,
        params=[{"key": "alpha", "value": "0.5"}], tags=[{"key": "mlflow.user", "value": "me"}],
    )  # fmt: skip
    info = model["info"]
    model_id = info["model_id"]
    assert model_id.startswith("m-") and len(model_id) == 34
    assert info["status"] == "LOGGED_MODEL_PENDING" and info["name"] == "model"
    assert info["artifact_uri"] == f"mlflow-artifacts:/0/models/{model_id}/artifacts"
    assert info["source_run_id"] == run_id
    assert info["tags"] == [{"key": "mlflow.user", "value": "me"}]
    assert model["data"]["params"] == [{"key": "alpha", "value": "0.5"}]
    assert api.get(f"logged-models/{model_id}")["model"]["info"]["model_id"] == model_id
    ready = api.request("PATCH", f"logged-models/{model_id}",
                        {"model_id": model_id, "status": "LOGGED_MODEL_READY"})  # fmt: skip
    assert ready["model"]["info"]["status"] == "LOGGED_MODEL_READY"
    assert api.request("DELETE", f"logged-models/{model_id}") == {}
    api.error("GET", f"logged-models/{model_id}", None, 404, "RESOURCE_DOES_NOT_EXIST")
    deleted = api.get(f"logged-models/{model_id}", {"allow_deleted": "True"})["model"]
    assert deleted["info"]["model_id"] == model_id


def test_logged_model_errors(api: Api):
    api.error("GET", "logged-models/m-" + "0" * 32, None, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("POST", "logged-models", {}, 400, "INVALID_PARAMETER_VALUE")
    api.error("POST", "logged-models", {"experiment_id": "77"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("POST", "logged-models", {"experiment_id": "0", "name": "a/b"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    model_id = _create_model(api)["info"]["model_id"]
    api.error("PATCH", f"logged-models/{model_id}", {"model_id": model_id}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip


def test_tags_and_params(api: Api):
    model_id = _create_model(api, name="m")["info"]["model_id"]
    tags = {"tags": [{"key": "a", "value": "1"}, {"key": "a", "value": "2"},
                     {"key": "mlflow.source/name", "value": "x"}]}  # fmt: skip
    assert api.request("PATCH", f"logged-models/{model_id}/tags", tags) == {}
    assert api.request("DELETE", f"logged-models/{model_id}/tags/mlflow.source/name") == {}
    api.error("DELETE", f"logged-models/{model_id}/tags/nope", None, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    params = {"model_id": model_id, "params": [{"key": f"p{i}", "value": str(i)}
                                               for i in range(150)]}  # fmt: skip
    assert api.post(f"logged-models/{model_id}/params", params) == {}
    model = api.get(f"logged-models/{model_id}")["model"]
    assert model["info"]["tags"] == [{"key": "a", "value": "2"}]
    assert len(model["data"]["params"]) == 150


def test_search_by_name_paging_and_order(api: Api):
    experiment_id = api.new_experiment("models")
    run_id = api.new_run(experiment_id)
    ids = [_create_model(api, experiment_id, name=n, source_run_id=run_id)["info"]["model_id"]
           for n in ("model", "model", "other")]  # fmt: skip
    body = {"experiment_ids": [experiment_id], "filter": "name = 'model'"}
    found = api.post("logged-models/search", body)["models"]
    assert sorted(m["info"]["model_id"] for m in found) == sorted(ids[:2])
    page = api.post(
        "logged-models/search",
        {
            "experiment_ids": [experiment_id],
            "max_results": 2,
            "order_by": [{"field_name": "name", "ascending": False}],
        },
    )
    assert [m["info"]["name"] for m in page["models"]] == ["other", "model"]
    rest = api.post(
        "logged-models/search",
        {
            "experiment_ids": [experiment_id],
            "page_token": page["next_page_token"],
            "max_results": 2,
            "order_by": [{"field_name": "name", "ascending": False}],
        },
    )
    assert len(rest["models"]) == 1 and "next_page_token" not in rest
    combined = {"experiment_ids": [experiment_id],
                "filter": f"name = 'model' AND source_run_id = '{run_id}'"}  # fmt: skip
    assert len(api.post("logged-models/search", combined)["models"]) == 2
    api.error("POST", "logged-models/search", {"experiment_ids": [experiment_id],
                                               "filter": "nonsense"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", "logged-models/search", {}, 400, "INVALID_PARAMETER_VALUE")


def test_run_outputs_and_model_metrics(api: Api):
    run_id = api.new_run()
    model_id = _create_model(api, source_run_id=run_id)["info"]["model_id"]
    assert (
        api.post("runs/outputs", {"run_id": run_id, "models": [{"model_id": model_id, "step": 0}]})
        == {}
    )
    api.error("POST", "runs/outputs", {"run_id": run_id}, 400, "INVALID_PARAMETER_VALUE")
    api.error("POST", "runs/outputs", {"run_id": "f" * 32, "models": [{"model_id": model_id}]},
              404, "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    point = {"key": "acc", "value": 0.9, "timestamp": 5, "step": 0, "model_id": model_id}
    api.post("runs/log-batch", {"run_id": run_id, "metrics": [point]})
    api.post("runs/log-batch", {"run_id": run_id, "metrics": [point]})  # deduplicated
    run = api.get("runs/get", {"run_id": run_id})["run"]
    assert run["outputs"] == {"model_outputs": [{"model_id": model_id, "step": 0}]}
    metrics = api.get(f"logged-models/{model_id}")["model"]["data"]["metrics"]
    assert metrics == [{"key": "acc", "value": 0.9, "timestamp": 5, "step": 0,
                        "run_id": run_id, "model_id": model_id}]  # fmt: skip
    searched = api.post("runs/search", {"experiment_ids": ["0"]})["runs"][0]
    assert searched["outputs"]["model_outputs"][0]["model_id"] == model_id


def test_log_inputs_and_search_datasets(api: Api):
    run_id = api.new_run()
    dataset = {"name": "iris", "digest": "abc123", "source_type": "code",
               "source": '{"x": 1}', "schema": "{}"}  # fmt: skip
    body = {"run_id": run_id, "datasets": [
        {"tags": [{"key": "mlflow.data.context", "value": "train"}], "dataset": dataset}
    ]}  # fmt: skip
    assert api.post("runs/log-inputs", body) == {}
    assert api.post("runs/log-inputs", body) == {}  # same dataset again: still one input
    inputs = api.get("runs/get", {"run_id": run_id})["run"]["inputs"]
    assert inputs["dataset_inputs"] == [
        {"dataset": dataset, "tags": [{"key": "mlflow.data.context", "value": "train"}]}
    ]
    summaries = api.client.post(
        "/ajax-api/2.0/mlflow/experiments/search-datasets", json={"experiment_ids": ["0"]}
    ).json()
    assert summaries == {"dataset_summaries": [
        {"experiment_id": "0", "name": "iris", "digest": "abc123", "context": "train"}
    ]}  # fmt: skip
    too_long = {"run_id": run_id, "datasets": [{"dataset": {**dataset, "digest": "x" * 37}}]}
    api.error("POST", "runs/log-inputs", too_long, 400, "INVALID_PARAMETER_VALUE")


def test_logged_model_artifact_directories(api: Api, tmp_path):  # type: ignore[no-untyped-def]
    model = _create_model(api)
    model_id = model["info"]["model_id"]
    root = tmp_path / "mlartifacts" / "0" / "models" / model_id / "artifacts"
    root.mkdir(parents=True)
    (root / "MLmodel").write_text("flavors: {}\n")
    listing = api.get(f"logged-models/{model_id}/artifacts/directories")
    assert listing["root_uri"] == model["info"]["artifact_uri"]
    assert listing["files"] == [{"path": "MLmodel", "is_dir": False, "file_size": 12}]
