"""The fluent API as tutorials use it: ``import mltrail as mlflow``."""

from __future__ import annotations

import os
import threading

import pytest

import mltrail as mlflow
from mltrail.entities import Experiment, Run
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    INVALID_STATE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)


def test_tutorial_flow() -> None:
    experiment = mlflow.set_experiment("Tutorial")
    assert isinstance(experiment, Experiment)
    assert experiment.name == "Tutorial"
    with mlflow.start_run(run_name="baseline") as run:
        assert isinstance(run, mlflow.ActiveRun)
        assert isinstance(run, Run)
        assert mlflow.active_run() is run
        assert run.info.experiment_id == experiment.experiment_id
        assert run.info.status == "RUNNING"
        mlflow.log_param("alpha", 0.5)
        mlflow.log_params({"l1_ratio": 0.1, "solver": "saga"})
        for epoch in range(3):
            mlflow.log_metric("loss", 1.0 / (epoch + 1), step=epoch)
        mlflow.log_metrics({"rmse": 0.7, "r2": 0.3})
        mlflow.set_tag("stage", "dev")
        mlflow.set_tags({"owner": "me", "release": 1})
    assert mlflow.active_run() is None
    finished = mlflow.get_run(run.info.run_id)
    assert finished.info.status == "FINISHED"
    assert finished.info.end_time is not None
    assert finished.info.run_name == "baseline"
    assert finished.data.params == {"alpha": "0.5", "l1_ratio": "0.1", "solver": "saga"}
    assert finished.data.metrics == {"loss": pytest.approx(1 / 3), "rmse": 0.7, "r2": 0.3}
    tags = finished.data.tags
    assert (tags["stage"], tags["owner"], tags["release"]) == ("dev", "me", "1")
    history = mlflow.MlflowClient().get_metric_history(run.info.run_id, "loss")
    assert [m.step for m in history] == [0, 1, 2]
    assert mlflow.last_active_run().info.run_id == run.info.run_id


def test_log_param_returns_the_value() -> None:
    with mlflow.start_run():
        assert mlflow.log_param("lr", 0.01) == 0.01


def test_set_experiment_is_idempotent_and_by_id() -> None:
    first = mlflow.set_experiment("again")
    assert os.environ["MLFLOW_EXPERIMENT_ID"] == first.experiment_id  # for child processes
    assert mlflow.set_experiment("again").experiment_id == first.experiment_id
    by_id = mlflow.set_experiment(experiment_id=first.experiment_id)
    assert by_id.name == "again"
    with pytest.raises(MlflowException, match="exactly one") as info:
        mlflow.set_experiment()
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    with pytest.raises(MlflowException) as info:
        mlflow.set_experiment(experiment_id="987654")
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST


def test_set_deleted_experiment_explains_how_to_fix() -> None:
    experiment_id = mlflow.create_experiment("gone")
    mlflow.delete_experiment(experiment_id)
    with pytest.raises(MlflowException, match="restore") as info:
        mlflow.set_experiment("gone")
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert "gone" in info.value.message
    mlflow.MlflowClient().restore_experiment(experiment_id)
    assert mlflow.set_experiment("gone").experiment_id == experiment_id


def test_default_experiment_is_zero() -> None:
    with mlflow.start_run() as run:
        pass
    assert run.info.experiment_id == "0"


def test_experiment_id_argument_and_int_ids() -> None:
    experiment_id = mlflow.create_experiment("explicit", tags={"k": "v"})
    with mlflow.start_run(experiment_id=int(experiment_id)) as run:  # type: ignore[arg-type]
        pass
    assert run.info.experiment_id == experiment_id
    assert mlflow.get_experiment(experiment_id).tags == {"k": "v"}
    assert mlflow.get_experiment_by_name("explicit").experiment_id == experiment_id
    assert mlflow.get_experiment_by_name("nope") is None
    assert "explicit" in [e.name for e in mlflow.search_experiments()]


def test_context_manager_marks_failed_and_reraises() -> None:
    with pytest.raises(ValueError, match="boom"), mlflow.start_run() as run:
        mlflow.log_metric("before_error", 1.0)
        raise ValueError("boom")
    failed = mlflow.get_run(run.info.run_id)
    assert failed.info.status == "FAILED"
    assert failed.data.metrics == {"before_error": 1.0}
    assert mlflow.active_run() is None


def test_keyboard_interrupt_marks_killed() -> None:
    with pytest.raises(KeyboardInterrupt), mlflow.start_run() as run:
        raise KeyboardInterrupt
    assert mlflow.get_run(run.info.run_id).info.status == "KILLED"


def test_end_run_with_status_and_without_active_run() -> None:
    mlflow.end_run()  # nothing active: no-op
    run = mlflow.start_run()
    mlflow.end_run("KILLED")
    assert mlflow.get_run(run.info.run_id).info.status == "KILLED"
    assert mlflow.active_run() is None
    with pytest.raises(MlflowException):
        mlflow.start_run()
        mlflow.end_run("WHATEVER")
    assert mlflow.active_run() is not None  # an invalid status does not end the run
    mlflow.end_run()


