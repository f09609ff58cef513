"""What request handlers share: the settings and the open tracking store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mltrail.server.config import ServerConfig

if TYPE_CHECKING:
    from mltrail.store.tracking.sql import SqlTrackingStore
    from mltrail.store.tracking.sql.engine import Database


@dataclass
class ServerContext:
    config: ServerConfig
    store: SqlTrackingStore
    db: Database


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
    return ServerContext(config, store, store._db)
