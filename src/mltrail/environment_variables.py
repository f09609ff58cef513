"""Environment variables mltrail honours, named as in MLflow (``MLFLOW_*``).

Each one is an :class:`EnvironmentVariable` that knows its name, type and default::

    from mltrail.environment_variables import MLFLOW_TRACKING_URI
    MLFLOW_TRACKING_URI.get()        # the value, converted, or the default
    MLFLOW_TRACKING_URI.set("sqlite:///mlflow.db")
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

_TRUE = ("true", "1")
_FALSE = ("false", "0")


class EnvironmentVariable(Generic[T]):
    """One environment variable: ``get()`` converts the raw string with ``type_``."""

    def __init__(self, name: str, type_: Callable[[str], T], default: T | None) -> None:
        self.name = name
        self.type = type_
        self.default = default

    @property
    def defined(self) -> bool:
        return self.name in os.environ

    def is_set(self) -> bool:
        """True when the variable is present in the environment (even if empty)."""
        return self.defined

    def get_raw(self) -> str | None:
        return os.environ.get(self.name)

    def get(self) -> T | None:
        raw = os.environ.get(self.name)
        if raw is None:
            return self.default
        try:
            return self.type(raw)
        except Exception as exc:
            raise ValueError(
                f"Environment variable {self.name}={raw!r} is not a valid "
                f"{getattr(self.type, '__name__', self.type)}: {exc}"
            ) from None

    def set(self, value: Any) -> None:
        os.environ[self.name] = str(value)

    def unset(self) -> None:
        os.environ.pop(self.name, None)

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, default={self.default!r})"

    def __format__(self, format_spec: str) -> str:
        return self.name.__format__(format_spec)


def _parse_bool(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected one of 'true', 'false', '1' or '0'")


class BooleanEnvironmentVariable(EnvironmentVariable[bool]):
    """A true/false variable: accepts ``true``/``false``/``1``/``0`` in any case."""

    def __init__(self, name: str, default: bool) -> None:
        super().__init__(name, _parse_bool, default)

    def get(self) -> bool:
        raw = os.environ.get(self.name)
        if raw is None:
            return bool(self.default)
        try:
            return _parse_bool(raw)
        except ValueError:
            raise ValueError(
                f"Environment variable {self.name}={raw!r} must be 'true', 'false', '1' or '0'."
            ) from None


# ---- where data goes -------------------------------------------------------------------------
MLFLOW_TRACKING_URI = EnvironmentVariable("MLFLOW_TRACKING_URI", str, None)
MLFLOW_REGISTRY_URI = EnvironmentVariable("MLFLOW_REGISTRY_URI", str, None)
MLFLOW_DEFAULT_ARTIFACT_ROOT = EnvironmentVariable("MLFLOW_DEFAULT_ARTIFACT_ROOT", str, None)
MLFLOW_ARTIFACT_LOCATION_MAX_LENGTH = EnvironmentVariable(
    "MLFLOW_ARTIFACT_LOCATION_MAX_LENGTH", int, 2048
)

# ---- which experiment and run ----------------------------------------------------------------
MLFLOW_EXPERIMENT_NAME = EnvironmentVariable("MLFLOW_EXPERIMENT_NAME", str, None)
MLFLOW_EXPERIMENT_ID = EnvironmentVariable("MLFLOW_EXPERIMENT_ID", str, None)
MLFLOW_RUN_ID = EnvironmentVariable("MLFLOW_RUN_ID", str, None)
#: JSON object of extra tags added to every new run.
MLFLOW_RUN_CONTEXT = EnvironmentVariable("MLFLOW_RUN_CONTEXT", str, None)

# ---- identity and transport (REST) -----------------------------------------------------------
MLFLOW_TRACKING_USERNAME = EnvironmentVariable("MLFLOW_TRACKING_USERNAME", str, None)
MLFLOW_TRACKING_PASSWORD = EnvironmentVariable("MLFLOW_TRACKING_PASSWORD", str, None)
MLFLOW_TRACKING_TOKEN = EnvironmentVariable("MLFLOW_TRACKING_TOKEN", str, None)
MLFLOW_TRACKING_INSECURE_TLS = BooleanEnvironmentVariable("MLFLOW_TRACKING_INSECURE_TLS", False)
MLFLOW_TRACKING_SERVER_CERT_PATH = EnvironmentVariable(
    "MLFLOW_TRACKING_SERVER_CERT_PATH", str, None
)
MLFLOW_TRACKING_CLIENT_CERT_PATH = EnvironmentVariable(
    "MLFLOW_TRACKING_CLIENT_CERT_PATH", str, None
)
MLFLOW_HTTP_REQUEST_TIMEOUT = EnvironmentVariable("MLFLOW_HTTP_REQUEST_TIMEOUT", int, 120)
MLFLOW_HTTP_REQUEST_MAX_RETRIES = EnvironmentVariable("MLFLOW_HTTP_REQUEST_MAX_RETRIES", int, 7)
MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR = EnvironmentVariable(
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", int, 2
)
MLFLOW_HTTP_REQUEST_BACKOFF_JITTER = EnvironmentVariable(
    "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", float, 1.0
)

# ---- logging behaviour -----------------------------------------------------------------------
MLFLOW_ENABLE_ASYNC_LOGGING = BooleanEnvironmentVariable("MLFLOW_ENABLE_ASYNC_LOGGING", False)
#: False refuses to load models whose files run code when loaded (pickle, cloudpickle).
MLFLOW_ALLOW_PICKLE_DESERIALIZATION = BooleanEnvironmentVariable(
    "MLFLOW_ALLOW_PICKLE_DESERIALIZATION", True
)
MLFLOW_ASYNC_LOGGING_THREADPOOL_SIZE = EnvironmentVariable(
    "MLFLOW_ASYNC_LOGGING_THREADPOOL_SIZE", int, None
)
MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING = BooleanEnvironmentVariable(
    "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING", False
)
#: When true (the default) over-long param and tag values are truncated instead of rejected.
MLFLOW_TRUNCATE_LONG_VALUES = BooleanEnvironmentVariable("MLFLOW_TRUNCATE_LONG_VALUES", True)
