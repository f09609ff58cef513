"""The SQL model registry store: the registry tables in the tracking database."""

from mltrail.store.model_registry.sql.store import SqlModelRegistryStore

__all__ = ["SqlModelRegistryStore"]
