"""mltrail's client (``import mltrail as mlflow``) against a real tracking server over HTTP.

Every test runs twice: against the real MLflow 3.17.2 ``mlflow server`` and against
``mltrail server`` (the ``tracking_server`` fixture), with the same assertions, so the REST
store speaks MLflow's protocol and mltrail's server answers like MLflow's.
"""

from __future__ import annotations

import math
import uuid
from pathlib import Path

import pytest

import mltrail as mlflow
from mltrail import MlflowClient
from mltrail.entities import Metric, Param, RunStatus, RunTag, ViewType
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.tracking.rest import RestTrackingStore

pytestmark = pytest.mark.usefixtures("server_uri")


def _unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_tracking_uri_selects_the_rest_store(server_uri: str) -> None:
    client = MlflowClient()
    assert isinstance(client.store, RestTrackingStore)
    assert client.store.tracking_uri == server_uri
    default = client.get_experiment("0")
    assert default.name == "Default"


# ---- experiments --------------------------------------------------------------------------------
def test_experiment_create_search_rename_delete_restore() -> None:
    client = MlflowClient()
    name, marker = _unique("exp"), uuid.uuid4().hex
    experiment_id = client.create_experiment(name, tags={"team": "vision", "marker": marker})
    assert isinstance(experiment_id, str) and experiment_id.isdigit()

    found = client.search_experiments(filter_string=f"tags.marker = '{marker}'")
    assert [e.experiment_id for e in found] == [experiment_id]
    assert found[0].tags == {"team": "vision", "marker": marker}
    assert found.token is None

    by_name = client.get_experiment_by_name(name)
    assert by_name is not None
    assert by_name.experiment_id == experiment_id
    assert by_name.lifecycle_stage == "active"
    assert by_name.creation_time and by_name.creation_time > 0
    assert client.get_experiment_by_name(_unique("missing")) is None

    client.rename_experiment(experiment_id, name + "-renamed")
    assert client.get_experiment(experiment_id).name == name + "-renamed"
    assert client.get_experiment_by_name(name) is None

    client.set_experiment_tag(experiment_id, "stage", "dev")
    assert client.get_experiment(experiment_id).tags["stage"] == "dev"
    client.delete_experiment_tag(experiment_id, "stage")
    assert "stage" not in client.get_experiment(experiment_id).tags

    client.delete_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "deleted"
    marker_filter = f"tags.marker = '{marker}'"
    assert len(client.search_experiments(filter_string=marker_filter)) == 0
    deleted = client.search_experiments(ViewType.DELETED_ONLY, filter_string=marker_filter)
    assert [e.experiment_id for e in deleted] == [experiment_id]

    client.restore_experiment(experiment_id)
    assert client.get_experiment(experiment_id).lifecycle_stage == "active"


def test_search_experiments_pages_with_tokens() -> None:
    client = MlflowClient()
    marker = uuid.uuid4().hex
    ids = {client.create_experiment(_unique("page"), tags={"m": marker}) for _ in range(5)}
    first = client.search_experiments(max_results=3, filter_string=f"tags.m = '{marker}'")
    assert len(first) == 3 and first.token
    second = client.search_experiments(
        max_results=3, filter_string=f"tags.m = '{marker}'", page_token=first.token
    )
    assert len(second) == 2 and second.token is None
    assert {e.experiment_id for e in [*first, *second]} == ids


def test_duplicate_experiment_name_is_resource_already_exists() -> None:
    name = _unique("dup")
    experiment_id = mlflow.create_experiment(name)
    with pytest.raises(MlflowException) as caught:
        mlflow.create_experiment(name)
    assert caught.value.error_code == RESOURCE_ALREADY_EXISTS
    mlflow.delete_experiment(experiment_id)
    with pytest.raises(MlflowException) as caught:  # deleted names stay reserved
        mlflow.create_experiment(name)
    assert caught.value.error_code == RESOURCE_ALREADY_EXISTS


def test_missing_objects_are_resource_does_not_exist() -> None:
    client = MlflowClient()
    with pytest.raises(MlflowException) as caught:
        client.get_run(uuid.uuid4().hex)
    assert caught.value.error_code == RESOURCE_DOES_NOT_EXIST
    with pytest.raises(MlflowException) as caught:
        client.get_experiment("987654321")
    assert caught.value.error_code == RESOURCE_DOES_NOT_EXIST
    with pytest.raises(MlflowException) as caught:
        client.log_param(uuid.uuid4().hex, "a", "1")
    assert caught.value.error_code == RESOURCE_DOES_NOT_EXIST


