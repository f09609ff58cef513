"""Runs in the SQL store: create, names, get, update, delete/restore, tags."""

from __future__ import annotations

import re

import pytest

from mltrail.entities import LifecycleStage, Metric, Param, RunStatus, RunTag
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.tracking.sql import SqlTrackingStore

GENERATED_NAME = re.compile(r"^[a-z]+-[a-z]+-\d{1,3}$")


def error_code(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(MlflowException) as info:
        call(*args, **kwargs)
    return info.value.error_code


def test_create_run_with_name_and_tags(store: SqlTrackingStore):
    experiment_id = store.create_experiment("runs")
    run = store.create_run(experiment_id, "alice", 1234, [RunTag("team", "core")], "my-run")
    info = run.info
    assert re.fullmatch(r"[0-9a-f]{32}", info.run_id)
    assert info.run_uuid == info.run_id
    assert (info.experiment_id, info.run_name, info.user_id) == (experiment_id, "my-run", "alice")
    assert (info.status, info.start_time, info.end_time) == ("RUNNING", 1234, None)
    assert info.lifecycle_stage == LifecycleStage.ACTIVE
    assert run.data.tags == {"team": "core", "mlflow.runName": "my-run"}
    assert run.data.metrics == {} and run.data.params == {}

    fetched = store.get_run(info.run_id)
    assert fetched.info == info
    assert fetched.data.tags == run.data.tags


def test_create_run_generates_a_name_and_mirrors_it_in_the_tag(store: SqlTrackingStore):
    run = store.create_run("0", None, None, None, None)
    assert GENERATED_NAME.match(run.info.run_name)
    assert len(run.info.run_name) <= 20
    assert run.data.tags["mlflow.runName"] == run.info.run_name
    assert run.info.user_id == ""
    assert run.info.start_time == 0
    names = {store.create_run("0", "u", 0, [], None).info.run_name for _ in range(5)}
    assert len(names) > 1


def test_run_name_from_tag_and_conflicts(store: SqlTrackingStore):
    from_tag = store.create_run("0", "u", 0, [RunTag("mlflow.runName", "tagged")], None)
    assert from_tag.info.run_name == "tagged"
    same = store.create_run("0", "u", 0, [RunTag("mlflow.runName", "same")], "same")
    assert same.info.run_name == "same"
    conflict = [RunTag("mlflow.runName", "a")]
    assert error_code(store.create_run, "0", "u", 0, conflict, "b") == INVALID_PARAMETER_VALUE


def test_create_run_errors(store: SqlTrackingStore):
    assert error_code(store.create_run, "999", "u", 0, [], None) == RESOURCE_DOES_NOT_EXIST
    assert error_code(store.create_run, "x", "u", 0, [], None) == INVALID_PARAMETER_VALUE
    bad_tag = [RunTag("bad*key", "v")]
    assert error_code(store.create_run, "0", "u", 0, bad_tag, None) == INVALID_PARAMETER_VALUE
    assert error_code(store.create_run, "0", "u", 0, [], "n" * 251) == INVALID_PARAMETER_VALUE
    assert store.search_runs(["0"], max_results=10) == []


def test_get_unknown_run(store: SqlTrackingStore):
    with pytest.raises(MlflowException) as info:
        store.get_run("0" * 32)
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST
    assert f"Run with id={'0' * 32} not found" in str(info.value)


def test_update_run_info(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 10, [], "before").info.run_id
    info = store.update_run_info(run_id, RunStatus.FINISHED, 99, None)
    assert (info.status, info.end_time, info.run_name) == ("FINISHED", 99, "before")
    info = store.update_run_info(run_id, None, None, "after")
    assert (info.status, info.end_time, info.run_name) == ("FINISHED", 99, "after")
    run = store.get_run(run_id)
    assert run.info.run_name == "after"
    assert run.data.tags["mlflow.runName"] == "after"
    assert run.info.status == "FINISHED" and run.info.end_time == 99
    resumed = store.update_run_info(run_id, RunStatus.RUNNING, 99, None)
    assert resumed.status == "RUNNING"
    assert error_code(store.update_run_info, run_id, 42, None, None) == INVALID_PARAMETER_VALUE
    assert error_code(store.update_run_info, "f" * 32, None, None, None) == RESOURCE_DOES_NOT_EXIST


def test_run_name_tag_renames_the_run(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 0, [], "first").info.run_id
    store.set_tag(run_id, RunTag("mlflow.runName", "second"))
    assert store.get_run(run_id).info.run_name == "second"
    store.log_batch(run_id, [], [], [RunTag("mlflow.runName", "third"), RunTag("x", "y")])
    run = store.get_run(run_id)
    assert run.info.run_name == "third"
    assert run.data.tags == {"mlflow.runName": "third", "x": "y"}
    found = store.search_runs(["0"], filter_string="attributes.run_name = 'third'")
    assert [r.info.run_id for r in found] == [run_id]


def test_delete_and_restore_run(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 0, [], None).info.run_id
    store.log_metric(run_id, Metric("m", 1.0, 1, 0))
    store.delete_run(run_id)
    deleted = store.get_run(run_id)
    assert deleted.info.lifecycle_stage == LifecycleStage.DELETED
    assert deleted.info.status == "RUNNING"  # deletion does not change the status
    assert deleted.data.metrics == {"m": 1.0}
    store.delete_run(run_id)  # idempotent, as MLflow
    assert error_code(store.delete_run, "a" * 32) == RESOURCE_DOES_NOT_EXIST

    writes = [
        lambda: store.log_metric(run_id, Metric("m", 2.0, 2, 0)),
        lambda: store.log_param(run_id, Param("p", "1")),
        lambda: store.set_tag(run_id, RunTag("t", "1")),
        lambda: store.log_batch(run_id, [], [], []),
        lambda: store.delete_tag(run_id, "mlflow.runName"),
        lambda: store.update_run_info(run_id, RunStatus.FINISHED, 1, None),
    ]
    for write in writes:
        with pytest.raises(MlflowException) as info:
            write()
        assert info.value.error_code == INVALID_PARAMETER_VALUE
        assert "must be in the 'active' state" in str(info.value)
    assert store.get_metric_history(run_id, "m") == [Metric("m", 1.0, 1, 0)]

    store.restore_run(run_id)
    store.restore_run(run_id)  # idempotent
    assert store.get_run(run_id).info.lifecycle_stage == LifecycleStage.ACTIVE
    store.log_metric(run_id, Metric("m", 2.0, 2, 1))
    assert store.get_run(run_id).data.metrics == {"m": 2.0}


def test_delete_tag(store: SqlTrackingStore):
    run_id = store.create_run("0", "u", 0, [RunTag("a", "1"), RunTag("b", "2")], "n").info.run_id
    store.delete_tag(run_id, "a")
    assert store.get_run(run_id).data.tags == {"b": "2", "mlflow.runName": "n"}
    assert error_code(store.delete_tag, run_id, "a") == RESOURCE_DOES_NOT_EXIST
    assert error_code(store.delete_tag, "b" * 32, "a") == RESOURCE_DOES_NOT_EXIST


def test_get_runs_in_bulk_keeps_order(store: SqlTrackingStore):
    run_ids = [store.create_run("0", "u", i, [], f"r{i}").info.run_id for i in range(5)]
    for i, run_id in enumerate(run_ids):
        store.log_batch(run_id, [Metric("m", float(i), 1, 0)], [Param("i", str(i))], [])
    wanted = [run_ids[3], "missing", run_ids[0], run_ids[4]]
    runs = store.get_runs(wanted)
    assert [r.info.run_id for r in runs] == [run_ids[3], run_ids[0], run_ids[4]]
    assert [r.data.params["i"] for r in runs] == ["3", "0", "4"]
    assert [r.data.metrics["m"] for r in runs] == [3.0, 0.0, 4.0]


def test_cached_run_key_is_never_used_for_another_run(sqlite_store: SqlTrackingStore):
    """run_id -> run_pk is cached by log_batch; a run removed behind the store's back (e.g. by
    garbage collection) whose key is reused must not receive the old run's writes."""
    from mltrail.store.tracking.sql.engine import get_database

    store = sqlite_store
    old = store.create_run("0", "u", 0, [], "old").info.run_id
    store.log_metric(old, Metric("m", 1.0, 1, 0))  # caches old's run_pk
    database = get_database(store.db_uri)
    old_pk = database.run_pks[old]
    with database.write() as conn:
        for table in ("latest_metrics", "metrics", "tags"):
            conn.exec_driver_sql(f"DELETE FROM {table}")
        conn.exec_driver_sql("DELETE FROM runs")
    new = store.create_run("0", "u", 0, [], "new").info.run_id
    with database.read() as conn:
        new_pk = conn.exec_driver_sql(f"SELECT run_pk FROM runs WHERE run_id = '{new}'").scalar()
    assert new_pk == old_pk  # SQLite reused the key
    with pytest.raises(MlflowException) as info:
        store.log_metric(old, Metric("m", 2.0, 2, 0))
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST
    store.log_metric(new, Metric("m", 3.0, 3, 0))
    assert store.get_metric_history(new, "m") == [Metric("m", 3.0, 3, 0)]
