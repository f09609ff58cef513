"""Run, logging, history and search endpoints through the ASGI app."""

from __future__ import annotations

from helpers.rest_api import Api


def test_create_and_get_run_shapes(api: Api):
    body = {
        "experiment_id": "0", "user_id": "alice", "start_time": 1700000000000,
        "run_name": "first", "tags": [{"key": "mlflow.user", "value": "alice"}],
    }  # fmt: skip
    run = api.post("runs/create", body)["run"]
    info = run["info"]
    assert len(info["run_id"]) == 32 and info["run_uuid"] == info["run_id"]
    assert info["status"] == "RUNNING" and info["start_time"] == 1700000000000
    assert info["artifact_uri"] == f"mlflow-artifacts:/0/{info['run_id']}/artifacts"
    assert info["run_name"] == "first" and info["user_id"] == "alice"
    assert {"key": "mlflow.runName", "value": "first"} in run["data"]["tags"]
    assert run["inputs"] == {} and "outputs" not in run
    fetched = api.get("runs/get", [("run_uuid", info["run_id"]), ("run_id", info["run_id"])])
    assert fetched["run"]["info"] == info
    assert fetched["run"]["outputs"] == {} and fetched["run"]["inputs"] == {}
    generated = api.post("runs/create", {"experiment_id": "0"})["run"]["info"]
    assert generated["run_name"] and generated["start_time"] == 0