def test_second_run_needs_nested() -> None:
    with mlflow.start_run() as outer:
        with pytest.raises(MlflowException, match="nested=True") as info:
            mlflow.start_run()
        assert info.value.error_code == INVALID_STATE
        assert outer.info.run_id in info.value.message
        assert mlflow.active_run() is outer


def test_nested_runs() -> None:
    mlflow.set_experiment("nested")
    with mlflow.start_run(run_name="parent") as parent:
        mlflow.log_param("parent", "yes")
        for i in range(2):
            with mlflow.start_run(run_name=f"child-{i}", nested=True) as child:
                assert mlflow.active_run() is child
                mlflow.log_param("child", i)
                with mlflow.start_run(nested=True) as grandchild:
                    pass
            assert mlflow.active_run() is parent
    child_tags = mlflow.get_run(child.info.run_id).data.tags
    assert child_tags["mlflow.parentRunId"] == parent.info.run_id
    grand_tags = mlflow.get_run(grandchild.info.run_id).data.tags
    assert grand_tags["mlflow.parentRunId"] == child.info.run_id
    children = mlflow.search_runs(
        filter_string=f"tags.mlflow.parentRunId = '{parent.info.run_id}'",
        output_format="list",
    )
    assert sorted(r.info.run_name for r in children) == ["child-0", "child-1"]
    assert mlflow.get_parent_run(child.info.run_id).info.run_id == parent.info.run_id
    assert mlflow.get_parent_run(parent.info.run_id) is None


def test_leaving_a_parent_block_ends_forgotten_children() -> None:
    with mlflow.start_run() as parent:
        child = mlflow.start_run(nested=True)  # never ended explicitly
    assert mlflow.active_run() is None
    assert mlflow.get_run(child.info.run_id).info.status == "FINISHED"
    assert mlflow.get_run(parent.info.run_id).info.status == "FINISHED"


def test_parent_run_id_argument() -> None:
    with mlflow.start_run() as parent:
        pass
    with mlflow.start_run(parent_run_id=parent.info.run_id) as child:
        pass
    assert child.data.tags["mlflow.parentRunId"] == parent.info.run_id
    with mlflow.start_run() as other:
        with pytest.raises(MlflowException, match="parent_run_id"):
            mlflow.start_run(nested=True, parent_run_id=parent.info.run_id)
        assert mlflow.active_run() is other


def test_resume_run_by_id() -> None:
    with mlflow.start_run() as run:
        mlflow.log_metric("m", 1.0)
    ended = mlflow.get_run(run.info.run_id)
    with mlflow.start_run(run_id=run.info.run_id, tags={"resumed": True}) as resumed:
        assert resumed.info.run_id == run.info.run_id
        assert resumed.info.status == "RUNNING"
        assert resumed.data.tags["resumed"] == "True"
        mlflow.log_metric("m", 2.0, step=1)
    final = mlflow.get_run(run.info.run_id)
    assert final.info.status == "FINISHED"
    assert final.info.end_time >= ended.info.end_time
    assert final.data.metrics == {"m": 2.0}


def test_resume_unknown_deleted_or_malformed_run() -> None:
    with pytest.raises(MlflowException) as info:
        mlflow.start_run(run_id="f" * 32)
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST
    with pytest.raises(MlflowException) as info:
        mlflow.start_run(run_id="bad id!")
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    with mlflow.start_run() as run:
        pass
    mlflow.delete_run(run.info.run_id)
    with pytest.raises(MlflowException, match="deleted") as info:
        mlflow.start_run(run_id=run.info.run_id)
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert mlflow.active_run() is None


def test_resume_from_another_experiment_than_the_active_one() -> None:
    mlflow.set_experiment("a")
    with mlflow.start_run() as run:
        pass
    mlflow.set_experiment("b")
    with pytest.raises(MlflowException, match="experiment"):
        mlflow.start_run(run_id=run.info.run_id)


def test_mlflow_run_id_env_resumes_once(monkeypatch: pytest.MonkeyPatch) -> None:
    with mlflow.start_run() as run:
        pass
    monkeypatch.setenv("MLFLOW_RUN_ID", run.info.run_id)
    with mlflow.start_run() as resumed:
        assert resumed.info.run_id == run.info.run_id
    assert "MLFLOW_RUN_ID" not in os.environ
    with mlflow.start_run() as fresh:
        assert fresh.info.run_id != run.info.run_id


def test_experiment_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "from-env")
    with mlflow.start_run() as run:
        pass
    experiment = mlflow.get_experiment_by_name("from-env")
    assert experiment is not None and run.info.experiment_id == experiment.experiment_id

    monkeypatch.delenv("MLFLOW_EXPERIMENT_NAME")
    monkeypatch.setenv("MLFLOW_EXPERIMENT_ID", experiment.experiment_id)
    with mlflow.start_run() as run:
        pass
    assert run.info.experiment_id == experiment.experiment_id

    monkeypatch.setenv("MLFLOW_EXPERIMENT_ID", "4242")
    with pytest.raises(MlflowException, match="MLFLOW_EXPERIMENT_ID") as info:
        mlflow.start_run()
    assert info.value.error_code == INVALID_PARAMETER_VALUE

    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "from-env")
    with pytest.raises(MlflowException, match="does not match"):
        mlflow.start_run()
    # set_experiment wins over the environment
    other = mlflow.set_experiment("explicit")
    with mlflow.start_run() as run:
        pass
    assert run.info.experiment_id == other.experiment_id


