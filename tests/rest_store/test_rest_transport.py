"""The HTTP transport (mltrail.utils.rest_http) against a scripted local server: retries,
Retry-After, error mapping, auth headers, timeouts and TLS verification."""

from __future__ import annotations

import base64
import socket
import time
from pathlib import Path

import pytest
from scripted_server import Reply, ScriptedServer

from mltrail.exceptions import (
    BAD_REQUEST,
    ENDPOINT_NOT_FOUND,
    INTERNAL_ERROR,
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    UNAUTHENTICATED,
    MlflowException,
    RestException,
)
from mltrail.utils.rest_http import (
    HostCreds,
    call_endpoint,
    host_creds_from_env,
    http_request,
)

ENDPOINT = "/api/2.0/mlflow/experiments/get"


def _creds(server: ScriptedServer) -> HostCreds:
    return host_creds_from_env(server.url)


# ---- retries ----------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [503, 429, 500, 502, 504, 408])
def test_retryable_statuses_are_retried_then_succeed(
    scripted_server: ScriptedServer, status: int
) -> None:
    scripted_server.script(
        Reply(status, {"error_code": "TEMPORARILY_UNAVAILABLE"}),
        Reply(status, "<html>busy</html>"),
        Reply(200, {"experiment": {"experiment_id": "3"}}),
    )
    body = call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {"experiment_id": "3"})
    assert body == {"experiment": {"experiment_id": "3"}}
    assert len(scripted_server.received) == 3


def test_post_is_retried_too(scripted_server: ScriptedServer) -> None:
    scripted_server.script(Reply(503, "down"), Reply(200, {"experiment_id": "7"}))
    body = call_endpoint(
        _creds(scripted_server), "/api/2.0/mlflow/experiments/create", "POST", {"name": "x"}
    )
    assert body == {"experiment_id": "7"}
    assert [r.json() for r in scripted_server.received] == [{"name": "x"}, {"name": "x"}]


def test_retry_after_header_is_honoured(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted_server.script(Reply(429, "slow down", headers={"Retry-After": "1"}), Reply(200, {}))
    call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {"experiment_id": "1"})
    first, second = scripted_server.received
    assert second.at - first.at >= 0.9  # backoff factor is 0: only Retry-After made it wait


def test_exhausted_retries_keep_the_servers_json_error(scripted_server: ScriptedServer) -> None:
    error = {"error_code": "INTERNAL_ERROR", "message": "database is locked"}
    scripted_server.default = Reply(500, error)
    with pytest.raises(RestException) as caught:
        call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {"experiment_id": "1"})
    assert caught.value.error_code == INTERNAL_ERROR
    assert "database is locked" in caught.value.message
    assert len(scripted_server.received) == 3  # 1 try + MLFLOW_HTTP_REQUEST_MAX_RETRIES=2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_client_errors_are_not_retried(scripted_server: ScriptedServer, status: int) -> None:
    scripted_server.script(
        Reply(status, {"error_code": INVALID_PARAMETER_VALUE, "message": "bad name"})
    )
    started = time.monotonic()
    with pytest.raises(RestException) as caught:
        call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {"experiment_id": "x"})
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    assert caught.value.message == "INVALID_PARAMETER_VALUE: bad name"
    assert len(scripted_server.received) == 1
    assert time.monotonic() - started < 2


def test_connection_refused_fails_clearly_after_the_configured_retries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    with pytest.raises(MlflowException) as caught:
        call_endpoint(host_creds_from_env(f"http://127.0.0.1:{port}"), ENDPOINT, "GET", {})
    assert time.monotonic() - started < 5
    assert caught.value.error_code == INTERNAL_ERROR
    message = caught.value.message
    assert f"http://127.0.0.1:{port}{ENDPOINT}" in message
    assert "after 1 retries" in message
    assert "Connection refused" in message or "NewConnectionError" in message


