"""Tracking: ``MlflowClient``, the fluent API and which tracking URI to use.

Importing this package is light; stores (and SQLAlchemy) load when first used.
"""

from mltrail.tracking._tracking_uri import (
    get_registry_uri,
    get_tracking_uri,
    is_tracking_uri_set,
    set_registry_uri,
    set_tracking_uri,
)
from mltrail.tracking.client import MlflowClient


def _get_store():  # type: ignore[no-untyped-def]
    """The tracking store for the current tracking URI (MLflow's private helper)."""
    from mltrail.store.tracking.resolve import get_tracking_store

    return get_tracking_store(get_tracking_uri())


__all__ = [
    "MlflowClient",
    "get_registry_uri",
    "get_tracking_uri",
    "is_tracking_uri_set",
    "set_registry_uri",
    "set_tracking_uri",
]
