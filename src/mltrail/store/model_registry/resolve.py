"""Pick the registry store for a registry URI, one store per URI per process.

SQL databases get the SQL registry store (the same database as the tracking store), tracking
servers (``http(s)://``) the REST registry store. Store modules are imported on first use.
"""

from __future__ import annotations

import threading
from urllib.parse import urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, NOT_IMPLEMENTED, MlflowException
from mltrail.store.model_registry.abstract import AbstractModelRegistryStore

_lock = threading.Lock()
_stores: dict[str, AbstractModelRegistryStore] = {}


def _create_store(uri: str) -> AbstractModelRegistryStore:
    from mltrail.store.tracking.resolve import SQL_SCHEMES, default_artifact_root

    scheme = urlparse(uri).scheme.lower()
    scheme = "" if len(scheme) == 1 else scheme
    if scheme.split("+", 1)[0] in SQL_SCHEMES:
        from mltrail.store.model_registry.sql import SqlModelRegistryStore

        return SqlModelRegistryStore(uri, default_artifact_root())
    if scheme in ("http", "https"):
        from mltrail.store.model_registry.rest import RestModelRegistryStore

        return RestModelRegistryStore(uri)
    if scheme in ("", "file"):
        raise MlflowException(
            f"Registry URI {uri!r} points to a local directory, which mltrail's model registry "
            "does not support. Use a database (mltrail.set_registry_uri('sqlite:///mlflow.db')) "
            "or a tracking server (http://host:5000).",
            error_code=NOT_IMPLEMENTED,
        )
    raise MlflowException(
        f"Unsupported registry URI {uri!r}: unknown scheme {scheme!r}. Supported: sqlite, "
        "postgresql, mysql and http(s) (a tracking server).",
        error_code=INVALID_PARAMETER_VALUE,
    )


def get_registry_store(uri: str) -> AbstractModelRegistryStore:
    """The registry store for ``uri``, created on first use and then reused."""
    from mltrail.store.tracking.resolve import _cache_key

    if not isinstance(uri, str) or not uri.strip():
        raise MlflowException(
            f"Invalid registry URI {uri!r}: expected a non-empty string such as "
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


def clear_registry_store_cache() -> None:
    """Forget every cached registry store (tests)."""
    with _lock:
        _stores.clear()
