"""Which tracking and registry URIs this process uses.

Order for the tracking URI: :func:`set_tracking_uri`, then ``MLFLOW_TRACKING_URI``, then
``sqlite:///mlflow.db`` in the working directory (artifacts in ``./mlruns``), as MLflow 3 does.
The registry URI defaults to the tracking URI.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from mltrail.environment_variables import MLFLOW_REGISTRY_URI, MLFLOW_TRACKING_URI

DEFAULT_TRACKING_URI = "sqlite:///mlflow.db"

_lock = threading.Lock()
_tracking_uri: str | None = None
_registry_uri: str | None = None


def as_uri_string(uri: str | os.PathLike[str]) -> str:
    """A URI given as text, or a local path (``pathlib.Path``) as an absolute ``file:`` URI."""
    if isinstance(uri, Path | os.PathLike):
        return Path(uri).absolute().resolve().as_uri()
    if not isinstance(uri, str):
        raise TypeError(f"A tracking URI must be a string or a path, got {type(uri).__name__}.")
    return uri


def set_tracking_uri(uri: str | os.PathLike[str] | None) -> None:
    """Set the tracking server URI or database for this process.

    Examples: ``"sqlite:///mlflow.db"``, ``"postgresql://user@host/db"``,
    ``"http://localhost:5000"``. ``None`` forgets the value set before, so the default applies
    again. Like MLflow, this also sets ``MLFLOW_TRACKING_URI`` so child processes inherit it.
    """
    global _tracking_uri
    with _lock:
        _tracking_uri = None if uri is None else as_uri_string(uri)
        if _tracking_uri is None:
            MLFLOW_TRACKING_URI.unset()
        else:
            MLFLOW_TRACKING_URI.set(_tracking_uri)


def is_tracking_uri_set() -> bool:
    """True when a tracking URI was set in code or through ``MLFLOW_TRACKING_URI``."""
    return _tracking_uri is not None or bool(MLFLOW_TRACKING_URI.get())


def get_tracking_uri() -> str:
    """The current tracking URI (see the module docstring for the lookup order)."""
    if _tracking_uri is not None:
        return _tracking_uri
    return MLFLOW_TRACKING_URI.get() or DEFAULT_TRACKING_URI


def set_registry_uri(uri: str | os.PathLike[str] | None) -> None:
    """Set the model registry URI for this process (``None`` goes back to the default).

    Also sets ``MLFLOW_REGISTRY_URI`` so child processes inherit it.
    """
    global _registry_uri
    with _lock:
        _registry_uri = None if uri is None else as_uri_string(uri)
        if _registry_uri is None:
            MLFLOW_REGISTRY_URI.unset()
        else:
            MLFLOW_REGISTRY_URI.set(_registry_uri)


def explicit_registry_uri() -> str | None:
    """The registry URI set in code or in ``MLFLOW_REGISTRY_URI``; None if neither."""
    return _registry_uri if _registry_uri is not None else MLFLOW_REGISTRY_URI.get()


def get_registry_uri() -> str:
    """The registry URI: the one set in code, ``MLFLOW_REGISTRY_URI``, else the tracking URI."""
    return explicit_registry_uri() or get_tracking_uri()
