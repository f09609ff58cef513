"""Every tracking test gets its own SQLite database and artifact root under tmp_path, and
leaves no active run, active experiment, async logger or environment variable behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.tracking_state import MLFLOW_ENV_VARS, isolated_tracking_state

__all__ = ["MLFLOW_ENV_VARS"]


@pytest.fixture
def tracking_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mlflow.db'}"


@pytest.fixture
def artifact_root(tmp_path: Path) -> Path:
    return tmp_path / "artifacts"


@pytest.fixture(autouse=True)
def isolated_tracking(
    tmp_path: Path, tracking_db: str, artifact_root: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    with isolated_tracking_state(tracking_db, artifact_root):
        yield
        monkeypatch.undo()  # the test's own setenv calls, before the originals come back
