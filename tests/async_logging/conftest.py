"""Fixtures: the store the asynchronous logger writes to, and a clean async switch."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from async_helpers import Backend, RecordingStore, SqliteBackend, sql_store_available

from mltrail.tracking import async_logging


@pytest.fixture(params=["recording", "sqlite"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "recording":
        return RecordingStore()
    if not sql_store_available():
        pytest.skip("mltrail.store.tracking.sql.SqlTrackingStore is not written yet")
    return SqliteBackend(tmp_path)


@pytest.fixture
def fresh_switch() -> Iterator[None]:
    """Restore the process-wide async switch and its environment variable after a test."""
    saved_flag = async_logging._async_override
    saved_env = os.environ.get("MLFLOW_ENABLE_ASYNC_LOGGING")
    yield
    async_logging._async_override = saved_flag
    if saved_env is None:
        os.environ.pop("MLFLOW_ENABLE_ASYNC_LOGGING", None)
    else:
        os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] = saved_env
