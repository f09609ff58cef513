"""Pick the tracking store for a tracking URI, and keep one store per URI per process.

Supported now: SQL databases (``sqlite:``, ``postgresql[+driver]:``, ``mysql[+driver]:``) and
tracking servers (``http(s)://host:port[/prefix]``, the REST store). The classic ``./mlruns``
file store comes later; its URIs get an error that says what to use instead. Store modules
are imported only here, on first use, so ``import mltrail`` stays light.
"""

from __future__ import annotations

import os
import threading
from urllib.parse import urlparse

from mltrail.environment_variables import MLFLOW_DEFAULT_ARTIFACT_ROOT
from mltrail.exceptions import INVALID_PARAMETER_VALUE, NOT_IMPLEMENTED, MlflowException
from mltrail.store.tracking.abstract import AbstractTrackingStore

#: Database URI schemes (before any ``+driver``) handled by the SQL store.
SQL_SCHEMES = frozenset({"sqlite", "postgresql", "postgres", "mysql", "mariadb"})
_UNSUPPORTED_SQL_SCHEMES = frozenset({"mssql", "oracle"})
DEFAULT_ARTIFACT_DIR = "mlruns"

_lock = threading.Lock()
_stores: dict[str, AbstractTrackingStore] = {}


def default_artifact_root() -> str:
    """``MLFLOW_DEFAULT_ARTIFACT_ROOT`` if set, else the absolute path of ``./mlruns``."""
    return MLFLOW_DEFAULT_ARTIFACT_ROOT.get() or os.path.abspath(DEFAULT_ARTIFACT_DIR)


def _scheme(uri: str) -> str:
    scheme = urlparse(uri).scheme.lower()
    # "C:\\path" parses with scheme "c": a Windows drive letter is a plain path.
    return "" if len(scheme) == 1 else scheme


def _absolute_sqlite_uri(uri: str) -> str:
    """``sqlite:///relative.db`` made absolute, so a later ``chdir`` keeps the same database."""
    prefix = "sqlite:///"
    if not uri.startswith(prefix):
        return uri  # in-memory ("sqlite://") or already unusual: leave it to the store
    rest = uri[len(prefix) :]
    path, sep, query = rest.partition("?")
    if not path or path.startswith("/") or path == ":memory:":
        return uri
    return f"{prefix}{os.path.abspath(path)}{sep}{query}"


def _cache_key(uri: str) -> str:
    return _absolute_sqlite_uri(uri) if _scheme(uri) == "sqlite" else uri


def _file_store_error(uri: str) -> MlflowException:
    return MlflowException(
        f"Tracking URI {uri!r} points to a local directory (the classic 'mlruns' file store), "
        "which mltrail does not support yet. Use a database instead, for example "
        "mltrail.set_tracking_uri('sqlite:///mlflow.db') or MLFLOW_TRACKING_URI="
        "sqlite:///mlflow.db.",
        error_code=NOT_IMPLEMENTED,
    )


def _create_store(uri: str) -> AbstractTrackingStore:
    scheme = _scheme(uri)
    base_scheme = scheme.split("+", 1)[0]
    if base_scheme in SQL_SCHEMES:
        from mltrail.store.tracking.sql import SqlTrackingStore

        return SqlTrackingStore(uri, default_artifact_root())
    if base_scheme in _UNSUPPORTED_SQL_SCHEMES:
        raise MlflowException(
            f"Tracking URI {uri!r}: the {base_scheme!r} database is not supported. Use SQLite "
            "('sqlite:///mlflow.db'), PostgreSQL ('postgresql://user:password@host:5432/db') or "
            "MySQL/MariaDB ('mysql+pymysql://user:password@host:3306/db').",
            error_code=NOT_IMPLEMENTED,
        )
    if scheme in ("", "file"):
        raise _file_store_error(uri)
    if scheme in ("http", "https"):
        from mltrail.store.tracking.rest import RestTrackingStore

        return RestTrackingStore(uri)
    raise MlflowException(
        f"Unsupported tracking URI {uri!r}: unknown scheme {scheme!r}. Supported schemes: "
        "sqlite, postgresql, mysql (with an optional '+driver', e.g. 'mysql+pymysql'), "
        "http and https (a tracking server).",
        error_code=INVALID_PARAMETER_VALUE,
    )


def get_tracking_store(uri: str) -> AbstractTrackingStore:
    """The tracking store for ``uri``, created on first use and then reused in this process."""
    if not isinstance(uri, str) or not uri.strip():
        raise MlflowException(
            f"Invalid tracking URI {uri!r}: expected a non-empty string such as "
            "'sqlite:///mlflow.db'.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    key = _cache_key(uri)
    store = _stores.get(key)
    if store is not None:
        return store
    with _lock:
        store = _stores.get(key)
        if store is None:
            store = _create_store(key)
            _stores[key] = store
    return store


def clear_store_cache() -> None:
    """Forget every cached store (tests, or after changing ``MLFLOW_DEFAULT_ARTIFACT_ROOT``)."""
    with _lock:
        _stores.clear()
