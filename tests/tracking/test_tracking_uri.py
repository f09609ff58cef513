"""Tracking URI lookup (code, environment, default) and store resolution per URI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import mltrail
from mltrail.exceptions import INVALID_PARAMETER_VALUE, NOT_IMPLEMENTED, MlflowException
from mltrail.store.tracking.resolve import (
    clear_store_cache,
    default_artifact_root,
    get_tracking_store,
)
from mltrail.tracking import MlflowClient, get_registry_uri, set_registry_uri


def test_set_tracking_uri_wins_over_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///from-env.db")
    mltrail.set_tracking_uri("sqlite:///from-code.db")
    assert mltrail.get_tracking_uri() == "sqlite:///from-code.db"
    assert mltrail.is_tracking_uri_set()


def test_env_then_default(monkeypatch: pytest.MonkeyPatch) -> None:
    mltrail.set_tracking_uri(None)
    assert mltrail.get_tracking_uri() == "sqlite:///mlflow.db"
    assert not mltrail.is_tracking_uri_set()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///env.db")
    assert mltrail.get_tracking_uri() == "sqlite:///env.db"
    assert mltrail.is_tracking_uri_set()


def test_path_objects_become_absolute_file_uris(tmp_path: Path) -> None:
    mltrail.set_tracking_uri(Path("store"))
    assert mltrail.get_tracking_uri() == (tmp_path / "store").resolve().as_uri()


def test_set_tracking_uri_is_inherited_through_the_environment(tracking_db: str) -> None:
    assert os.environ["MLFLOW_TRACKING_URI"] == tracking_db
    mltrail.set_tracking_uri(None)
    assert "MLFLOW_TRACKING_URI" not in os.environ
    set_registry_uri("sqlite:///reg.db")
    assert os.environ["MLFLOW_REGISTRY_URI"] == "sqlite:///reg.db"
    set_registry_uri(None)
    assert "MLFLOW_REGISTRY_URI" not in os.environ


def test_default_uri_creates_mlflow_db_in_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mltrail.set_tracking_uri(None)
    monkeypatch.delenv("MLFLOW_DEFAULT_ARTIFACT_ROOT")
    assert default_artifact_root() == str(tmp_path / "mlruns")
    experiment_id = mltrail.create_experiment("default-db")
    assert (tmp_path / "mlflow.db").is_file()
    location = mltrail.get_experiment(experiment_id).artifact_location
    assert str(tmp_path / "mlruns") in location


def test_store_is_cached_per_uri(tracking_db: str, tmp_path: Path) -> None:
    first = get_tracking_store(tracking_db)
    assert get_tracking_store(tracking_db) is first
    other = get_tracking_store(f"sqlite:///{tmp_path / 'other.db'}")
    assert other is not first
    clear_store_cache()
    assert get_tracking_store(tracking_db) is not first


def test_relative_sqlite_uri_is_resolved_against_the_working_directory_of_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = get_tracking_store("sqlite:///relative.db")
    experiment_id = store.create_experiment("pinned")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    # The store made before the chdir keeps its file; the same text now means a new file.
    assert store.get_experiment(experiment_id).name == "pinned"
    assert get_tracking_store("sqlite:///relative.db") is not store
    assert MlflowClient("sqlite:///relative.db").get_experiment_by_name("pinned") is None
    assert (tmp_path / "relative.db").is_file()
    assert (tmp_path / "elsewhere" / "relative.db").is_file()


@pytest.mark.parametrize(
    "uri",
    ["./mlruns", "/tmp/some/mlruns", "file:///tmp/mlruns", "file:mlruns", "C:\\mlruns"],
)
def test_file_store_uris_explain_what_to_use(uri: str) -> None:
    with pytest.raises(MlflowException, match=r"sqlite:///mlflow\.db") as info:
        get_tracking_store(uri)
    assert info.value.error_code == NOT_IMPLEMENTED
    assert "file store" in info.value.message


@pytest.mark.parametrize("uri", ["http://localhost:5000", "https://mlflow.example.com/prefix"])
def test_rest_uris_select_the_rest_store(uri: str) -> None:
    from mltrail.store.tracking.rest import RestTrackingStore

    store = get_tracking_store(uri)
    assert isinstance(store, RestTrackingStore)
    assert store.tracking_uri == uri


def test_mssql_is_not_supported() -> None:
    with pytest.raises(MlflowException, match="not supported") as info:
        get_tracking_store("mssql+pyodbc://user:pw@host/db")
    assert info.value.error_code == NOT_IMPLEMENTED


@pytest.mark.parametrize("uri", ["ftp://host/db", "", "   "])
def test_unknown_or_empty_uris_are_invalid(uri: str) -> None:
    with pytest.raises(MlflowException) as info:
        get_tracking_store(uri)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_client_resolves_the_store_lazily_and_uses_its_own_uri(
    tracking_db: str, tmp_path: Path
) -> None:
    other_db = f"sqlite:///{tmp_path / 'other.db'}"
    client = MlflowClient(tracking_uri=other_db)
    assert client.tracking_uri == other_db
    assert client._store is None  # constructing a client opens nothing
    client.create_experiment("only-in-other")
    assert MlflowClient().get_experiment_by_name("only-in-other") is None
    assert client.get_experiment_by_name("only-in-other") is not None


def test_registry_uri_defaults_to_tracking_uri(
    tracking_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert get_registry_uri() == tracking_db
    assert mltrail.get_registry_uri() == tracking_db
    assert MlflowClient().registry_uri == tracking_db
    monkeypatch.setenv("MLFLOW_REGISTRY_URI", "sqlite:///registry-env.db")
    assert mltrail.get_registry_uri() == "sqlite:///registry-env.db"
    set_registry_uri("sqlite:///registry.db")
    assert mltrail.get_registry_uri() == "sqlite:///registry.db"
    assert MlflowClient(registry_uri="sqlite:///r2.db").registry_uri == "sqlite:///r2.db"
    assert MlflowClient().registry_uri == "sqlite:///registry.db"
