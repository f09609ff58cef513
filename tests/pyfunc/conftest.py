"""Fixtures for pyfunc tests: an importable module of custom models (shared with the real
MLflow process) and an isolated SQLite tracking store per test."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from custom_model_sources import LOADER_MODULE, LOADER_SOURCE, MODELS_MODULE, MODELS_SOURCE

import mltrail
from mltrail.store.tracking.resolve import clear_store_cache
from mltrail.tracking import _active_experiment
from mltrail.tracking.active_run import reset_thread_runs, run_stack


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A directory on sys.path holding the custom-model and loader modules."""
    directory = tmp_path_factory.mktemp("pyfunc_modules")
    (directory / f"{MODELS_MODULE}.py").write_text(MODELS_SOURCE, encoding="utf-8")
    (directory / f"{LOADER_MODULE}.py").write_text(LOADER_SOURCE, encoding="utf-8")
    sys.path.insert(0, str(directory))
    yield directory
    sys.path.remove(str(directory))


@pytest.fixture
def models(models_dir: Path) -> ModuleType:
    import importlib

    return importlib.import_module(MODELS_MODULE)


@pytest.fixture
def artifacts(tmp_path: Path) -> dict[str, str]:
    """A file artifact ('factor' = 3) and a directory artifact ('folder' with two files)."""
    factor = tmp_path / "inputs" / "factor.txt"
    factor.parent.mkdir()
    factor.write_text("3", encoding="utf-8")
    folder = tmp_path / "inputs" / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text("a", encoding="utf-8")
    (folder / "b.txt").write_text("bb", encoding="utf-8")
    return {"factor": str(factor), "folder": str(folder)}


def _reset_tracking() -> None:
    while run_stack():
        try:
            mltrail.end_run()
        except Exception:
            run_stack().pop()
    reset_thread_runs()
    _active_experiment.reset_active_experiment()
    mltrail.set_tracking_uri(None)
    clear_store_cache()


@pytest.fixture
def tracking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh SQLite tracking store with its artifact root under tmp_path."""
    for name in (
        "MLFLOW_TRACKING_URI",
        "MLFLOW_EXPERIMENT_NAME",
        "MLFLOW_EXPERIMENT_ID",
        "MLFLOW_RUN_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLFLOW_DEFAULT_ARTIFACT_ROOT", str(tmp_path / "mlartifacts"))
    monkeypatch.chdir(tmp_path)
    _reset_tracking()
    uri = f"sqlite:///{tmp_path / 'tracking.db'}"
    mltrail.set_tracking_uri(uri)
    yield uri
    _reset_tracking()
    os.environ.pop("MLFLOW_TRACKING_URI", None)
