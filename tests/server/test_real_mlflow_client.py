"""The real MLflow 3.17.2 client (run out of process) against a real ``mltrail server``.

Each test runs a script under the MLflow virtualenv (``helpers.servers.run_real_client``);
the script prints one JSON line with what it observed, and the test asserts on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.servers import ServerHandle, run_real_client, start_mltrail_server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    with start_mltrail_server(tmp_path_factory.mktemp("real-client")) as handle:
        yield handle


def run(server: ServerHandle, body: str, tmp_path: Path) -> dict:
    return run_real_client(server, body, tmp_path)


def test_experiments_lifecycle(server: ServerHandle, tmp_path: Path):
    result = run(server, """
        eid = client.create_experiment("real-exp", tags={"team": "vision"})
        client.create_experiment("real-other")
        found = [e.name for e in client.search_experiments(filter_string="tags.team = 'vision'")]
        by_name = client.get_experiment_by_name("real-exp").experiment_id
        duplicate = error_code(lambda: client.create_experiment("real-exp"))
        client.rename_experiment(eid, "real-renamed")
        renamed = client.get_experiment(eid).name
        client.delete_experiment(eid)
        deleted = client.get_experiment(eid).lifecycle_stage
        active = [e.name for e in client.search_experiments()]
        client.restore_experiment(eid)
        restored = client.get_experiment(eid).lifecycle_stage
        missing = client.get_experiment_by_name("no-such-experiment")
        mlflow.set_experiment("set-by-name")
        print(json.dumps({
            "found": found, "by_name": by_name == eid, "duplicate": duplicate,
            "renamed": renamed, "deleted": deleted, "active": active, "restored": restored,
            "missing": missing is None,
            "created": client.get_experiment_by_name("set-by-name") is not None,
        }))
    """, tmp_path)  # fmt: skip
    assert result["found"] == ["real-exp"] and result["by_name"]
    assert result["duplicate"] == "RESOURCE_ALREADY_EXISTS"
    assert result["renamed"] == "real-renamed" and result["deleted"] == "deleted"
    assert "real-renamed" not in result["active"] and result["restored"] == "active"
    assert result["missing"] and result["created"]


def test_runs_logging_and_errors(server: ServerHandle, tmp_path: Path):
    result = run(server, """
        from mlflow.entities import Metric
        import time
        mlflow.set_experiment("real-runs")
        with mlflow.start_run(run_name="parent") as parent:
            mlflow.log_params({"lr": 0.01, "epochs": 10})
            for step in range(5):
                mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
            mlflow.set_tags({"team": "a", "stage": "dev"})
            mlflow.log_metric("nan_metric", float("nan"))
            with mlflow.start_run(nested=True) as child:
                mlflow.log_metric("val", 0.3)
            now = int(time.time() * 1000)
            client.log_batch(parent.info.run_id,
                             metrics=[Metric("batch", i, now, i) for i in range(1000)])
            conflicting = error_code(lambda: mlflow.log_param("lr", 0.5))
        failed = client.create_run(parent.info.experiment_id)
        client.set_terminated(failed.info.run_id, "FAILED")
        killed = client.create_run(parent.info.experiment_id)
        client.set_terminated(killed.info.run_id, "KILLED")
        client.delete_run(killed.info.run_id)
        deleted_stage = client.get_run(killed.info.run_id).info.lifecycle_stage
        client.restore_run(killed.info.run_id)
        got = client.get_run(parent.info.run_id)
        child_run = client.get_run(child.info.run_id)
        history = client.get_metric_history(parent.info.run_id, "loss")
        batch = client.get_metric_history(parent.info.run_id, "batch")
        print(json.dumps({
            "params": got.data.params, "metrics": {k: str(v) for k, v in got.data.metrics.items()},
            "tags": {k: v for k, v in got.data.tags.items() if not k.startswith("mlflow.source")},
            "status": got.info.status, "name": got.info.run_name,
            "parent_tag": child_run.data.tags.get("mlflow.parentRunId") == parent.info.run_id,
            "history": [(m.step, m.value) for m in history], "batch": len(batch),
            "conflicting": conflicting,
            "failed": client.get_run(failed.info.run_id).info.status,
            "killed": client.get_run(killed.info.run_id).info.status,
            "deleted_stage": deleted_stage,
            "restored_stage": client.get_run(killed.info.run_id).info.lifecycle_stage,
            "missing_run": error_code(lambda: client.get_run("0" * 32)),
            "missing_experiment": error_code(lambda: client.get_experiment("424242")),
        }))
    """, tmp_path)  # fmt: skip
    assert result["params"] == {"lr": "0.01", "epochs": "10"}
    assert result["metrics"]["loss"] == "0.2" and result["metrics"]["nan_metric"] == "nan"
    assert result["metrics"]["batch"] == "999.0"
    assert result["tags"]["team"] == "a" and result["tags"]["mlflow.runName"] == "parent"
    assert result["status"] == "FINISHED" and result["name"] == "parent"
    assert result["parent_tag"]
    assert result["history"] == [[i, 1.0 / (i + 1)] for i in range(5)]
    assert result["batch"] == 1000
    assert result["conflicting"] == "INVALID_PARAMETER_VALUE"
    assert (result["failed"], result["killed"]) == ("FAILED", "KILLED")
    assert (result["deleted_stage"], result["restored_stage"]) == ("deleted", "active")
    assert result["missing_run"] == "RESOURCE_DOES_NOT_EXIST"
    assert result["missing_experiment"] == "RESOURCE_DOES_NOT_EXIST"


def test_search_runs_over_250_runs(server: ServerHandle, tmp_path: Path):
    result = run(server, """
        from mlflow.entities import Metric, Param, RunTag
        eid = client.create_experiment("real-search")
        for i in range(250):
            run = client.create_run(eid, start_time=1000 + i, tags={"parity": str(i % 2)})
            client.log_batch(run.info.run_id, metrics=[Metric("score", i, 1, 0)],
                             params=[Param("i", str(i))])
        pages, token, seen = 0, None, []
        while True:
            page = client.search_runs([eid], filter_string="tags.parity = '0'",
                                      order_by=["metrics.score DESC"], max_results=40,
                                      page_token=token)
            seen += [int(r.data.params["i"]) for r in page]
            pages += 1
            token = page.token
            if not token:
                break
        frame = mlflow.search_runs([eid], filter_string="metrics.score < 10",
                                   order_by=["attributes.start_time ASC"])
        everything = mlflow.search_runs([eid])
        bad_filter = error_code(lambda: client.search_runs([eid], filter_string="metrics.x <"))
        print(json.dumps({
            "seen": seen, "pages": pages, "frame_scores": frame["metrics.score"].tolist(),
            "frame_columns": sorted(c for c in frame.columns if "." in c),
            "total": len(everything), "bad_filter": bad_filter,
        }))
    """, tmp_path)  # fmt: skip
    assert result["seen"] == list(range(248, -1, -2))
    assert result["pages"] == 4
    assert result["frame_scores"] == [float(i) for i in range(10)]
    assert {"metrics.score", "params.i", "tags.parity"} <= set(result["frame_columns"])
    assert result["total"] == 250
    assert result["bad_filter"] == "INVALID_PARAMETER_VALUE"


def test_sklearn_log_model_and_load_it_back(server: ServerHandle, tmp_path: Path):
    result = run(server, """
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        mlflow.set_experiment("real-models")
        X = np.array([[0.0, 1.0], [1.0, 0.0], [0.2, 0.9], [0.9, 0.1]]); y = np.array([0, 1, 0, 1])
        with mlflow.start_run() as run:
            mlflow.log_metric("acc", 1.0)
            info = mlflow.sklearn.log_model(LogisticRegression().fit(X, y), name="model")
        by_model_uri = mlflow.sklearn.load_model(info.model_uri).predict(X).tolist()
        by_run_uri = mlflow.sklearn.load_model(f"runs:/{run.info.run_id}/model").predict(X).tolist()
        model = client.get_logged_model(info.model_id)
        outputs = client.get_run(run.info.run_id).outputs.model_outputs
        print(json.dumps({
            "by_model_uri": by_model_uri, "by_run_uri": by_run_uri, "status": str(model.status),
            "source_run": model.source_run_id == run.info.run_id,
            "outputs": [o.model_id for o in outputs] == [info.model_id],
            "metrics": {m.key: m.value for m in model.metrics or []},
        }))
    """, tmp_path)  # fmt: skip
    assert result["by_model_uri"] == [0, 1, 0, 1] and result["by_run_uri"] == [0, 1, 0, 1]
    assert "READY" in result["status"]
    assert result["source_run"] and result["outputs"]
    assert result["metrics"] == {"acc": 1.0}
