"""The web UI's endpoints over HTTP (Starlette TestClient, real SQLite file): runs/table,
experiments/columns, metrics/history-reduced and /get-artifact, their JSON shapes (as in
``ui/src/api/types.ts``), bounds, errors, OpenAPI entries, --static-prefix, and one run
against a real ``mltrail server`` subprocess."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers.rest_api import Api
from helpers.servers import start_mltrail_server

TABLE = "/ajax-api/2.0/mltrail/runs/table"
COLUMNS = "/ajax-api/2.0/mltrail/experiments/columns"
REDUCED = "/ajax-api/2.0/mltrail/metrics/history-reduced"
TABLE_RUN_FIELDS = {
    "run_id", "run_name", "experiment_id", "status", "start_time", "end_time",
    "lifecycle_stage", "user_id", "parent_run_id", "source_name", "source_type", "git_commit",
    "has_model", "params", "metrics", "tags",
}  # fmt: skip


def _seed(api: Api) -> tuple[str, list[str]]:
    exp = api.new_experiment("ui")
    ids = []
    for i in range(4):
        run_id = api.new_run(exp, run_name=f"r{i}", start_time=1000 + i, user_id="ann")
        metrics = [
            {"key": "loss", "value": 1.0 / (i + 1), "timestamp": 5, "step": 0},
            {"key": "acc", "value": "NaN" if i == 0 else i / 10, "timestamp": 5, "step": 0},
        ]
        params = [{"key": "lr", "value": str(i)}, {"key": "opt", "value": "adam"}]
        tags = [{"key": "team", "value": "a" if i % 2 else "b"}]
        api.post("runs/log-batch", {"run_id": run_id, "metrics": metrics, "params": params,
                                    "tags": tags})  # fmt: skip
        ids.append(run_id)
    api.post("runs/set-tag", {"run_id": ids[2], "key": "mlflow.parentRunId", "value": ids[1]})
    return exp, ids


def _error(response: httpx.Response, status: int, code: str = "INVALID_PARAMETER_VALUE") -> str:
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code
    return str(response.json()["message"])


# ---- runs/table -----------------------------------------------------------------------------
def test_runs_table_shape_projection_and_paging(client: Any, api: Api):
    exp, ids = _seed(api)
    body = {"experiment_ids": [exp], "params": ["lr"], "metrics": ["acc"], "tags": ["team"],
            "max_results": 3}  # fmt: skip
    first = client.post(TABLE, json=body).json()
    assert first["total_count"] == 4 and first["next_page_token"]
    assert [r["run_name"] for r in first["runs"]] == ["r3", "r2", "r1"]
    row = first["runs"][1]
    assert set(row) == TABLE_RUN_FIELDS
    assert row["params"] == {"lr": "2"} and row["metrics"] == {"acc": 0.2}
    assert row["tags"] == {"team": "b"} and row["parent_run_id"] == ids[1]
    assert (row["status"], row["lifecycle_stage"], row["user_id"]) == ("RUNNING", "active", "ann")
    assert row["end_time"] is None and row["has_model"] is False
    second = client.post(TABLE, json={**body, "page_token": first["next_page_token"]}).json()
    assert "total_count" not in second and "next_page_token" not in second
    assert second["runs"][0]["metrics"] == {"acc": "NaN"}  # non-finite values are strings
    ordered = client.post(
        TABLE, json={"experiment_ids": [exp], "order_by": ["params.lr ASC"], "runViewType": "ALL"}
    ).json()
    assert [r["run_name"] for r in ordered["runs"]] == ["r0", "r1", "r2", "r3"]
    filtered = client.post(TABLE, json={"experiment_ids": [exp], "filter": "tags.team = 'a'"})
    assert sorted(r["run_name"] for r in filtered.json()["runs"]) == ["r1", "r3"]
    empty = client.post(TABLE, json={"experiment_ids": [exp], "filter": "params.lr = 'x'"}).json()
    assert empty == {"runs": [], "total_count": 0}


def test_runs_table_deleted_runs(client: Any, api: Api):
    exp, ids = _seed(api)
    api.post("runs/delete", {"run_id": ids[0]})
    active = client.post(TABLE, json={"experiment_ids": [exp]}).json()
    assert active["total_count"] == 3
    deleted = client.post(TABLE, json={"experiment_ids": [exp], "run_view_type": "DELETED_ONLY"})
    assert [(r["run_id"], r["lifecycle_stage"]) for r in deleted.json()["runs"]] == [
        (ids[0], "deleted")
    ]


def test_runs_table_filter_error_is_search_runs_error(client: Any, api: Api):
    exp, _ = _seed(api)
    for bad in ("metrics.loss >", "params.lr < '1'", "tags.team = 'a' or tags.team = 'b'"):
        table = client.post(TABLE, json={"experiment_ids": [exp], "filter": bad})
        search = client.post("/api/2.0/mlflow/runs/search",
                             json={"experiment_ids": [exp], "filter": bad})  # fmt: skip
        assert _error(table, 400) == _error(search, 400)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({}, "'experiment_ids'"),
        ({"experiment_ids": [str(i) for i in range(51)]}, "at most 50"),
        ({"experiment_ids": ["abc"]}, "Invalid experiment ID"),
        ({"experiment_ids": "0"}, "JSON array"),
        ({"experiment_ids": ["0"], "max_results": 0}, "between 1 and 5000"),
        ({"experiment_ids": ["0"], "max_results": 5001}, "between 1 and 5000"),
        ({"experiment_ids": ["0"], "max_results": "many"}, "integer"),
        ({"experiment_ids": ["0"], "metrics": ["m"] * 501}, "at most 500"),
        ({"experiment_ids": ["0"], "params": ["p" * 251]}, "too long"),
        ({"experiment_ids": ["0"], "tags": [7]}, "a string"),
        ({"experiment_ids": ["0"], "order_by": ["start_time"] * 11}, "at most 10"),
        ({"experiment_ids": ["0"], "run_view_type": "NEVER"}, "ACTIVE_ONLY"),
        ({"experiment_ids": ["0"], "page_token": "junk"}, "page token"),
    ],
)
def test_runs_table_bounds(client: Any, body: dict[str, Any], fragment: str):
    assert fragment in _error(client.post(TABLE, json=body), 400)


# ---- experiments/columns --------------------------------------------------------------------
def test_columns(client: Any, api: Api):
    exp, _ = _seed(api)
    other = api.new_experiment("other")
    run = api.new_run(other)
    api.post("runs/log-parameter", {"run_id": run, "key": "zz", "value": "1"})
    body = client.get(COLUMNS, params={"experiment_ids": exp}).json()
    assert body == {
        "params": ["lr", "opt"],
        "metrics": ["acc", "loss"],
        "tags": ["mlflow.parentRunId", "mlflow.runName", "team"],
        "truncated": False,
    }
    both = client.get(COLUMNS, params=[("experiment_ids", exp), ("experiment_ids", other)])
    assert both.json()["params"] == ["lr", "opt", "zz"]
    assert "'experiment_ids'" in _error(client.get(COLUMNS), 400)
    many = [("experiment_ids", str(i)) for i in range(51)]
    assert "at most 50" in _error(client.get(COLUMNS, params=many), 400)


# ---- metrics/history-reduced ----------------------------------------------------------------
def _log_series(api: Api, run_id: str, values: list[float | str]) -> None:
    for start in range(0, len(values), 1000):
        metrics = [
            {"key": "s", "value": v, "timestamp": 10_000 + 2 * i, "step": i}
            for i, v in enumerate(values[start : start + 1000], start)
        ]
        api.post("runs/log-batch", {"run_id": run_id, "metrics": metrics})


def test_history_reduced_raw_and_buckets(client: Any, api: Api):
    run_id = api.new_run(api.new_experiment("series"))
    values: list[float | str] = [math.sin(i / 40) for i in range(3000)]
    values[1234], values[10] = 100.0, "Infinity"
    _log_series(api, run_id, values)
    params = {"run_id": run_id, "metric_key": "s", "buckets": 50}
    reduced = client.get(REDUCED, params=params).json()
    assert reduced["reduced"] is True and "points" not in reduced
    assert (reduced["total_points"], reduced["window_points"]) == (3000, 3000)
    assert reduced["x_range"] == [0, 2999] and reduced["x_axis"] == "step"
    assert len(reduced["buckets"]) == 50 and reduced["special"] == [[10, "Infinity"]]
    spike = next(b for b in reduced["buckets"] if b[0] <= 1234 <= b[1])
    assert spike[3] == 100.0 and sum(b[5] for b in reduced["buckets"]) == 2999
    zoom = client.get(REDUCED, params={**params, "x_min": 5, "x_max": 60}).json()
    assert zoom["reduced"] is False and zoom["window_points"] == 56 and "buckets" not in zoom
    assert zoom["points"][5] == [10, 10_020, "Infinity"]
    assert zoom["points"][0][:2] == [5, 10_010]
    by_time = client.get(
        REDUCED, params={**params, "x_axis": "timestamp", "x_min": 10_000, "x_max": 10_100.5}
    ).json()
    assert by_time["x_axis"] == "timestamp" and by_time["x_range"] == [10_000, 15_998]
    assert by_time["window_points"] == 51 and by_time["reduced"] is False


def test_history_reduced_errors(client: Any, api: Api):
    run_id = api.new_run(api.new_experiment("errors"))
    ok = {"run_id": run_id, "metric_key": "s", "buckets": 10}
    unknown_key = client.get(REDUCED, params=ok).json()
    assert unknown_key["total_points"] == 0 and unknown_key["points"] == []
    assert unknown_key["x_range"] is None
    ghost = client.get(REDUCED, params={**ok, "run_id": "f" * 32})
    assert "not found" in _error(ghost, 404, "RESOURCE_DOES_NOT_EXIST")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"buckets": None}, "'buckets'"),
        ({"buckets": 0}, "between 1 and 4000"),
        ({"buckets": 4001}, "between 1 and 4000"),
        ({"buckets": "ten"}, "int32"),
        ({"x_axis": "epoch"}, "step or timestamp"),
        ({"x_min": 9, "x_max": 3}, "must not be greater"),
        ({"x_min": "NaN"}, "finite"),
        ({"x_max": "abc"}, "a number"),
        ({"metric_key": "k" * 251}, "too long"),
        ({"run_id": None}, "'run_id'"),
    ]
    for change, fragment in cases:
        params = {k: v for k, v in {**ok, **change}.items() if v is not None}
        assert fragment in _error(client.get(REDUCED, params=params), 400), change


# ---- /get-artifact --------------------------------------------------------------------------
def _artifact_dir(api: Api, tmp_path: Path, run_id: str) -> Path:
    root = api.get("runs/get", {"run_id": run_id})["run"]["info"]["artifact_uri"]
    assert root.startswith("mlflow-artifacts:/")
    directory = tmp_path / "mlartifacts" / root.split(":/", 1)[1]
    directory.mkdir(parents=True)
    return directory


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_get_artifact_types_and_headers(client: Any, api: Api, tmp_path: Path):
    run_id = api.new_run()
    files = _artifact_dir(api, tmp_path, run_id)
    (files / "data").mkdir()
    (files / "notes.txt").write_text("hello")
    (files / "data" / "sample.csv").write_text("a,b\n1,2\n")
    (files / "config.json").write_text('{"a": 1}')
    (files / "params.yaml").write_text("a: 1\n")
    (files / "curve.png").write_bytes(PNG)
    (files / "page.html").write_text("<script>alert(1)</script>")
    (files / "icon.svg").write_text("<svg onload='alert(1)'/>")
    (files / "blob.bin").write_bytes(b"\x00\x01")
    expected = {
        "notes.txt": ("text/plain", "inline"),
        "data/sample.csv": ("text/plain", "inline"),
        "config.json": ("text/plain", "inline"),
        "params.yaml": ("text/plain", "inline"),
        "curve.png": ("image/png", "inline"),
        "page.html": ("application/octet-stream", "attachment"),
        "icon.svg": ("application/octet-stream", "attachment"),
        "blob.bin": ("application/octet-stream", "attachment"),
    }
    for path, (media_type, disposition) in expected.items():
        response = client.get("/get-artifact", params={"run_id": run_id, "path": path})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media_type), path
        assert response.headers["content-disposition"].startswith(disposition), path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        assert response.content == (files / path).read_bytes()
        assert response.headers["content-length"] == str(len(response.content))
    legacy = client.get("/get-artifact", params={"run_uuid": run_id, "path": "notes.txt"})
    assert legacy.text == "hello"


def test_get_artifact_refusals(client: Any, api: Api, tmp_path: Path):
    run_id = api.new_run()
    files = _artifact_dir(api, tmp_path, run_id)
    (files / "sub").mkdir()
    (files / "sub" / "f.txt").write_text("x")
    (tmp_path / "mlartifacts" / "secret.txt").write_text("top secret")
    for path in ("../../../secret.txt", "%2e%2e/%2e%2e/%2e%2e/secret.txt", "/etc/passwd",
                 "sub/../../x", "a\\..\\b"):  # fmt: skip
        response = client.get("/get-artifact", params={"run_id": run_id, "path": path})
        _error(response, 400)
        assert "top secret" not in response.text
    _error(client.get("/get-artifact", params={"run_id": run_id, "path": "sub"}), 400)
    missing = client.get("/get-artifact", params={"run_id": run_id, "path": "nope.txt"})
    _error(missing, 404, "RESOURCE_DOES_NOT_EXIST")
    ghost = client.get("/get-artifact", params={"run_id": "f" * 32, "path": "sub/f.txt"})
    _error(ghost, 404, "RESOURCE_DOES_NOT_EXIST")
    assert "'path'" in _error(client.get("/get-artifact", params={"run_id": run_id}), 400)
    assert "'run_id'" in _error(client.get("/get-artifact", params={"path": "x"}), 400)
    _error(client.get("/get-artifact", params={"run_id": "../x", "path": "x"}), 400)
    long = client.get("/get-artifact", params={"run_id": run_id, "path": "a" * 5000})
    assert "too long" in _error(long, 400)


def test_get_artifact_from_a_local_artifact_root(make_client: Callable[..., Any], tmp_path: Path):
    root = tmp_path / "mlruns"
    client = make_client(serve_artifacts=False, default_artifact_root=str(root))
    api = Api(client)
    run_id = api.new_run()
    uri = api.get("runs/get", {"run_id": run_id})["run"]["info"]["artifact_uri"]
    directory = Path(uri.removeprefix("file://"))
    assert directory.is_relative_to(root)
    directory.mkdir(parents=True)
    (directory / "notes.txt").write_text("local")
    response = client.get("/get-artifact", params={"run_id": run_id, "path": "notes.txt"})
    assert response.status_code == 200 and response.text == "local"


# ---- OpenAPI, /docs, --static-prefix --------------------------------------------------------
def test_openapi_docs_and_static_prefix(make_client: Callable[..., Any], tmp_path: Path):
    client = make_client(static_prefix="/pre")
    api = Api(client)
    document = client.get("/pre/openapi.json").json()
    for path, method in ((TABLE, "post"), (COLUMNS, "get"), (REDUCED, "get"),
                         ("/get-artifact", "get")):  # fmt: skip
        assert method in document["paths"][path], path
        assert document["paths"][path][method].get("description")
    table_schema = document["components"]["schemas"]["RunsTable"]
    assert table_schema["required"] == ["experiment_ids"]
    assert {"params", "metrics", "tags", "order_by"} <= set(table_schema["properties"])
    reduced_params = {p["name"] for p in document["paths"][REDUCED]["get"]["parameters"]}
    assert reduced_params == {"run_id", "metric_key", "x_axis", "buckets", "x_min", "x_max"}
    docs = client.get("/pre/docs").text
    assert "/pre/ajax-api/2.0/mltrail/runs/table" in docs and "/pre/get-artifact" in docs
    # every UI endpoint answers under the prefix (and not without it)
    run_id = str(
        client.post("/pre/api/2.0/mlflow/runs/create", json={"experiment_id": "0"}).json()["run"][
            "info"
        ]["run_id"]
    )
    assert client.post("/pre" + TABLE, json={"experiment_ids": ["0"]}).json()["total_count"] == 1
    assert client.get("/pre" + COLUMNS, params={"experiment_ids": "0"}).status_code == 200
    reduced = client.get("/pre" + REDUCED, params={"run_id": run_id, "metric_key": "m",
                                                    "buckets": 5})  # fmt: skip
    assert reduced.json()["total_points"] == 0
    missing = client.get("/pre/get-artifact", params={"run_id": run_id, "path": "x.txt"})
    _error(missing, 404, "RESOURCE_DOES_NOT_EXIST")
    assert client.post(TABLE, json={"experiment_ids": ["0"]}).status_code == 404
    del api


# ---- a real server --------------------------------------------------------------------------
def test_ui_endpoints_on_a_real_server(tmp_path: Path):
    with start_mltrail_server(tmp_path) as server, httpx.Client(base_url=server.url) as http:
        api = Api(http)
        exp, ids = _seed(api)
        table = http.post(TABLE, json={"experiment_ids": [exp], "metrics": ["loss"]}).json()
        assert table["total_count"] == 4
        assert {r["run_id"]: r["metrics"]["loss"] for r in table["runs"]}[ids[1]] == 0.5
        columns = http.get(COLUMNS, params={"experiment_ids": exp}).json()
        assert columns["metrics"] == ["acc", "loss"]
        _log_series(api, ids[0], [float(i % 10) for i in range(2500)])
        reduced = http.get(REDUCED, params={"run_id": ids[0], "metric_key": "s", "buckets": 100})
        assert reduced.json()["reduced"] is True and len(reduced.json()["buckets"]) == 100
        root = api.get("runs/get", {"run_id": ids[0]})["run"]["info"]["artifact_uri"]
        upload = http.put(
            f"/api/2.0/mlflow-artifacts/artifacts/{root.split(':/', 1)[1]}/notes.txt",
            content=b"from the proxy",
        )
        assert upload.status_code == 200, upload.text
        served = http.get("/get-artifact", params={"run_id": ids[0], "path": "notes.txt"})
        assert served.status_code == 200 and served.text == "from the proxy"
        assert served.headers["content-disposition"].startswith("inline")