def test_retry_settings_beyond_the_limits_are_rejected(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "11")
    with pytest.raises(MlflowException, match="MLFLOW_HTTP_REQUEST_MAX_RETRIES") as caught:
        call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "10")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "121")
    with pytest.raises(MlflowException, match="MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR"):
        call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    assert scripted_server.received == []  # rejected before anything was sent


# ---- error mapping ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "code"),
    [(404, ENDPOINT_NOT_FOUND), (400, BAD_REQUEST), (401, UNAUTHENTICATED), (405, BAD_REQUEST)],
)
def test_non_json_errors_are_mapped_from_the_status(
    scripted_server: ScriptedServer, status: int, code: str
) -> None:
    scripted_server.script(Reply(status, "<html><h1>Not Found</h1></html>"))
    with pytest.raises(RestException) as caught:
        call_endpoint(_creds(scripted_server), "/api/2.0/mlflow/nope", "POST", {})
    assert caught.value.error_code == code
    assert str(status) in caught.value.message
    assert "/api/2.0/mlflow/nope" in caught.value.message


def test_json_error_keeps_server_code_and_message(scripted_server: ScriptedServer) -> None:
    scripted_server.script(
        Reply(404, {"error_code": RESOURCE_DOES_NOT_EXIST, "message": "Run with id=abc not found"})
    )
    with pytest.raises(RestException) as caught:
        call_endpoint(_creds(scripted_server), "/api/2.0/mlflow/runs/get", "GET", {"run_id": "a"})
    assert caught.value.error_code == RESOURCE_DOES_NOT_EXIST
    assert caught.value.message == "RESOURCE_DOES_NOT_EXIST: Run with id=abc not found"
    assert caught.value.json["message"] == "Run with id=abc not found"


def test_a_200_that_is_not_json_is_an_error(scripted_server: ScriptedServer) -> None:
    scripted_server.script(Reply(200, "<html>login page</html>"))
    with pytest.raises(MlflowException, match="not a JSON object"):
        call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})


# ---- request shape ------------------------------------------------------------------------------
def test_get_sends_query_parameters_with_repeated_keys(scripted_server: ScriptedServer) -> None:
    call_endpoint(
        _creds(scripted_server),
        ENDPOINT,
        "GET",
        {"run_ids": ["a", "b"], "flag": True, "n": 5, "skipped": None},
    )
    (request,) = scripted_server.received
    assert request.method == "GET"
    assert request.query == {"run_ids": ["a", "b"], "flag": ["true"], "n": ["5"]}
    assert request.headers["user-agent"].startswith("mltrail-python-client/")


def test_post_sends_json_with_content_type(scripted_server: ScriptedServer) -> None:
    call_endpoint(_creds(scripted_server), ENDPOINT, "POST", {"value": "NaN", "n": 1})
    (request,) = scripted_server.received
    assert request.headers["content-type"] == "application/json"
    assert request.json() == {"value": "NaN", "n": 1}


def test_path_prefix_of_the_tracking_uri_is_kept(scripted_server: ScriptedServer) -> None:
    creds = host_creds_from_env(scripted_server.url + "/mlflow/")
    call_endpoint(creds, ENDPOINT, "GET", {})
    assert scripted_server.received[0].path == "/mlflow" + ENDPOINT


def test_keep_alive_reuses_one_connection(scripted_server: ScriptedServer) -> None:
    creds = _creds(scripted_server)
    for _ in range(5):
        call_endpoint(creds, ENDPOINT, "GET", {})
    assert len(scripted_server.received) == 5
    assert len({r.client_port for r in scripted_server.received}) == 1


# ---- auth ---------------------------------------------------------------------------------------
def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_basic_auth_from_env_wins_over_token(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", "alice")
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "s3cret")
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "tok")
    call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    assert scripted_server.received[0].headers["authorization"] == _basic("alice", "s3cret")


