"""``mltrail.search_runs``: the DataFrame it returns, its scope and its speed."""

from __future__ import annotations

import math
import time

import pandas as pd
import pytest

import mltrail as mlflow
from mltrail.entities import Metric, Run, RunData, RunInfo, ViewType
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking._runs_frame import runs_to_frame

INFO_COLUMNS = ["run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time"]


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_dataframe_columns_dtypes_and_values() -> None:
    experiment = mlflow.set_experiment("frame")
    with mlflow.start_run(run_name="first") as first:
        mlflow.log_metric("m", 1.55)
        mlflow.log_param("p", "a")
        mlflow.set_tag("s.release", "1.1.0-RC")
    with mlflow.start_run(run_name="second") as second:
        mlflow.log_metric("m", 2.5)
        mlflow.log_metric("only_second", 3.0)
    running = mlflow.start_run(run_name="running")  # still RUNNING while we search
    df = mlflow.search_runs()
    mlflow.end_run()

    assert isinstance(df, pd.DataFrame)
    assert list(df.columns[:6]) == INFO_COLUMNS
    rest = list(df.columns[6:])
    groups = [c.split(".", 1)[0] for c in rest]
    assert groups == sorted(groups, key=["metrics", "params", "tags"].index)
    assert {"metrics.m", "metrics.only_second", "params.p", "tags.s.release"} <= set(rest)
    assert {"tags.mlflow.runName", "tags.mlflow.user", "tags.mlflow.source.type"} <= set(rest)

    # newest first
    assert list(df["run_id"]) == [running.info.run_id, second.info.run_id, first.info.run_id]
    assert set(df["experiment_id"]) == {experiment.experiment_id}
    assert list(df["status"]) == ["RUNNING", "FINISHED", "FINISHED"]
    assert df["artifact_uri"][2] == mlflow.get_run(first.info.run_id).info.artifact_uri

    for column in ("start_time", "end_time"):
        assert isinstance(df[column].dtype, pd.DatetimeTZDtype)
        assert str(df[column].dt.tz) == "UTC"
    assert pd.isna(df["end_time"][0])
    start_ms = mlflow.get_run(first.info.run_id).info.start_time
    assert df["start_time"][2] == pd.Timestamp(start_ms, unit="ms", tz="UTC")

    assert df["metrics.m"].dtype == "float64"
    assert list(df["metrics.m"][1:]) == [2.5, 1.55]
    assert math.isnan(df["metrics.m"][0]) and math.isnan(df["metrics.only_second"][2])
    assert df["params.p"][2] == "a"
    assert _is_missing(df["params.p"][1])
    assert df["tags.s.release"][2] == "1.1.0-RC"
    assert _is_missing(df["tags.s.release"][1])
    assert list(df["tags.mlflow.runName"]) == ["running", "second", "first"]


def test_tutorial_queries_on_the_frame() -> None:
    experiment_id = mlflow.create_experiment("Social NLP Experiments")
    for value, release in ((1.55, "1.1.0-RC"), (2.50, "1.2.0-GA")):
        with mlflow.start_run(experiment_id=experiment_id):
            mlflow.log_metric("m", value)
            mlflow.set_tag("s.release", release)
    df = mlflow.search_runs([experiment_id], order_by=["metrics.m DESC"])
    assert list(df["metrics.m"]) == [2.5, 1.55]
    df = mlflow.search_runs([experiment_id], filter_string="tags.s.release ILIKE '%rc%'")
    assert list(df["tags.s.release"]) == ["1.1.0-RC"]
    df = mlflow.search_runs(experiment_names=["Social NLP Experiments"])
    assert len(df) == 2
    best = df.sort_values("metrics.m").iloc[-1]
    assert best["tags.s.release"] == "1.2.0-GA"


def test_empty_result_has_the_info_columns() -> None:
    df = mlflow.search_runs()
    assert list(df.columns) == INFO_COLUMNS
    assert len(df) == 0


def test_list_output_scope_and_max_results() -> None:
    ids = [mlflow.create_experiment(f"e{i}") for i in range(2)]
    for experiment_id in ids:
        for _ in range(3):
            with mlflow.start_run(experiment_id=experiment_id):
                pass
    runs = mlflow.search_runs(ids, output_format="list")
    assert len(runs) == 6 and all(isinstance(r, Run) for r in runs)
    assert len(mlflow.search_runs(ids[0], output_format="list")) == 3
    assert len(mlflow.search_runs(ids, max_results=4, output_format="list")) == 4
    assert len(mlflow.search_runs(search_all_experiments=True)) == 6
    assert len(mlflow.search_runs()) == 0  # default experiment "0" is empty
    assert len(mlflow.search_runs(experiment_names=["e1", "missing"])) == 3

    mlflow.set_experiment("e1")
    assert len(mlflow.search_runs()) == 3  # the active experiment

    with pytest.raises(MlflowException, match="not both") as info:
        mlflow.search_runs(experiment_ids=ids, experiment_names=["e0"])
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    with pytest.raises(MlflowException, match="output format"):
        mlflow.search_runs(output_format="json")


def test_paging_across_store_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from mltrail.tracking import fluent

    monkeypatch.setattr(fluent, "RUNS_PER_PAGE_PANDAS", 2)
    client = mlflow.MlflowClient()
    created = [client.create_run("0", start_time=1000 + i).info.run_id for i in range(5)]
    df = mlflow.search_runs(["0"])
    assert list(df["run_id"]) == created[::-1]
    assert len(mlflow.search_runs(["0"], max_results=3)) == 3


def test_deleted_runs_view_type() -> None:
    with mlflow.start_run() as run:
        pass
    mlflow.delete_run(run.info.run_id)
    assert len(mlflow.search_runs()) == 0
    deleted = mlflow.search_runs(run_view_type=ViewType.DELETED_ONLY)
    assert list(deleted["run_id"]) == [run.info.run_id]


def test_frame_building_is_fast_for_5000_runs() -> None:
    runs = []
    for i in range(5000):
        info = RunInfo(
            f"{i:032x}", "1", f"run-{i}", "u", "FINISHED", 1_700_000_000_000 + i,
            None if i % 3 == 0 else 1_700_000_001_000 + i, "/artifacts", "active",
        )  # fmt: skip
        data = RunData(
            tuple(Metric(f"m{k}", float(i + k), 0, 0) for k in range(7)),
            {f"p{k}": str(k) for k in range(7) if (i + k) % 5},
            {f"t{k}": "v" for k in range(6)},
        )
        runs.append(Run(info, data))
    runs_to_frame(runs[:10])  # warm up imports
    started = time.perf_counter()
    df = runs_to_frame(runs)
    elapsed = time.perf_counter() - started
    assert df.shape == (5000, 26)
    assert elapsed < 0.5, f"building the frame took {elapsed:.3f}s"
    assert df["metrics.m3"][10] == 13.0
    assert pd.isna(df["end_time"][0]) and not pd.isna(df["end_time"][1])
    assert _is_missing(df["params.p0"][0]) and df["params.p1"][0] == "1"
