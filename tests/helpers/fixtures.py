"""Pytest fixtures built on ``helpers.servers``.

Use them from a test module or conftest with
``from helpers.fixtures import mltrail_server, mlflow_server  # noqa: F401``.
Each server is module-scoped (one per test module and xdist worker) and stopped by pid.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from helpers.servers import ServerHandle, start_mlflow_server, start_mltrail_server


@pytest.fixture(scope="module")
def mltrail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """A ``mltrail server`` on SQLite with proxied artifacts, shared by one test module."""
    with start_mltrail_server(tmp_path_factory.mktemp("mltrail-server")) as server:
        yield server


@pytest.fixture(scope="module")
def mlflow_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    """The real MLflow 3.17.2 server on SQLite, shared by one test module."""
    with start_mlflow_server(tmp_path_factory.mktemp("mlflow-server")) as server:
        yield server
