"""Fixtures for the REST store tests: a scripted local HTTP(S) server, clean process state,
and a real tracking server (MLflow 3.17.2's or mltrail's) to talk to."""

from __future__ import annotations

import os
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from scripted_server import ScriptedServer

import mltrail
from helpers.fixtures import mlflow_server, mltrail_server  # noqa: F401
from helpers.servers import ServerHandle
from helpers.tracking_state import reset_process_state

#: Client-side variables a test may set; each test starts without them.
CLIENT_ENV_VARS = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_EXPERIMENT_ID",
    "MLFLOW_RUN_ID",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_TRACKING_INSECURE_TLS",
    "MLFLOW_TRACKING_SERVER_CERT_PATH",
    "MLFLOW_TRACKING_CLIENT_CERT_PATH",
    "MLFLOW_HTTP_REQUEST_TIMEOUT",
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR",
    "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER",
    "MLFLOW_ENABLE_ASYNC_LOGGING",
)


@pytest.fixture(autouse=True)
def clean_client_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No MLflow variables, fast retries, HOME in tmp_path (no real credentials file)."""
    for name in CLIENT_ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0")
    monkeypatch.chdir(tmp_path)
    reset_process_state()
    yield
    reset_process_state()


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def self_signed_cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A certificate (and key) for 127.0.0.1, made with the openssl command."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    # fmt: off
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )
    # fmt: on
    return cert, key


@pytest.fixture
def tls_server(self_signed_cert: tuple[Path, Path]) -> Iterator[ScriptedServer]:
    cert, key = self_signed_cert
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ScriptedServer(context)
    yield server
    server.close()


# ---- real tracking servers --------------------------------------------------------------------
@pytest.fixture(scope="module", params=["mlflow", "mltrail"])
def tracking_server(request: pytest.FixtureRequest) -> ServerHandle:
    """The real MLflow 3.17.2 server, then mltrail's: the same tests run against both."""
    return request.getfixturevalue(f"{request.param}_server")


@pytest.fixture
def server_uri(tracking_server: ServerHandle) -> Iterator[str]:
    """The server's URL, set as the tracking URI (``set_tracking_uri``)."""
    mltrail.set_tracking_uri(tracking_server.url)
    yield tracking_server.url
    os.environ.pop("MLFLOW_TRACKING_URI", None)
