"""What ``import mltrail`` exposes, and that importing it stays light."""

from __future__ import annotations

import subprocess
import sys

import mltrail
from mltrail.environment_variables import (
    MLFLOW_ENABLE_ASYNC_LOGGING,
    MLFLOW_EXPERIMENT_NAME,
    MLFLOW_TRACKING_URI,
)

HEAVY_MODULES = ("sqlalchemy", "pandas", "numpy", "yaml", "alembic", "click", "matplotlib", "PIL")


def test_import_mltrail_loads_no_heavy_module() -> None:
    code = (
        "import sys, mltrail, mltrail.client, mltrail.tracking\n"
        "mltrail.MlflowClient()\n"  # constructing a client opens no store
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY_MODULES!r}]\n"
        "stores = [m for m in sys.modules if m.startswith('mltrail.store.tracking.sql')]\n"
        "print(heavy, stores)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] []"


def test_every_name_in_all_exists() -> None:
    for name in mltrail.__all__:
        assert hasattr(mltrail, name), name
    expected = {
        "start_run", "end_run", "active_run", "last_active_run", "log_param", "log_params",
        "log_metric", "log_metrics", "set_tag", "set_tags", "delete_tag", "log_artifact",
        "log_artifacts", "log_text", "log_dict", "log_figure", "log_image", "get_artifact_uri",
        "search_runs", "get_run", "delete_run", "set_experiment", "create_experiment",
        "get_experiment", "get_experiment_by_name", "delete_experiment", "search_experiments",
        "set_experiment_tag", "set_experiment_tags", "set_tracking_uri", "get_tracking_uri",
        "get_registry_uri", "set_registry_uri", "MlflowClient", "ActiveRun", "MlflowException",
        "get_parent_run", "flush_async_logging", "is_tracking_uri_set",
    }  # fmt: skip
    assert expected <= set(mltrail.__all__)


def test_reexports() -> None:
    from mltrail.exceptions import MlflowException

    assert mltrail.MlflowException is MlflowException
    assert mltrail.entities.Run is not None
    assert mltrail.tracking.MlflowClient is mltrail.MlflowClient
    assert isinstance(mltrail.__version__, str)


def test_submodules_load_lazily() -> None:
    assert mltrail.config.enable_async_logging is not None
    try:
        mltrail.no_such_module  # noqa: B018
    except AttributeError as exc:
        assert "no_such_module" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_environment_variables(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    assert str(MLFLOW_TRACKING_URI) == "MLFLOW_TRACKING_URI"
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "x")
    assert MLFLOW_EXPERIMENT_NAME.get() == "x" and MLFLOW_EXPERIMENT_NAME.defined
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_LOGGING", "TRUE")
    assert MLFLOW_ENABLE_ASYNC_LOGGING.get() is True
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_LOGGING", "0")
    assert MLFLOW_ENABLE_ASYNC_LOGGING.get() is False
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_LOGGING", "maybe")
    try:
        MLFLOW_ENABLE_ASYNC_LOGGING.get()
    except ValueError as exc:
        assert "MLFLOW_ENABLE_ASYNC_LOGGING" in str(exc)
    else:
        raise AssertionError("expected ValueError")
    monkeypatch.delenv("MLFLOW_ENABLE_ASYNC_LOGGING")
    assert MLFLOW_ENABLE_ASYNC_LOGGING.get() is False
