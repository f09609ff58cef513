"""Pick the registry store for a registry URI, one store per URI per process.

SQL databases get the SQL registry store (the same database as the tracking store), tracking
servers (``http(s)://``) the REST registry store. Store modules are imported on first use.
"""

from __future__ import annotations

from mltrail.exceptions import INVALID_PARAMETER_VALUE, NOT_IMPLEMENTED, MlflowException
from mltrail.store.model_registry.abstract import AbstractModelRegistryStore
from mltrail.store.uri_cache import StoreCache, uri_scheme


def _create_store(uri: str) -> AbstractModelRegistryStore:
    from mltrail.store.tracking.resolve import SQL_SCHEMES, default_artifact_root

    scheme = uri_scheme(uri)
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


_cache: StoreCache[AbstractModelRegistryStore] = StoreCache("registry", _create_store)


def get_registry_store(uri: str) -> AbstractModelRegistryStore:
    """The registry store for ``uri``, created on first use and then reused."""
    return _cache.get(uri)


def clear_registry_store_cache() -> None:
    """Forget every cached registry store (tests)."""
    _cache.clear()
