"""Experiments in the SQL store: create, get, rename, delete/restore, tags, search."""

from __future__ import annotations

from pathlib import Path

import pytest

from mltrail.entities import ExperimentTag, LifecycleStage, RunTag, ViewType
from mltrail.exceptions import (
    BAD_REQUEST,
    INVALID_PARAMETER_VALUE,
    INVALID_STATE,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.tracking.sql import SqlTrackingStore


def error_code(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(MlflowException) as info:
        call(*args, **kwargs)
    return info.value.error_code


def test_default_experiment_exists_from_the_start(store: SqlTrackingStore, artifact_root: Path):
    default = store.get_experiment("0")
    assert default.name == "Default"
    assert default.lifecycle_stage == LifecycleStage.ACTIVE
    assert default.artifact_location == f"{artifact_root}/0"
    assert store.get_experiment_by_name("Default").experiment_id == "0"


def test_create_allocates_increasing_ids_with_tags(store: SqlTrackingStore, artifact_root: Path):
    first = store.create_experiment("first", tags=[ExperimentTag("team", "core")])
    second = store.create_experiment("second")
    assert (first, second) == ("1", "2")
    experiment = store.get_experiment(first)
    assert experiment.name == "first"
    assert experiment.tags == {"team": "core"}
    assert experiment.artifact_location == f"{artifact_root}/1"
    assert experiment.creation_time == experiment.last_update_time
    assert experiment.creation_time > 1_600_000_000_000


def test_names_are_case_sensitive(store: SqlTrackingStore):
    lower = store.create_experiment("exp")
    upper = store.create_experiment("Exp")
    assert lower != upper
    assert store.get_experiment_by_name("Exp").experiment_id == upper
    assert store.get_experiment_by_name("EXP") is None


def test_duplicate_name_is_rejected_even_when_deleted(store: SqlTrackingStore):
    experiment_id = store.create_experiment("dup")
    assert error_code(store.create_experiment, "dup") == RESOURCE_ALREADY_EXISTS
    store.delete_experiment(experiment_id)
    assert error_code(store.create_experiment, "dup") == RESOURCE_ALREADY_EXISTS


def test_invalid_names_and_ids(store: SqlTrackingStore):
    assert error_code(store.create_experiment, "") == INVALID_PARAMETER_VALUE
    assert error_code(store.create_experiment, "x" * 501) == INVALID_PARAMETER_VALUE
    with pytest.raises(MlflowException) as info:
        store.get_experiment("abc")
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert "Invalid experiment ID 'abc'. Experiment ID must be a valid integer." in str(info.value)
    assert error_code(store.get_experiment, "999") == RESOURCE_DOES_NOT_EXIST
    assert store.get_experiment_by_name("nope") is None


def test_artifact_locations(store: SqlTrackingStore, tmp_path: Path, monkeypatch):
    s3 = store.create_experiment("s3", artifact_location="s3://bucket/path")
    assert store.get_experiment(s3).artifact_location == "s3://bucket/path"
    monkeypatch.chdir(tmp_path)
    local = store.create_experiment("local", artifact_location="relative/dir")
    assert store.get_experiment(local).artifact_location == str(tmp_path / "relative" / "dir")
    for bad in ("runs:/abc/model", "s3://b/p#frag", "s3://b/p?x=1", "/x" * 1100):
        assert error_code(store.create_experiment, "bad", artifact_location=bad) == (
            INVALID_PARAMETER_VALUE
        )
    assert store.get_experiment_by_name("bad") is None


def test_uri_artifact_root_is_joined_with_one_slash(tracking_db_uri: str):
    store = SqlTrackingStore(tracking_db_uri, "mlflow-artifacts:/")
    experiment_id = store.create_experiment("proxied")
    assert (
        store.get_experiment(experiment_id).artifact_location
        == f"mlflow-artifacts:/{experiment_id}"
    )
    run = store.create_run(experiment_id, "u", 0, [], None)
    assert run.info.artifact_uri == f"mlflow-artifacts:/{experiment_id}/{run.info.run_id}/artifacts"


def test_rename(store: SqlTrackingStore):
    experiment_id = store.create_experiment("old")
    other = store.create_experiment("taken")
    before = store.get_experiment(experiment_id).last_update_time
    store.rename_experiment(experiment_id, "new")
    renamed = store.get_experiment(experiment_id)
    assert renamed.name == "new"
    assert renamed.last_update_time >= before
    assert store.get_experiment_by_name("old") is None
    assert error_code(store.rename_experiment, experiment_id, "taken") == BAD_REQUEST
    assert error_code(store.rename_experiment, experiment_id, "") == INVALID_PARAMETER_VALUE
    assert error_code(store.rename_experiment, "12345", "x") == RESOURCE_DOES_NOT_EXIST
    store.delete_experiment(other)
    assert error_code(store.rename_experiment, other, "again") == INVALID_STATE


def test_delete_and_restore_cascade_to_runs(store: SqlTrackingStore):
    experiment_id = store.create_experiment("lifecycle")
    kept = store.create_run(experiment_id, "u", 0, [], None).info.run_id
    deleted_alone = store.create_run(experiment_id, "u", 0, [], None).info.run_id
    store.delete_run(deleted_alone)

    store.delete_experiment(experiment_id)
    assert store.get_experiment(experiment_id).lifecycle_stage == LifecycleStage.DELETED
    assert store.get_run(kept).info.lifecycle_stage == LifecycleStage.DELETED
    assert error_code(store.delete_experiment, experiment_id) == RESOURCE_DOES_NOT_EXIST
    assert error_code(store.create_run, experiment_id, "u", 0, [], None) == (
        INVALID_PARAMETER_VALUE
    )
    assert error_code(store.set_experiment_tag, experiment_id, ExperimentTag("k", "v")) == (
        INVALID_PARAMETER_VALUE
    )

    store.restore_experiment(experiment_id)
    assert store.get_experiment(experiment_id).lifecycle_stage == LifecycleStage.ACTIVE
    assert store.get_run(kept).info.lifecycle_stage == LifecycleStage.ACTIVE
    assert store.get_run(deleted_alone).info.lifecycle_stage == LifecycleStage.ACTIVE
    assert error_code(store.restore_experiment, experiment_id) == RESOURCE_DOES_NOT_EXIST
    assert error_code(store.delete_experiment, "4242") == RESOURCE_DOES_NOT_EXIST


def test_default_experiment_can_be_deleted(store: SqlTrackingStore):
    store.delete_experiment("0")
    assert store.get_experiment("0").lifecycle_stage == LifecycleStage.DELETED


def test_experiment_tags(store: SqlTrackingStore):
    experiment_id = store.create_experiment("tagged")
    store.set_experiment_tag(experiment_id, ExperimentTag("a", "1"))
    store.set_experiment_tag(experiment_id, ExperimentTag("a", "2"))
    store.set_experiment_tag(experiment_id, ExperimentTag("b", "x" * 20000))
    assert store.get_experiment(experiment_id).tags == {"a": "2", "b": "x" * 20000}
    store.delete_experiment_tag(experiment_id, "a")
    assert store.get_experiment(experiment_id).tags == {"b": "x" * 20000}
    assert error_code(store.delete_experiment_tag, experiment_id, "a") == RESOURCE_DOES_NOT_EXIST
    too_long = ExperimentTag("c", "x" * 20001)
    assert error_code(store.set_experiment_tag, experiment_id, too_long) == INVALID_PARAMETER_VALUE
    bad_key = ExperimentTag("bad$key", "v")
    assert error_code(store.set_experiment_tag, experiment_id, bad_key) == INVALID_PARAMETER_VALUE
    assert error_code(store.set_experiment_tag, "777", ExperimentTag("a", "b")) == (
        RESOURCE_DOES_NOT_EXIST
    )
    unicode_value = "ünïcødé 🚀" * 100
    store.set_experiment_tag(experiment_id, ExperimentTag("u", unicode_value))
    assert store.get_experiment(experiment_id).tags["u"] == unicode_value


def test_search_experiments_filters_orders_and_pages(store: SqlTrackingStore):
    ids = [
        store.create_experiment(f"exp-{i:02d}", tags=[ExperimentTag("i", str(i))]) for i in range(7)
    ]
    store.delete_experiment(ids[6])

    active = store.search_experiments(view_type=ViewType.ACTIVE_ONLY)
    assert {e.name for e in active} == {"Default"} | {f"exp-{i:02d}" for i in range(6)}
    deleted = store.search_experiments(view_type=ViewType.DELETED_ONLY)
    assert [e.name for e in deleted] == ["exp-06"]
    assert len(store.search_experiments(view_type=ViewType.ALL)) == 8

    matching = store.search_experiments(filter_string="name LIKE 'exp-0%' AND tags.i = '3'")
    assert [e.experiment_id for e in matching] == [ids[3]]
    by_name = store.search_experiments(order_by=["name DESC"], max_results=3)
    assert [e.name for e in by_name] == ["exp-05", "exp-04", "exp-03"]
    assert by_name.token is not None
    assert by_name[0].tags == {"i": "5"}

    seen: list[str] = []
    token = None
    while True:
        page = store.search_experiments(order_by=["name ASC"], max_results=2, page_token=token)
        seen.extend(e.name for e in page)
        token = page.token
        if not token:
            break
    assert seen == sorted(["Default"] + [f"exp-{i:02d}" for i in range(6)])

    exactly = store.search_experiments(max_results=7)
    assert len(exactly) == 7 and exactly.token is None
    for bad in (0, 50001):
        assert error_code(store.search_experiments, max_results=bad) == INVALID_PARAMETER_VALUE
    assert error_code(store.search_experiments, page_token="garbage") == INVALID_PARAMETER_VALUE
    assert error_code(store.search_experiments, filter_string="name = ") == INVALID_PARAMETER_VALUE


def test_create_run_uses_experiment_artifact_location(store: SqlTrackingStore):
    experiment_id = store.create_experiment("loc", artifact_location="s3://bucket/prefix/")
    run = store.create_run(experiment_id, "u", 0, [RunTag("a", "b")], None)
    assert run.info.artifact_uri == f"s3://bucket/prefix/{run.info.run_id}/artifacts"


def test_saved_view_tags_are_capped_at_fifty(store: SqlTrackingStore):
    eid = store.create_experiment("views")
    for i in range(50):
        store.set_experiment_tag(eid, ExperimentTag(f"mlflow.customView.view{i}", "{}"))
    # Updating an existing view and other tags still work at the cap.
    store.set_experiment_tag(eid, ExperimentTag("mlflow.customView.view7", '{"v": 2}'))
    store.set_experiment_tag(eid, ExperimentTag("team", "core"))
    with pytest.raises(MlflowException) as failure:
        store.set_experiment_tag(eid, ExperimentTag("mlflow.customView.view50", "{}"))
    assert failure.value.error_code == INVALID_PARAMETER_VALUE
    assert "50 saved views" in failure.value.message
    tags = store.get_experiment(eid).tags
    assert tags["mlflow.customView.view7"] == '{"v": 2}'
    assert "mlflow.customView.view50" not in tags
