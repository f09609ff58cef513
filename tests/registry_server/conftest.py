"""Fixtures for the registry server tests: an in-process app (Starlette TestClient) on a fresh
SQLite database with a proxied artifact store under tmp_path."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from helpers.rest_api import Api
from mltrail.server.app import create_app
from mltrail.server.config import build_config


def _options(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "backend_store_uri": f"sqlite:///{tmp_path / 'mlflow.db'}",
        "registry_store_uri": None,
        "default_artifact_root": None,
        "serve_artifacts": True,
        "artifacts_destination": str(tmp_path / "mlartifacts"),
        "artifacts_only": False,
        "host": "127.0.0.1",
        "port": 5000,
        "allowed_hosts": None,
        "cors_allowed_origins": None,
        "static_prefix": None,
    }
    options.update(overrides)
    return options


@pytest.fixture
def make_registry_client(tmp_path: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a TestClient for a server with the given option overrides."""
    clients: list[TestClient] = []
    uris: list[str] = []

    def factory(**overrides: Any) -> TestClient:
        config = build_config(**_options(tmp_path, **overrides))
        uris.extend(u for u in (config.backend_store_uri, config.registry_store_uri) if u)
        client = TestClient(
            create_app(config), base_url="http://localhost", raise_server_exceptions=False
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
    from mltrail.store.tracking.sql.engine import dispose_database

    for uri in set(uris):
        dispose_database(uri)


@pytest.fixture
def client(make_registry_client: Callable[..., TestClient]) -> TestClient:
    return make_registry_client()


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)
