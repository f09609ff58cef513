"""Process-wide settings, as ``mlflow.config``: tracking/registry URIs, asynchronous logging,
and the system-metrics switches.

Importing this module is cheap: the tracking functions are imported when first called.
"""

from __future__ import annotations

import os
from typing import Any

from mltrail.environment_variables import (
    MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING,
    EnvironmentVariable,
)

MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL = EnvironmentVariable(
    "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL", float, None
)
MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING = EnvironmentVariable(
    "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING", int, None
)
MLFLOW_SYSTEM_METRICS_NODE_ID = EnvironmentVariable("MLFLOW_SYSTEM_METRICS_NODE_ID", str, None)

__all__ = [
    "disable_async_logging",
    "disable_system_metrics_logging",
    "enable_async_logging",
    "enable_system_metrics_logging",
    "get_registry_uri",
    "get_tracking_uri",
    "is_tracking_uri_set",
    "set_registry_uri",
    "set_system_metrics_node_id",
    "set_system_metrics_samples_before_logging",
    "set_system_metrics_sampling_interval",
    "set_tracking_uri",
]


# ---- asynchronous logging --------------------------------------------------------------------
def enable_async_logging(enable: bool = True) -> None:
    """Log metrics, params and tags from a background thread (``False`` turns it off).

    Same as ``MLFLOW_ENABLE_ASYNC_LOGGING=true``. Logging calls then return at once; their data
    is written in batches, and failures surface at ``end_run`` or the next ``wait()``.
    """
    from mltrail.tracking.async_logging import set_async_logging_enabled

    set_async_logging_enabled(enable)


def disable_async_logging() -> None:
    """Log synchronously again (mltrail shorthand for ``enable_async_logging(False)``)."""
    enable_async_logging(False)


# ---- tracking and registry URIs ------------------------------------------------------------
def set_tracking_uri(uri: str | os.PathLike[str] | None) -> None:
    """Set the tracking URI for this process (see :func:`mltrail.set_tracking_uri`)."""
    from mltrail.tracking import set_tracking_uri as set_uri

    set_uri(uri)


def get_tracking_uri() -> str:
    """The tracking URI in use (see :func:`mltrail.get_tracking_uri`)."""
    from mltrail.tracking import get_tracking_uri as get_uri

    return get_uri()


def is_tracking_uri_set() -> bool:
    """True when a tracking URI was set in code or through ``MLFLOW_TRACKING_URI``."""
    from mltrail.tracking import is_tracking_uri_set as is_set

    return is_set()


def set_registry_uri(uri: str | os.PathLike[str] | None) -> None:
    """Set the model registry URI for this process."""
    from mltrail.tracking import set_registry_uri as set_uri

    set_uri(uri)


def get_registry_uri() -> str:
    """The registry URI in use (defaults to the tracking URI)."""
    from mltrail.tracking import get_registry_uri as get_uri

    return get_uri()


# ---- system metrics (switches only) --------------------------------------------------------
# mltrail does not collect system metrics (CPU, GPU, memory); these record the settings, in
# the same environment variables as MLflow, so code that sets them keeps working.


def enable_system_metrics_logging() -> None:
    """Record that system metrics logging is on. mltrail does not collect system metrics; the
    switch is kept (``MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING``) for compatibility only."""
    MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING.set("true")


def disable_system_metrics_logging() -> None:
    """Record that system metrics logging is off (mltrail does not collect them anyway)."""
    MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING.set("false")


def is_system_metrics_logging_enabled() -> bool:
    """The recorded switch (see :func:`enable_system_metrics_logging`)."""
    return bool(MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING.get())


def set_system_metrics_sampling_interval(interval: float | None) -> None:
    """Record the sampling interval in seconds (``None`` resets it). Not used by mltrail."""
    _set_or_unset(MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL, interval)


def set_system_metrics_samples_before_logging(samples: int | None) -> None:
    """Record how many samples go into one logged point (``None`` resets). Not used."""
    _set_or_unset(MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING, samples)


def set_system_metrics_node_id(node_id: str | None) -> None:
    """Record the node id of this machine (``None`` resets). Not used by mltrail."""
    _set_or_unset(MLFLOW_SYSTEM_METRICS_NODE_ID, node_id)


def _set_or_unset(variable: EnvironmentVariable[Any], value: object) -> None:
    if value is None:
        variable.unset()
    else:
        variable.set(value)
