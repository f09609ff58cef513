"""MlflowClient experiment API on a real SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrail import MlflowClient
from mltrail.client import MlflowClient as ClientFromClientModule
from mltrail.entities import Experiment, LifecycleStage, ViewType
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.tracking import MlflowClient as ClientFromTracking


def test_client_is_importable_from_all_mlflow_paths() -> None:
    assert MlflowClient is ClientFromClientModule is ClientFromTracking


def test_create_get_and_get_by_name(artifact_root: Path) -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment("exp", tags={"team": "ml", "version": 2})
    assert isinstance(experiment_id, str) and experiment_id.isdigit()
    experiment = client.get_experiment(experiment_id)
    assert isinstance(experiment, Experiment)
    assert experiment.name == "exp"
    assert experiment.lifecycle_stage == LifecycleStage.ACTIVE
    assert experiment.tags == {"team": "ml", "version": "2"}
    assert str(artifact_root) in experiment.artifact_location
    assert experiment.artifact_location.rstrip("/").endswith(experiment_id)
    assert client.get_experiment_by_name("exp") == experiment
    assert client.get_experiment(int(experiment_id)).name == "exp"  # type: ignore[arg-type]
    assert client.get_experiment_by_name("missing") is None


def test_default_experiment_exists() -> None:
    default = MlflowClient().get_experiment("0")
    assert default.name == "Default"


def test_explicit_artifact_location(tmp_path: Path) -> None:
    client = MlflowClient()
    location = str(tmp_path / "custom")
    experiment_id = client.create_experiment("custom", artifact_location=location)
    assert client.get_experiment(experiment_id).artifact_location.endswith("custom")


def test_duplicate_name_even_when_deleted() -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment("dup")
    with pytest.raises(MlflowException) as info:
        client.create_experiment("dup")
    assert info.value.error_code == RESOURCE_ALREADY_EXISTS
    client.delete_experiment(experiment_id)
    with pytest.raises(MlflowException) as info:
        client.create_experiment("dup")
    assert info.value.error_code == RESOURCE_ALREADY_EXISTS


def test_delete_restore_rename() -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment("old")
    client.delete_experiment(experiment_id)
    deleted = client.get_experiment(experiment_id)
    assert deleted.lifecycle_stage == LifecycleStage.DELETED
    assert client.get_experiment_by_name("old") == deleted
    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == LifecycleStage.ACTIVE
    client.rename_experiment(experiment_id, "new")
    assert client.get_experiment(experiment_id).name == "new"
    assert client.get_experiment_by_name("old") is None


def test_experiment_tags() -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment("tagged")
    client.set_experiment_tag(experiment_id, "k", 1.5)
    assert client.get_experiment(experiment_id).tags == {"k": "1.5"}
    client.delete_experiment_tag(experiment_id, "k")
    assert client.get_experiment(experiment_id).tags == {}
    with pytest.raises(MlflowException) as info:
        client.delete_experiment_tag(experiment_id, "k")
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST


@pytest.mark.parametrize("bad_id", ["999999", "abc"])
def test_unknown_or_malformed_experiment_id(bad_id: str) -> None:
    with pytest.raises(MlflowException) as info:
        MlflowClient().get_experiment(bad_id)
    expected = RESOURCE_DOES_NOT_EXIST if bad_id.isdigit() else INVALID_PARAMETER_VALUE
    assert info.value.error_code == expected


def test_experiment_id_of_wrong_type() -> None:
    with pytest.raises(MlflowException) as info:
        MlflowClient().get_experiment(1.5)  # type: ignore[arg-type]
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_search_experiments_filters_orders_and_pages() -> None:
    client = MlflowClient()
    ids = [client.create_experiment(f"search-{i}", tags={"i": str(i)}) for i in range(5)]
    client.delete_experiment(ids[0])

    active = client.search_experiments()
    assert {e.name for e in active} == {"Default"} | {f"search-{i}" for i in range(1, 5)}
    deleted = client.search_experiments(view_type=ViewType.DELETED_ONLY)
    assert [e.experiment_id for e in deleted] == [ids[0]]
    assert len(client.search_experiments(view_type=ViewType.ALL)) == 6

    found = client.search_experiments(filter_string="name LIKE 'search-%'", order_by=["name DESC"])
    assert [e.name for e in found] == ["search-4", "search-3", "search-2", "search-1"]
    assert client.search_experiments(filter_string="tags.i = '3'")[0].experiment_id == ids[3]

    pages, token = [], None
    while True:
        page = client.search_experiments(
            max_results=2, order_by=["name ASC"], page_token=token, filter_string="name LIKE 's%'"
        )
        pages.append([e.name for e in page])
        token = page.token
        if not token:
            break
    assert pages == [["search-1", "search-2"], ["search-3", "search-4"]]


def test_malformed_experiment_filter() -> None:
    with pytest.raises(MlflowException) as info:
        MlflowClient().search_experiments(filter_string="name = 'a' OR name = 'b'")
    assert info.value.error_code == INVALID_PARAMETER_VALUE
