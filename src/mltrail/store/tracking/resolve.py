"""Pick the tracking store for a tracking URI, and keep one store per URI per process.

Supported now: SQL databases (``sqlite:``, ``postgresql[+driver]:``, ``mysql[+driver]:``) and
tracking servers (``http(s)://host:port[/prefix]``, the REST store). The classic ``./mlruns``
file store comes later; its URIs get an error that says what to use instead. Store modules
are imported only here, on first use, so ``import mltrail`` stays light.
"""

from __future__ import annotations

import os

from mltrail.environment_variables import MLFLOW_DEFAULT_ARTIFACT_ROOT
from mltrail.exceptions import INVALID_PARAMETER_VALUE, NOT_IMPLEMENTED, MlflowException
from mltrail.store.tracking.abstract import AbstractTrackingStore
from mltrail.store.uri_cache import StoreCache, uri_scheme

#: Database URI schemes (before any ``+driver``) handled by the SQL store.
SQL_SCHEMES = frozenset({"sqlite", "postgresql", "postgres", "mysql", "mariadb"})
_UNSUPPORTED_SQL_SCHEMES = frozenset({"mssql", "oracle"})
DEFAULT_ARTIFACT_DIR = "mlruns"


def default_artifact_root() -> str:
    """``MLFLOW_DEFAULT_ARTIFACT_ROOT`` if set, else the absolute path of ``./mlruns``."""
    return MLFLOW_DEFAULT_ARTIFACT_ROOT.get() or os.path.abspath(DEFAULT_ARTIFACT_DIR)


def _file_store_error(uri: str) -> MlflowException:
    return MlflowException(
        f"Tracking URI {uri!r} points to a local directory (the classic 'mlruns' file store), "
        "which mltrail does not support yet. Use a database instead, for example "
        "mltrail.set_tracking_uri('sqlite:///mlflow.db') or MLFLOW_TRACKING_URI="
        "sqlite:///mlflow.db.",
        error_code=NOT_IMPLEMENTED,
    )


def _create_store(uri: str) -> AbstractTrackingStore:
    scheme = uri_scheme(uri)
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


_cache: StoreCache[AbstractTrackingStore] = StoreCache("tracking", _create_store)


def get_tracking_store(uri: str) -> AbstractTrackingStore:
    """The tracking store for ``uri``, created on first use and then reused in this process."""
    return _cache.get(uri)


def clear_store_cache() -> None:
    """Forget every cached store (tests, or after changing ``MLFLOW_DEFAULT_ARTIFACT_ROOT``)."""
    _cache.clear()