# ---- runs ---------------------------------------------------------------------------------------
def test_fluent_runs_nested_params_metrics_tags_and_end_status() -> None:
    experiment = mlflow.set_experiment(_unique("fluent"))
    with mlflow.start_run(run_name="parent") as parent:
        mlflow.log_param("alpha", 0.5)
        mlflow.log_params({"depth": 3, "kind": "tree"})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
        mlflow.log_metrics({"acc": 0.9, "nan_metric": float("nan")})
        mlflow.set_tag("team", "vision")
        with mlflow.start_run(run_name="child", nested=True) as child:
            mlflow.log_metric("child_metric", 7)
    parent_run = mlflow.get_run(parent.info.run_id)
    child_run = mlflow.get_run(child.info.run_id)

    assert parent_run.info.experiment_id == experiment.experiment_id
    assert parent_run.info.run_name == "parent"
    assert parent_run.info.status == "FINISHED"
    assert parent_run.info.end_time and parent_run.info.end_time >= parent_run.info.start_time
    assert parent_run.data.params == {"alpha": "0.5", "depth": "3", "kind": "tree"}
    assert parent_run.data.metrics["loss"] == pytest.approx(0.2)
    assert parent_run.data.metrics["acc"] == pytest.approx(0.9)
    assert math.isnan(parent_run.data.metrics["nan_metric"])
    assert parent_run.data.tags["team"] == "vision"
    assert parent_run.data.tags["mlflow.runName"] == "parent"
    assert child_run.data.tags["mlflow.parentRunId"] == parent.info.run_id
    assert child_run.info.status == "FINISHED"
    assert child_run.data.metrics == {"child_metric": 7.0}

    history = MlflowClient().get_metric_history(parent.info.run_id, "loss")
    assert [m.step for m in history] == [0, 1, 2, 3, 4]
    assert [m.value for m in history] == pytest.approx([1.0, 0.5, 1 / 3, 0.25, 0.2])


def test_failing_block_ends_the_run_failed() -> None:
    mlflow.set_experiment(_unique("failed"))
    with pytest.raises(ZeroDivisionError), mlflow.start_run() as run:
        mlflow.log_metric("before", 1)
        _ = 1 / 0
    finished = mlflow.get_run(run.info.run_id)
    assert finished.info.status == "FAILED"
    assert finished.info.end_time is not None
    assert mlflow.active_run() is None


def test_tracking_uri_from_the_environment(
    server_uri: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    mlflow.set_tracking_uri(None)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server_uri)
    assert mlflow.get_tracking_uri() == server_uri
    name = _unique("env")
    mlflow.set_experiment(name)
    with mlflow.start_run() as run:
        mlflow.log_param("via", "env")
    assert MlflowClient(server_uri).get_run(run.info.run_id).data.params == {"via": "env"}
    assert MlflowClient(server_uri).get_experiment_by_name(name) is not None


def test_log_batch_of_1000_metrics_and_nan_history() -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment(_unique("batch"))
    run_id = client.create_run(experiment_id).info.run_id
    metrics = [Metric("m", float(i), 1_700_000_000_000 + i, i) for i in range(999)]
    metrics.append(Metric("special", float("nan"), 1_700_000_000_000, 0))
    client.log_batch(
        run_id,
        metrics=metrics,
        params=[Param("p", "v")],
        tags=[RunTag("t", "x")],
    )
    run = client.get_run(run_id)
    assert run.data.metrics["m"] == 998.0
    assert math.isnan(run.data.metrics["special"])
    assert run.data.params == {"p": "v"}
    assert run.data.tags["t"] == "x"
    history = client.get_metric_history(run_id, "m")
    assert len(history) == 999
    assert [m.step for m in history[:3]] == [0, 1, 2]
    assert history[-1].value == 998.0
    (special,) = client.get_metric_history(run_id, "special")
    assert math.isnan(special.value)
    assert client.get_metric_history(run_id, "never-logged") == []


def test_conflicting_param_is_invalid_parameter_value() -> None:
    client = MlflowClient()
    run_id = client.create_run(client.create_experiment(_unique("param"))).info.run_id
    client.log_param(run_id, "lr", "0.1")
    client.log_param(run_id, "lr", "0.1")  # the same value again is fine
    with pytest.raises(MlflowException) as caught:
        client.log_param(run_id, "lr", "0.2")
    assert caught.value.error_code == INVALID_PARAMETER_VALUE
    assert client.get_run(run_id).data.params == {"lr": "0.1"}


def test_update_delete_restore_run_and_tags() -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment(_unique("lifecycle"))
    run = client.create_run(experiment_id, tags={"keep": "1", "drop": "2"}, run_name="first")
    run_id = run.info.run_id
    assert run.info.status == "RUNNING"
    assert run.info.lifecycle_stage == "active"

    client.update_run(run_id, name="second")
    assert client.get_run(run_id).info.run_name == "second"
    client.delete_tag(run_id, "drop")
    assert "drop" not in client.get_run(run_id).data.tags
    client.set_terminated(run_id, status="KILLED")
    assert client.get_run(run_id).info.status == RunStatus.to_string(RunStatus.KILLED)

    client.delete_run(run_id)
    assert client.get_run(run_id).info.lifecycle_stage == "deleted"
    assert client.search_runs([experiment_id]) == []
    deleted = client.search_runs([experiment_id], run_view_type=ViewType.DELETED_ONLY)
    assert [r.info.run_id for r in deleted] == [run_id]
    client.restore_run(run_id)
    assert [r.info.run_id for r in client.search_runs([experiment_id])] == [run_id]


