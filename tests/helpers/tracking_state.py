"""Process-wide tracking state for tests: reset it and restore the MLFLOW_* variables."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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


def reset_process_state() -> None:
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



@contextmanager
def isolated_tracking_state(tracking_uri: str, artifact_root: Path) -> Iterator[None]:
    """Track into ``tracking_uri`` with artifacts under ``artifact_root``; on exit leave no
    active run, experiment, async logger or MLFLOW_* variable behind."""
    original = {name: os.environ.pop(name, None) for name in MLFLOW_ENV_VARS}
    os.environ["MLFLOW_DEFAULT_ARTIFACT_ROOT"] = str(artifact_root)
    reset_process_state()
    mltrail.set_tracking_uri(tracking_uri)
    try:
        yield
    finally:
        reset_process_state()
        for name, value in original.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
