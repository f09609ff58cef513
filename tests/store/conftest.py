"""A SqlTrackingStore on a fresh database of each backend (see ``tracking_db_uri``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrail.store.tracking.sql import SqlTrackingStore


@pytest.fixture
def artifact_root(tmp_path: Path) -> Path:
    return tmp_path / "mlruns"


@pytest.fixture
def store(tracking_db_uri: str, artifact_root: Path) -> SqlTrackingStore:
    return SqlTrackingStore(tracking_db_uri, str(artifact_root))


@pytest.fixture
def sqlite_store(tmp_path: Path, artifact_root: Path) -> SqlTrackingStore:
    """SQLite only, for tests of SQLite-specific behaviour."""
    return SqlTrackingStore(f"sqlite:///{tmp_path / 'tracking.db'}", str(artifact_root))
