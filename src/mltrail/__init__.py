"""mltrail: MLflow-compatible experiment tracking. Use it as ``import mltrail as mlflow``.

Importing the package is light: databases, pandas and numpy load only when first needed.
Submodules that are not imported here (``mltrail.config``, ``mltrail.pyfunc``, ...) load on
first attribute access.
"""

from __future__ import annotations

import importlib
from typing import Any

from mltrail import entities, exceptions, tracking
from mltrail.exceptions import MlflowException
from mltrail.tracking._tracking_uri import (
    get_registry_uri,
    is_tracking_uri_set,
    set_registry_uri,
)
from mltrail.tracking.client import MlflowClient
from mltrail.tracking.fluent import (
    ActiveRun,
    active_run,
    create_experiment,
    delete_experiment,
    delete_run,
    delete_tag,
    end_run,
    flush_async_logging,
    get_artifact_uri,
    get_experiment,
    get_experiment_by_name,
    get_parent_run,
    get_run,
    get_tracking_uri,
    last_active_run,
    log_artifact,
    log_artifacts,
    log_dict,
    log_figure,
    log_image,
    log_metric,
    log_metrics,
    log_param,
    log_params,
    log_text,
    search_experiments,
    search_runs,
    set_experiment,
    set_experiment_tag,
    set_experiment_tags,
    set_tag,
    set_tags,
    set_tracking_uri,
    start_run,
)
from mltrail.tracking.model_registry_fluent import (
    register_model,
    search_model_versions,
    search_registered_models,
)

__version__ = "0.1.0"

__all__ = [
    "ActiveRun",
    "MlflowClient",
    "MlflowException",
    "__version__",
    "active_run",
    "create_experiment",
    "delete_experiment",
    "delete_run",
    "delete_tag",
    "end_run",
    "entities",
    "exceptions",
    "flush_async_logging",
    "get_artifact_uri",
    "get_experiment",
    "get_experiment_by_name",
    "get_parent_run",
    "get_registry_uri",
    "get_run",
    "get_tracking_uri",
    "is_tracking_uri_set",
    "last_active_run",
    "log_artifact",
    "log_artifacts",
    "log_dict",
    "log_figure",
    "log_image",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "log_text",
    "register_model",
    "search_experiments",
    "search_model_versions",
    "search_registered_models",
    "search_runs",
    "set_experiment",
    "set_experiment_tag",
    "set_experiment_tags",
    "set_registry_uri",
    "set_tag",
    "set_tags",
    "set_tracking_uri",
    "start_run",
    "tracking",
]


def __getattr__(name: str) -> Any:
    """Load submodules such as ``mltrail.config`` or ``mltrail.pyfunc`` on first access."""
    if name.startswith("_"):
        raise AttributeError(f"module 'mltrail' has no attribute {name!r}")
    try:
        module = importlib.import_module(f"mltrail.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"mltrail.{name}":
            raise
        raise AttributeError(f"module 'mltrail' has no attribute {name!r}") from None
    globals()[name] = module
    return module