def test_logging_without_active_run_starts_one() -> None:
    mlflow.set_experiment("implicit")
    mlflow.log_metric("m", 1.0)
    run = mlflow.active_run()
    assert run is not None
    mlflow.log_param("p", 1)
    mlflow.set_tag("t", "v")
    assert mlflow.active_run() is run
    mlflow.end_run()
    logged = mlflow.get_run(run.info.run_id)
    assert logged.data.metrics == {"m": 1.0}
    assert logged.data.params == {"p": "1"}
    assert logged.info.status == "FINISHED"


def test_explicit_run_id_logging_does_not_start_a_run() -> None:
    run = mlflow.MlflowClient().create_run("0")
    mlflow.log_metric("m", 3.0, run_id=run.info.run_id)
    mlflow.log_metrics({"a": 1.0}, run_id=run.info.run_id, step=2, timestamp=5)
    mlflow.log_params({"p": 1}, run_id=run.info.run_id)
    assert mlflow.active_run() is None
    data = mlflow.get_run(run.info.run_id).data
    assert data.metrics == {"m": 3.0, "a": 1.0}
    assert data.params == {"p": "1"}
    point = mlflow.MlflowClient().get_metric_history(run.info.run_id, "a")[0]
    assert (point.step, point.timestamp) == (2, 5)


def test_error_keeps_everything_already_logged() -> None:
    with mlflow.start_run() as run:
        mlflow.log_param("p", "1")
        mlflow.log_metric("m", 1.0)
        with pytest.raises(MlflowException) as info:
            mlflow.log_param("p", "2")
        assert info.value.error_code == INVALID_PARAMETER_VALUE
        with pytest.raises(MlflowException):
            mlflow.log_metric("m", "not a number")  # type: ignore[arg-type]
        with pytest.raises(MlflowException):
            mlflow.log_params({"ok": 1, "p": "3"})
        mlflow.log_metric("m", 2.0, step=1)
    data = mlflow.get_run(run.info.run_id).data
    assert data.params["p"] == "1"
    assert data.metrics == {"m": 2.0}
    assert len(mlflow.MlflowClient().get_metric_history(run.info.run_id, "m")) == 2


def test_delete_tag_and_delete_run() -> None:
    with mlflow.start_run() as run:
        mlflow.set_tag("t", "v")
        mlflow.delete_tag("t")
    assert "t" not in mlflow.get_run(run.info.run_id).data.tags
    mlflow.delete_run(run.info.run_id)
    assert mlflow.get_run(run.info.run_id).info.lifecycle_stage == "deleted"


def test_experiment_tags_on_active_experiment() -> None:
    experiment = mlflow.set_experiment("with-tags")
    mlflow.set_experiment_tag("a", 1)
    mlflow.set_experiment_tags({"b": "2", "c": 3.0})
    assert mlflow.get_experiment(experiment.experiment_id).tags == {"a": "1", "b": "2", "c": "3.0"}


def test_last_active_run() -> None:
    assert mlflow.last_active_run() is None
    with mlflow.start_run() as run:
        mlflow.log_param("p", 1)
        current = mlflow.last_active_run()
        assert current.info.run_id == run.info.run_id
        assert current.data.params == {"p": "1"}  # fresh, not the start-time snapshot
    last = mlflow.last_active_run()
    assert last.info.run_id == run.info.run_id and last.info.status == "FINISHED"


def test_each_thread_has_its_own_active_run() -> None:
    mlflow.set_experiment("threads")
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            with mlflow.start_run(run_name=name) as run:
                barrier.wait(timeout=10)  # both runs are active at the same time
                for step in range(5):
                    mlflow.log_metric("m", step, step=step)
                mlflow.log_param("thread", name)
                results[name] = run.info.run_id
                barrier.wait(timeout=10)
            assert mlflow.last_active_run().info.run_id == run.info.run_id
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in ("t1", "t2")]
    with mlflow.start_run() as main_run:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert mlflow.active_run() is main_run
    assert not errors
    assert results["t1"] != results["t2"]
    for name, run_id in results.items():
        run = mlflow.get_run(run_id)
        assert run.data.params == {"thread": name}
        assert run.info.run_name == name
        assert run.info.status == "FINISHED"
        assert "mlflow.parentRunId" not in run.data.tags
    assert mlflow.get_run(main_run.info.run_id).data.params == {}


def test_start_run_tags_override_and_system_metrics_flag(caplog: pytest.LogCaptureFixture) -> None:
    with mlflow.start_run(tags={"mlflow.source.type": "JOB"}, log_system_metrics=True) as run:
        pass
    assert run.data.tags["mlflow.source.type"] == "JOB"
    assert "System metrics" in caplog.text
