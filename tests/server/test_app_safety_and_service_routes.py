"""Safe defaults (Host check, CORS, body limit, JSON errors) and the service routes
(/health, /version, server-info, /metrics, /docs, /openapi.json, /, static prefix)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from mltrail.server.handlers import experiments


def test_health_version_server_info_and_home(client):  # type: ignore[no-untyped-def]
    health = client.get("/health")
    assert (health.status_code, health.text) == (200, "OK")
    assert health.headers["content-type"].startswith("text/plain")
    assert client.get("/version").text == "3.17.2"
    for prefix in ("/api/3.0", "/ajax-api/3.0"):
        info = client.get(f"{prefix}/mlflow/server-info").json()
        assert info["store_type"] == "SqlStore" and info["multipart_uploads_enabled"] is False
    home = client.get("/")
    assert home.status_code == 200 and 'id="root"' in home.text  # the web UI's page
    assert "script-src 'self'" in home.headers["content-security-policy"]


def test_unknown_routes_and_methods_are_json(client):  # type: ignore[no-untyped-def]
    for path in ("/nope", "/api/2.0/mlflow/runs/get/", "/api/3.0/mlflow/experiments/get"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error_code"] == "ENDPOINT_NOT_FOUND"
    wrong = client.get("/api/2.0/mlflow/runs/search")
    assert wrong.status_code == 405 and wrong.json()["error_code"] == "ENDPOINT_NOT_FOUND"
    ajax = client.get("/ajax-api/2.0/mlflow/experiments/get", params={"experiment_id": "0"})
    assert ajax.json()["experiment"]["name"] == "Default"


def test_content_type_rules_over_http(client):  # type: ignore[no-untyped-def]
    url = "/api/2.0/mlflow/experiments/create"
    missing = client.post(url, content=b'{"name": "x"}')
    assert missing.status_code == 400
    assert missing.json()["message"] == "Bad Request. Content-Type header is missing."
    form = client.post(url, data={"name": "x"})
    assert form.status_code == 400 and form.json()["error_code"] == "INVALID_PARAMETER_VALUE"
    doubled = client.post(
        url,
        content=json.dumps(json.dumps({"name": "twice"})),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert doubled.status_code == 200 and doubled.json()["experiment_id"]
    empty = client.post(url, content=b"", headers={"Content-Type": "application/json"})
    assert empty.status_code == 400 and "'name'" in empty.json()["message"]


def test_unhandled_errors_are_json_without_stack_traces(
    make_client: Callable, monkeypatch: pytest.MonkeyPatch
):
    def explode(ctx, msg):  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internal detail")

    monkeypatch.setitem(experiments.HANDLERS, "get_experiment", explode)
    response = make_client().get("/api/2.0/mlflow/experiments/get", params={"experiment_id": "0"})
    assert response.status_code == 500
    body = response.json()
    assert body["error_code"] == "INTERNAL_ERROR"
    assert "secret" not in response.text and "Traceback" not in response.text


def test_host_header_allow_list(make_client: Callable):
    client = make_client()
    assert client.get("/health", headers={"Host": "localhost:5000"}).status_code == 200
    assert client.get("/health", headers={"Host": "[::1]:5000"}).status_code == 200
    refused = client.get("/health", headers={"Host": "evil.example"})
    assert refused.status_code == 403 and refused.json()["error_code"] == "PERMISSION_DENIED"
    custom = make_client(allowed_hosts="mlflow.example.com,*.corp.example")
    assert custom.get("/health", headers={"Host": "mlflow.example.com"}).status_code == 200
    assert custom.get("/health", headers={"Host": "a.corp.example:80"}).status_code == 200
    assert custom.get("/health", headers={"Host": "localhost"}).status_code == 403
    bound = make_client(host="10.1.2.3")
    assert bound.get("/health", headers={"Host": "10.1.2.3:5000"}).status_code == 200


def test_cors_closed_by_default_and_open_for_configured_origins(make_client: Callable):
    origin = "https://app.example.com"
    closed = make_client()
    response = closed.get("/health", headers={"Origin": origin})
    assert "access-control-allow-origin" not in response.headers
    preflight = closed.options("/api/2.0/mlflow/experiments/create", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert "access-control-allow-origin" not in preflight.headers
    cross_write = closed.post("/api/2.0/mlflow/experiments/create", json={"name": "x"},
                              headers={"Origin": origin})  # fmt: skip
    assert cross_write.status_code == 403
    same_origin = closed.post("/api/2.0/mlflow/experiments/create", json={"name": "x"},
                              headers={"Origin": "http://localhost"})  # fmt: skip
    assert same_origin.status_code == 200
    opened = make_client(cors_allowed_origins=origin)
    response = opened.get("/health", headers={"Origin": origin})
    assert response.headers["access-control-allow-origin"] == origin
    preflight = opened.options("/api/2.0/mlflow/experiments/create", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})  # fmt: skip
    assert preflight.status_code == 200
    allowed_write = opened.post("/api/2.0/mlflow/experiments/create", json={"name": "y"},
                                headers={"Origin": origin})  # fmt: skip
    assert allowed_write.status_code == 200


def test_request_bodies_are_bounded(client):  # type: ignore[no-untyped-def]
    big = json.dumps({"name": "x", "pad": "y" * (11 * 1024 * 1024)})
    response = client.post("/api/2.0/mlflow/experiments/create", content=big,
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert response.json()["error_code"] == "INVALID_PARAMETER_VALUE"


def test_metrics_endpoint(client):  # type: ignore[no-untyped-def]
    client.post("/api/2.0/mlflow/experiments/create", json={"name": "m"})
    client.get("/api/2.0/mlflow/experiments/get", params={"experiment_id": "1"})
    client.get("/api/2.0/mlflow/experiments/get", params={"experiment_id": "9"})
    client.get("/some/random/path")
    text = client.get("/metrics").text
    assert ('mltrail_http_requests_total{route="/api/2.0/mlflow/experiments/get",method="GET",'
            'status="200"} 1') in text  # fmt: skip
    assert 'route="/api/2.0/mlflow/experiments/get",method="GET",status="404"} 1' in text
    assert 'route="unmatched"' in text and "/some/random/path" not in text
    assert "# TYPE mltrail_http_request_duration_seconds histogram" in text
    assert 'mltrail_experiments{lifecycle_stage="active"} 2' in text
    assert 'mltrail_runs{lifecycle_stage="active"} 0' in text
    assert 'mltrail_logged_models{lifecycle_stage="active"} 0' in text


def test_openapi_and_docs(client):  # type: ignore[no-untyped-def]
    document = client.get("/openapi.json").json()
    assert document["openapi"].startswith("3.")
    create = document["paths"]["/api/2.0/mlflow/experiments/create"]["post"]
    schema_name = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_name.rsplit("/", 1)[1]]
    assert schema["required"] == ["name"] and "tags" in schema["properties"]
    get_run = document["paths"]["/api/2.0/mlflow/runs/get"]["get"]
    assert {p["name"] for p in get_run["parameters"]} == {"run_id", "run_uuid"}
    assert "/api/2.0/mlflow/logged-models/{model_id}" in document["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/2.0/mlflow/runs/search" in docs.text
    assert "<script" not in docs.text and "http" not in docs.text.replace("http-equiv", "")
    assert "default-src 'none'" in docs.headers["content-security-policy"]


def test_static_prefix_serves_everything_under_it(make_client: Callable):
    client = make_client(static_prefix="/mltrail/")
    assert client.get("/mltrail/health").text == "OK"
    assert client.get("/health").status_code == 404
    created = client.post("/mltrail/api/2.0/mlflow/experiments/create", json={"name": "p"})
    assert created.status_code == 200
    assert client.get("/mltrail/version").text == "3.17.2"
    assert 'id="root"' in client.get("/mltrail/").text
    assert client.get("/api/2.0/mlflow/experiments/get",
                      params={"experiment_id": "0"}).status_code == 404  # fmt: skip


def test_artifacts_only_disables_the_tracking_api(make_client: Callable):
    client = make_client(artifacts_only=True)
    response = client.get("/api/2.0/mlflow/experiments/get", params={"experiment_id": "0"})
    assert response.status_code == 404 and "--artifacts-only" in response.json()["message"]
    assert client.get("/health").text == "OK"
