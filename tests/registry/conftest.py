"""A tracking store and a registry store on the same fresh database of each backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrail.store.model_registry.sql import SqlModelRegistryStore
from mltrail.store.tracking.sql import SqlTrackingStore


@pytest.fixture
def artifact_root(tmp_path: Path) -> Path:
    return tmp_path / "mlruns"


@pytest.fixture
def tracking(tracking_db_uri: str, artifact_root: Path) -> SqlTrackingStore:
    return SqlTrackingStore(tracking_db_uri, str(artifact_root))


@pytest.fixture
def registry(
    tracking: SqlTrackingStore, tracking_db_uri: str, artifact_root: Path
) -> SqlModelRegistryStore:
    return SqlModelRegistryStore(tracking_db_uri, str(artifact_root))