def test_run_errors(api: Api):
    api.error("GET", "runs/get", {"run_id": "f" * 32}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("GET", "runs/get", {}, 400, "INVALID_PARAMETER_VALUE")
    api.error("POST", "runs/create", {"experiment_id": "42"}, 404, "RESOURCE_DOES_NOT_EXIST")
    api.error("POST", "runs/create", {}, 400, "INVALID_PARAMETER_VALUE")
    api.error("POST", "runs/create", {
        "experiment_id": "0", "run_name": "a", "tags": [{"key": "mlflow.runName", "value": "b"}]
    }, 400, "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error(
        "POST",
        "runs/log-metric",
        {"run_id": "f" * 32, "key": "m", "value": 1, "timestamp": 1},
        404,
        "RESOURCE_DOES_NOT_EXIST",
    )


def test_update_delete_restore(api: Api):
    run_id = api.new_run()
    info = api.post("runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": 2000,
                                    "run_name": "renamed"})["run_info"]  # fmt: skip
    assert (info["status"], info["end_time"], info["run_name"]) == ("FINISHED", 2000, "renamed")
    tags = api.get("runs/get", {"run_id": run_id})["run"]["data"]["tags"]
    assert {"key": "mlflow.runName", "value": "renamed"} in tags
    assert api.post("runs/delete", {"run_id": run_id}) == {}
    assert api.post("runs/delete", {"run_id": run_id}) == {}  # idempotent
    api.error("POST", "runs/set-tag", {"run_id": run_id, "key": "k", "value": "v"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", "runs/update", {"run_id": run_id, "status": "FAILED"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    assert api.post("runs/restore", {"run_id": run_id}) == {}
    run = api.get("runs/get", {"run_id": run_id})["run"]
    assert run["info"]["lifecycle_stage"] == "active" and run["info"]["status"] == "FINISHED"


def test_logging_metrics_params_tags(api: Api):
    run_id = api.new_run()
    for step, value in ((0, 2.5), (2, 1.5), (1, "NaN")):
        api.post(
            "runs/log-metric",
            {
                "run_id": run_id,
                "run_uuid": run_id,
                "key": "loss",
                "value": value,
                "timestamp": 100 + step,
                "step": step,
            },
        )
    api.post("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.1"})
    api.post("runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.1"})  # no-op
    api.error("POST", "runs/log-parameter", {"run_id": run_id, "key": "lr", "value": "0.2"},
              400, "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.post("runs/set-tag", {"run_id": run_id, "key": "team", "value": "a"})
    api.post("runs/set-tag", {"run_id": run_id, "key": "gone", "value": "x"})
    api.post("runs/delete-tag", {"run_id": run_id, "key": "gone"})
    api.error("POST", "runs/delete-tag", {"run_id": run_id, "key": "gone"}, 404,
              "RESOURCE_DOES_NOT_EXIST")  # fmt: skip
    api.error(
        "POST",
        "runs/log-metric",
        {"run_id": run_id, "key": "../x", "value": 1, "timestamp": 1},
        400,
        "INVALID_PARAMETER_VALUE",
    )
    data = api.get("runs/get", {"run_id": run_id})["run"]["data"]
    assert data["metrics"] == [{"key": "loss", "value": 1.5, "timestamp": 102, "step": 2}]
    assert data["params"] == [{"key": "lr", "value": "0.1"}]
    assert {"key": "team", "value": "a"} in data["tags"]
    assert all(t["key"] != "gone" for t in data["tags"])
    history = api.get("metrics/get-history", {"run_id": run_id, "metric_key": "loss"})["metrics"]
    assert [(p["step"], p["value"]) for p in history] == [(0, 2.5), (1, "NaN"), (2, 1.5)]
    paged = api.get("metrics/get-history", {"run_id": run_id, "metric_key": "loss",
                                            "max_results": 2})  # fmt: skip
    assert len(paged["metrics"]) == 2 and paged["next_page_token"]
    assert api.get("metrics/get-history", {"run_id": "0" * 32, "metric_key": "loss"}) == {}


def test_log_batch_limits_and_atomic_params(api: Api):
    run_id = api.new_run()
    metrics = [{"key": "m", "value": i, "timestamp": i, "step": i} for i in range(1000)]
    assert api.post("runs/log-batch", {"run_id": run_id, "metrics": metrics}) == {}
    body = {"run_id": run_id, "params": [{"key": "p", "value": "1"}],
            "tags": [{"key": "t", "value": "v"}]}  # fmt: skip
    assert api.post("runs/log-batch", body) == {}
    history = api.get("metrics/get-history", {"run_id": run_id, "metric_key": "m"})["metrics"]
    assert len(history) == 1000
    too_many = {"run_id": run_id, "metrics": [*metrics, metrics[0]]}
    message = api.error("POST", "runs/log-batch", too_many, 400, "INVALID_PARAMETER_VALUE")
    assert "1000" in message
    conflicting = {"run_id": run_id, "params": [{"key": "p", "value": "2"}],
                   "tags": [{"key": "t2", "value": "x"}]}  # fmt: skip
    api.error("POST", "runs/log-batch", conflicting, 400, "INVALID_PARAMETER_VALUE")
    tags = api.get("runs/get", {"run_id": run_id})["run"]["data"]["tags"]
    assert all(t["key"] != "t2" for t in tags)
    missing = {"run_id": run_id, "metrics": [{"key": "m", "value": 1}]}
    message = api.error("POST", "runs/log-batch", missing, 400, "INVALID_PARAMETER_VALUE")
    assert "metrics[0].timestamp" in message
    assert api.post("runs/log-batch", {"run_id": run_id}) == {}


def test_search_runs_filter_order_and_pages(api: Api):
    experiment_id = api.new_experiment("search")
    run_ids = []
    for i in range(5):
        run_id = api.new_run(experiment_id, start_time=1000 + i)
        api.post("runs/log-metric", {"run_id": run_id, "key": "acc", "value": i / 10,
                                     "timestamp": 1})  # fmt: skip
        run_ids.append(run_id)
    body = {"experiment_ids": [experiment_id], "filter": "metrics.acc >= 0.2",
            "order_by": ["metrics.acc DESC"], "max_results": 2}  # fmt: skip
    first = api.post("runs/search", body)
    assert [r["info"]["run_id"] for r in first["runs"]] == [run_ids[4], run_ids[3]]
    assert first["runs"][0]["outputs"] == {} and first["runs"][0]["inputs"] == {}
    second = api.post("runs/search", {**body, "page_token": first["next_page_token"]})
    assert [r["info"]["run_id"] for r in second["runs"]] == [run_ids[2]]
    assert "next_page_token" not in second
    assert api.post("runs/search", {}) == {}
    api.post("runs/delete", {"run_id": run_ids[0]})
    deleted = api.post("runs/search", {"experiment_ids": [experiment_id],
                                       "run_view_type": "DELETED_ONLY"})  # fmt: skip
    assert [r["info"]["run_id"] for r in deleted["runs"]] == [run_ids[0]]
    api.error("POST", "runs/search", {"experiment_ids": [experiment_id], "filter": "x <"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("POST", "runs/search", {"experiment_ids": [experiment_id], "max_results": 50001},
              400, "INVALID_PARAMETER_VALUE")  # fmt: skip


def test_metric_history_bulk_interval_samples_evenly(api: Api):
    runs = [api.new_run() for _ in range(2)]
    for run_id in runs:
        metrics = [{"key": "m", "value": s, "timestamp": s, "step": s} for s in range(100)]
        api.post("runs/log-batch", {"run_id": run_id, "metrics": metrics})
    params = [("run_ids", runs[1]), ("run_ids", runs[0]), ("metric_key", "m"),
              ("max_results", "5")]  # fmt: skip
    points = api.get("metrics/get-history-bulk-interval", params)["metrics"]
    assert [p["run_id"] for p in points] == [runs[1]] * 5 + [runs[0]] * 5
    assert [p["step"] for p in points[:5]] == [0, 25, 50, 74, 99]
    window = api.get("metrics/get-history-bulk-interval", [
        ("run_ids", runs[0]), ("metric_key", "m"), ("start_step", "10"), ("end_step", "12")
    ])["metrics"]  # fmt: skip
    assert [p["step"] for p in window] == [10, 11, 12]
    api.error("GET", "metrics/get-history-bulk-interval",
              [("run_ids", runs[0]), ("metric_key", "m"), ("start_step", "3")], 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("GET", "metrics/get-history-bulk-interval",
              [("run_ids", runs[0]), ("metric_key", "m"), ("max_results", "2501")], 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    bulk = api.client.get(
        "/ajax-api/2.0/mlflow/metrics/get-history-bulk",
        params=[("run_id", r) for r in runs] + [("metric_key", "m")],
    )
    assert bulk.status_code == 200
    assert len(bulk.json()["metrics"]) == 200
    assert api.client.get("/api/2.0/mlflow/metrics/get-history-bulk").status_code == 404


def test_run_artifact_listing(api: Api, tmp_path):  # type: ignore[no-untyped-def]
    run_id = api.new_run()
    root = tmp_path / "mlartifacts" / "0" / run_id / "artifacts" / "dir"
    root.mkdir(parents=True)
    (root / "a.txt").write_text("hello")
    listing = api.get("artifacts/list", {"run_id": run_id})
    assert listing["root_uri"] == f"mlflow-artifacts:/0/{run_id}/artifacts"
    assert listing["files"] == [{"path": "dir", "is_dir": True}]
    inner = api.get("artifacts/list", {"run_id": run_id, "path": "dir"})
    assert inner["files"] == [{"path": "dir/a.txt", "is_dir": False, "file_size": 5}]
    assert "files" not in api.get("artifacts/list", {"run_id": run_id, "path": "missing"})
    api.error("GET", "artifacts/list", {"run_id": run_id, "path": "../x"}, 400,
              "INVALID_PARAMETER_VALUE")  # fmt: skip
    api.error("GET", "artifacts/list", {"run_id": "f" * 32}, 404, "RESOURCE_DOES_NOT_EXIST")