# ---- search -------------------------------------------------------------------------------------
RUN_COUNT = 250


@pytest.fixture(scope="module")
def populated_experiment(tracking_server: object) -> str:
    """An experiment with 250 runs: metric m = i, param p = i % 3, tag parity."""
    client = MlflowClient(tracking_server.url)  # type: ignore[attr-defined]
    experiment_id = client.create_experiment(_unique("search"))
    for i in range(RUN_COUNT):
        run_id = client.create_run(experiment_id, start_time=1_700_000_000_000 + i).info.run_id
        client.log_batch(
            run_id,
            metrics=[Metric("m", float(i), 1_700_000_000_000, 0)],
            params=[Param("p", str(i % 3))],
            tags=[RunTag("parity", "even" if i % 2 == 0 else "odd")],
        )
    return experiment_id


def test_search_runs_filter_and_order(populated_experiment: str) -> None:
    client = MlflowClient()
    runs = client.search_runs(
        [populated_experiment],
        filter_string="metrics.m >= 200 and params.p = '1' and tags.parity = 'odd'",
        order_by=["metrics.m DESC"],
    )
    expected = [float(i) for i in range(RUN_COUNT - 1, 199, -1) if i % 3 == 1 and i % 2 == 1]
    assert [r.data.metrics["m"] for r in runs] == expected
    assert runs.token is None

    by_start = client.search_runs([populated_experiment], max_results=3)  # start_time DESC
    assert [r.data.metrics["m"] for r in by_start] == [249.0, 248.0, 247.0]
    ascending = client.search_runs(
        [populated_experiment], order_by=["metrics.m ASC"], max_results=2
    )
    assert [r.data.metrics["m"] for r in ascending] == [0.0, 1.0]


def test_search_runs_paginates_over_250_runs(populated_experiment: str) -> None:
    client = MlflowClient()
    seen: list[str] = []
    sizes: list[int] = []
    token = None
    while True:
        page = client.search_runs(
            [populated_experiment], max_results=100, order_by=["metrics.m ASC"], page_token=token
        )
        sizes.append(len(page))
        seen.extend(r.info.run_id for r in page)
        token = page.token
        if not token:
            break
    assert sizes == [100, 100, 50]
    assert len(set(seen)) == RUN_COUNT


def test_fluent_search_runs_returns_a_dataframe(populated_experiment: str) -> None:
    frame = mlflow.search_runs(
        experiment_ids=[populated_experiment],
        filter_string="params.p = '0'",
        order_by=["metrics.m ASC"],
    )
    assert len(frame) == len(range(0, RUN_COUNT, 3))
    assert list(frame["metrics.m"][:3]) == [0.0, 3.0, 6.0]
    assert set(frame["params.p"]) == {"0"}
    assert {"run_id", "experiment_id", "status", "start_time", "tags.parity"} <= set(frame.columns)
    everything = mlflow.search_runs(experiment_ids=[populated_experiment])
    assert len(everything) == RUN_COUNT
    as_list = mlflow.search_runs(
        experiment_ids=[populated_experiment], output_format="list", max_results=5
    )
    assert len(as_list) == 5 and all(r.info.experiment_id == populated_experiment for r in as_list)


# ---- artifacts through the server's proxy -------------------------------------------------
def test_artifacts_round_trip_through_the_proxy(tmp_path: Path) -> None:
    mlflow.set_experiment(_unique("artifacts"))
    source = tmp_path / "notes.md"
    source.write_text("# notes\n")
    with mlflow.start_run() as run:
        mlflow.log_text("hello", "dir/a.txt")
        mlflow.log_dict({"a": 1}, "config.json")
        mlflow.log_artifact(str(source))
    assert run.info.artifact_uri.startswith("mlflow-artifacts:/")
    client = MlflowClient()
    listing = client.list_artifacts(run.info.run_id)
    assert [(f.path, f.is_dir) for f in listing] == [
        ("config.json", False),
        ("dir", True),
        ("notes.md", False),
    ]
    (inner,) = client.list_artifacts(run.info.run_id, "dir")
    assert (inner.path, inner.file_size) == ("dir/a.txt", 5)
    local = client.download_artifacts(run.info.run_id, "dir", str(tmp_path / "out"))
    assert Path(local, "a.txt").read_text() == "hello"
