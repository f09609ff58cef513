"""Fixtures for the artifact proxy tests: an S3 emulator (moto's server mode on 127.0.0.1),
fresh buckets, the proxy routes behind Starlette's TestClient or a real uvicorn server, and a
clean tracking-URI / environment state for the client-side tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from artifact_proxy_app import ThreadedUvicorn, make_test_client, proxy_app_for

from helpers.servers import free_port

#: Client-side variables a test may set; each test starts without them.
_CLIENT_ENV = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_EXPERIMENT_ID",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_RUN_ID",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",
    "MLFLOW_S3_ENDPOINT_URL",
    "MLFLOW_S3_IGNORE_TLS",
    "MLFLOW_S3_UPLOAD_EXTRA_ARGS",
    "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR",
    "AWS_PROFILE",
    "AWS_SESSION_TOKEN",
)


@pytest.fixture(autouse=True)
def clean_client_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No inherited MLflow/AWS settings; fast HTTP failures; HOME without credential files."""
    import mltrail

    for name in _CLIENT_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "30")
    mltrail.set_tracking_uri(None)
    yield
    reset_tracking_state()


def reset_tracking_state() -> None:
    """Forget the tracking URI, active experiment and cached stores a test left behind (and
    the ``MLFLOW_EXPERIMENT_ID`` that ``set_experiment`` exports to child processes)."""
    import os

    import mltrail
    from mltrail.store.tracking.resolve import clear_store_cache
    from mltrail.tracking import _active_experiment

    while mltrail.active_run() is not None:
        mltrail.end_run()
    _active_experiment.reset_active_experiment()
    for name in ("MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID"):
        os.environ.pop(name, None)
    mltrail.set_tracking_uri(None)
    clear_store_cache()


# ---- S3 emulator ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """moto's S3 server on a free port of 127.0.0.1 (one per xdist worker)."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point boto3 at the emulator with dummy credentials; returns the endpoint URL."""
    monkeypatch.setenv("MLFLOW_S3_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    return moto_endpoint


@pytest.fixture
def s3_bucket(s3_env: str) -> str:
    """A new, empty bucket in the emulator."""
    from mltrail.store.artifacts.s3 import s3_client

    bucket = f"mltrail-{uuid.uuid4().hex[:16]}"
    s3_client().create_bucket(Bucket=bucket)
    return bucket


# ---- the proxy in front of a destination --------------------------------------------------
@pytest.fixture(params=["local", "s3"])
def destination(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """``--artifacts-destination``: a local directory, or ``s3://<new bucket>/proxy-root``."""
    if request.param == "local":
        return str(tmp_path / "mlartifacts")
    bucket = request.getfixturevalue("s3_bucket")
    return f"s3://{bucket}/proxy-root"


@pytest.fixture
def proxy_client(destination: str) -> Iterator[Any]:
    """Starlette's TestClient over the proxy routes for ``destination``."""
    with make_test_client(proxy_app_for(destination)) as client:
        yield client


@pytest.fixture
def proxy_server(destination: str) -> Iterator[ThreadedUvicorn]:
    """A real HTTP server (uvicorn) running the proxy routes for ``destination``."""
    with ThreadedUvicorn(proxy_app_for(destination)) as server:
        yield server
