"""What request handlers share: the settings, the open tracking store and the registry store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mltrail.server.config import ServerConfig

if TYPE_CHECKING:
    from mltrail.store.model_registry.abstract import AbstractModelRegistryStore
    from mltrail.store.tracking.sql import SqlTrackingStore
    from mltrail.store.tracking.sql.engine import Database


@dataclass
class ServerContext:
    config: ServerConfig
    store: SqlTrackingStore
    db: Database
    registry_store: AbstractModelRegistryStore | None = None


def open_context(config: ServerConfig) -> ServerContext:
    """Open (and create or migrate) the tracking database named by the config."""
    from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
    from mltrail.store.tracking.resolve import SQL_SCHEMES
    from mltrail.store.tracking.sql import SqlTrackingStore

    scheme = config.backend_store_uri.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme not in SQL_SCHEMES:
        raise MlflowException(
            f"--backend-store-uri {config.backend_store_uri!r} is not supported by the server: "
            "use a database URI such as sqlite:///mlflow.db, postgresql://user@host/db or "
            "mysql://user@host/db.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    store = SqlTrackingStore(config.backend_store_uri, config.default_artifact_root)
    return ServerContext(config, store, store._db, open_registry_store(config))


def open_registry_store(config: ServerConfig) -> AbstractModelRegistryStore:
    """The model registry on ``--registry-store-uri`` (default: the tracking database)."""
    from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
    from mltrail.store.model_registry.sql import SqlModelRegistryStore
    from mltrail.store.tracking.resolve import SQL_SCHEMES

    uri = config.registry_store_uri or config.backend_store_uri
    scheme = uri.split(":", 1)[0].split("+", 1)[0].lower()
    if scheme not in SQL_SCHEMES:
        raise MlflowException(
            f"--registry-store-uri {uri!r} is not supported by the server: use a database URI "
            "such as sqlite:///mlflow.db or postgresql://user@host/db (or leave it unset to "
            "keep the registry in the tracking database).",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return SqlModelRegistryStore(uri, config.default_artifact_root)