def test_bearer_token_from_env(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_TOKEN", "tok-123")
    call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    assert scripted_server.received[0].headers["authorization"] == "Bearer tok-123"


def test_no_credentials_no_authorization_header(scripted_server: ScriptedServer) -> None:
    call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    assert "authorization" not in scripted_server.received[0].headers


def test_credentials_file_is_used_and_env_wins(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "home" / ".mlflow"
    folder.mkdir(parents=True)
    (folder / "credentials").write_text(
        "[mlflow]\nmlflow_tracking_username = bob\nmlflow_tracking_password = from-file\n"
    )
    call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", "from-env")
    call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    first, second = scripted_server.received
    assert first.headers["authorization"] == _basic("bob", "from-file")
    assert second.headers["authorization"] == _basic("bob", "from-env")


def test_host_creds_repr_hides_secrets() -> None:
    creds = HostCreds("http://h", username="u", password="hunter2", token="t0k")
    assert "hunter2" not in repr(creds) and "t0k" not in repr(creds)


# ---- timeout ------------------------------------------------------------------------------------
def test_timeout_is_honoured(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "1")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    scripted_server.script(Reply(200, {}, delay=3))
    started = time.monotonic()
    with pytest.raises(MlflowException, match="timeout 1 s") as caught:
        call_endpoint(_creds(scripted_server), ENDPOINT, "GET", {})
    assert time.monotonic() - started < 2.5
    assert "Timeout" in caught.value.message or "timed out" in caught.value.message


def test_explicit_timeout_argument_wins_and_read_timeouts_are_retried(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.default = Reply(200, {}, delay=2)
    started = time.monotonic()
    with pytest.raises(MlflowException, match=r"timeout 0\.5 s"):
        http_request(_creds(scripted_server), ENDPOINT, "GET", timeout=0.5)
    assert time.monotonic() - started < 2.5
    assert len(scripted_server.received) == 3  # 1 try + 2 retries, each cut at 0.5 s


# ---- TLS ----------------------------------------------------------------------------------------
def test_host_creds_verify_option() -> None:
    assert HostCreds("https://h").verify is True
    assert HostCreds("https://h", insecure=True).verify is False
    assert HostCreds("https://h", server_cert_path="/ca.pem").verify == "/ca.pem"
    with pytest.raises(MlflowException, match="cannot both be set") as caught:
        HostCreds("https://h", insecure=True, server_cert_path="/ca.pem")
    assert caught.value.error_code == INVALID_PARAMETER_VALUE


def test_tls_env_vars_reach_host_creds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_SERVER_CERT_PATH", "/etc/ca.pem")
    monkeypatch.setenv("MLFLOW_TRACKING_CLIENT_CERT_PATH", "/etc/client.pem")
    creds = host_creds_from_env("https://h")
    assert creds.verify == "/etc/ca.pem"
    assert creds.client_cert_path == "/etc/client.pem"
    monkeypatch.delenv("MLFLOW_TRACKING_SERVER_CERT_PATH")
    monkeypatch.setenv("MLFLOW_TRACKING_INSECURE_TLS", "true")
    assert host_creds_from_env("https://h").verify is False


def test_self_signed_server_is_refused_by_default(tls_server: ScriptedServer) -> None:
    with pytest.raises(MlflowException, match=r"SSL|certificate"):
        call_endpoint(host_creds_from_env(tls_server.url), ENDPOINT, "GET", {})


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_insecure_tls_skips_verification(
    tls_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_INSECURE_TLS", "true")
    tls_server.script(Reply(200, {"ok": True}))
    assert call_endpoint(host_creds_from_env(tls_server.url), ENDPOINT, "GET", {}) == {"ok": True}


def test_server_cert_path_verifies_against_that_ca(
    tls_server: ScriptedServer,
    self_signed_cert: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_SERVER_CERT_PATH", str(self_signed_cert[0]))
    tls_server.script(Reply(200, {"ok": True}))
    assert call_endpoint(host_creds_from_env(tls_server.url), ENDPOINT, "GET", {}) == {"ok": True}
