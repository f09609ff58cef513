"""Every tracking test gets its own SQLite database and artifact root under tmp_path, and
leaves no active run, active experiment, async logger or environment variable behind."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import mltrail
from mltrail.store.tracking.resolve import clear_store_cache
from mltrail.tracking import _active_experiment, _async_loggers, async_logging
from mltrail.tracking._tracking_uri import set_registry_uri
from mltrail.tracking.active_run import reset_thread_runs, run_stack

MLFLOW_ENV_VARS = (
    "MLFLOW_TRACKING_URI",
    "MLFLOW_REGISTRY_URI",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_EXPERIMENT_ID",
    "MLFLOW_RUN_ID",
    "MLFLOW_RUN_CONTEXT",
    "MLFLOW_ENABLE_ASYNC_LOGGING",
    "MLFLOW_TRACKING_USERNAME",
    "MLFLOW_DEFAULT_ARTIFACT_ROOT",
    "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING",
)


def _reset_process_state() -> None:
    while run_stack():
        try:
            mltrail.end_run()
        except Exception:
            run_stack().pop()
    reset_thread_runs()
    _active_experiment.reset_active_experiment()
    try:
        _async_loggers.shutdown_all()
    except Exception:
        pass
    async_logging._async_override = None  # no public reset: back to "read the env var"
    mltrail.set_tracking_uri(None)
    set_registry_uri(None)
    clear_store_cache()


@pytest.fixture
def tracking_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mlflow.db'}"


@pytest.fixture
def artifact_root(tmp_path: Path) -> Path:
    return tmp_path / "artifacts"


@pytest.fixture(autouse=True)
def isolated_tracking(
    tmp_path: Path, tracking_db: str, artifact_root: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    original = {name: os.environ.pop(name, None) for name in MLFLOW_ENV_VARS}
    monkeypatch.chdir(tmp_path)
    os.environ["MLFLOW_DEFAULT_ARTIFACT_ROOT"] = str(artifact_root)
    _reset_process_state()
    mltrail.set_tracking_uri(tracking_db)
    yield
    _reset_process_state()
    monkeypatch.undo()  # the test's own setenv calls, before we restore the originals
    for name, value in original.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
