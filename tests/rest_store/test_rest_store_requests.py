"""What RestTrackingStore puts on the wire and how it reads answers, checked against a
scripted local server (paths, methods, query strings, JSON bodies, paging, error codes)."""

from __future__ import annotations

import math

import pytest
from scripted_server import Reply, ScriptedServer

import mltrail
from mltrail.entities import ExperimentTag, Metric, Param, RunStatus, RunTag, ViewType
from mltrail.exceptions import PERMISSION_DENIED, RESOURCE_DOES_NOT_EXIST, RestException
from mltrail.store.tracking.rest import RestTrackingStore

RUN_ID = "a" * 32
RUN_JSON = {
    "info": {
        "run_id": RUN_ID,
        "run_uuid": RUN_ID,
        "experiment_id": "4",
        "run_name": "r",
        "user_id": "u",
        "status": "RUNNING",
        "start_time": 1700000000000,
        "artifact_uri": "mlflow-artifacts:/4/" + RUN_ID + "/artifacts",
        "lifecycle_stage": "active",
    },
    "data": {
        "metrics": [{"key": "m", "value": "NaN", "timestamp": "1700000000001", "step": 2}],
        "params": [{"key": "p", "value": "1"}],
        "tags": [{"key": "mlflow.runName", "value": "r"}],
    },
    "inputs": {},
}


@pytest.fixture
def store(scripted_server: ScriptedServer) -> RestTrackingStore:
    return RestTrackingStore(scripted_server.url + "/prefix/")


def test_get_run_sends_run_uuid_and_run_id_and_parses_the_run(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    scripted_server.script(Reply(200, {"run": RUN_JSON}))
    run = store.get_run(RUN_ID)
    (request,) = scripted_server.received
    assert (request.method, request.path) == ("GET", "/prefix/api/2.0/mlflow/runs/get")
    assert request.query == {"run_uuid": [RUN_ID], "run_id": [RUN_ID]}
    assert run.info.run_id == RUN_ID and run.info.experiment_id == "4"
    assert run.info.end_time is None
    assert math.isnan(run.data.metrics["m"])
    assert run.data.latest_metrics[0].timestamp == 1700000000001
    assert run.data.params == {"p": "1"}


def test_create_experiment_returns_the_id_and_sends_tags(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    scripted_server.script(Reply(200, {"experiment_id": "12"}))
    assert store.create_experiment("exp", None, [ExperimentTag("k", "v")]) == "12"
    (request,) = scripted_server.received
    assert (request.method, request.path) == ("POST", "/prefix/api/2.0/mlflow/experiments/create")
    assert request.json() == {"name": "exp", "tags": [{"key": "k", "value": "v"}]}


def test_get_experiment_by_name_maps_only_does_not_exist_to_none(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    scripted_server.script(
        Reply(404, {"error_code": RESOURCE_DOES_NOT_EXIST, "message": "no such experiment"}),
        Reply(403, {"error_code": PERMISSION_DENIED, "message": "no access"}),
    )
    assert store.get_experiment_by_name("ghost") is None
    assert scripted_server.received[0].query == {"experiment_name": ["ghost"]}
    with pytest.raises(RestException) as caught:
        store.get_experiment_by_name("secret")
    assert caught.value.error_code == PERMISSION_DENIED


def test_log_batch_body_encodes_nan_and_infinity(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    store.log_batch(
        RUN_ID,
        [Metric("a", float("nan"), 5, 1), Metric("b", float("-inf"), 6, 0), Metric("c", 1.5, 7)],
        [Param("p", "1")],
        [RunTag("t", "")],
    )
    (request,) = scripted_server.received
    assert request.path == "/prefix/api/2.0/mlflow/runs/log-batch"
    assert request.json() == {
        "run_id": RUN_ID,
        "metrics": [
            {"key": "a", "value": "NaN", "timestamp": 5, "step": 1},
            {"key": "b", "value": "-Infinity", "timestamp": 6, "step": 0},
            {"key": "c", "value": 1.5, "timestamp": 7, "step": 0},
        ],
        "params": [{"key": "p", "value": "1"}],
        "tags": [{"key": "t", "value": ""}],
    }


def test_single_value_endpoints(store: RestTrackingStore, scripted_server: ScriptedServer) -> None:
    store.log_metric(RUN_ID, Metric("m", float("inf"), 10, 3))
    store.log_param(RUN_ID, Param("p", "v"))
    store.set_tag(RUN_ID, RunTag("t", "v"))
    store.delete_tag(RUN_ID, "t")
    paths = [r.path.removeprefix("/prefix/api/2.0/mlflow/") for r in scripted_server.received]
    assert paths == ["runs/log-metric", "runs/log-parameter", "runs/set-tag", "runs/delete-tag"]
    metric_body = scripted_server.received[0].json()
    assert metric_body == {
        "run_uuid": RUN_ID,
        "run_id": RUN_ID,
        "key": "m",
        "value": "Infinity",
        "timestamp": 10,
        "step": 3,
    }
    assert scripted_server.received[3].json() == {"run_id": RUN_ID, "key": "t"}


def test_update_run_info_sends_the_status_name(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    info = {**RUN_JSON["info"], "status": "FINISHED", "end_time": 1700000000999}
    scripted_server.script(Reply(200, {"run_info": info}))
    result = store.update_run_info(RUN_ID, RunStatus.FINISHED, 1700000000999, None)
    assert scripted_server.received[0].json() == {
        "run_uuid": RUN_ID,
        "run_id": RUN_ID,
        "status": "FINISHED",
        "end_time": 1700000000999,
    }
    assert result.status == "FINISHED" and result.end_time == 1700000000999


def test_metric_history_follows_page_tokens(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    scripted_server.script(
        Reply(200, {"metrics": [{"key": "m", "value": 1, "timestamp": 1, "step": 0}],
                    "next_page_token": "tok1"}),
        Reply(200, {"metrics": [{"key": "m", "value": "NaN", "timestamp": 2, "step": 1}]}),
    )  # fmt: skip
    history = store.get_metric_history(RUN_ID, "m")
    assert [m.step for m in history] == [0, 1]
    assert math.isnan(history[1].value)
    assert history.token is None
    first, second = scripted_server.received
    assert first.query == {
        "run_uuid": [RUN_ID],
        "run_id": [RUN_ID],
        "metric_key": ["m"],
        "max_results": ["25000"],
    }
    assert second.query["page_token"] == ["tok1"]


def test_metric_history_single_page_keeps_the_token(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    scripted_server.script(Reply(200, {"metrics": [], "next_page_token": "more"}))
    page = store.get_metric_history(RUN_ID, "m", max_results=10, page_token="t0")
    assert page == [] and page.token == "more"
    assert scripted_server.received[0].query["max_results"] == ["10"]
    assert scripted_server.received[0].query["page_token"] == ["t0"]


def test_search_runs_body_and_token(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    scripted_server.script(Reply(200, {"runs": [RUN_JSON], "next_page_token": "next"}))
    page = store.search_runs(
        ["1", "2"], "metrics.m > 0", ViewType.ALL, 5, ["metrics.m DESC"], "prev"
    )
    assert [r.info.run_id for r in page] == [RUN_ID] and page.token == "next"
    assert scripted_server.received[0].json() == {
        "experiment_ids": ["1", "2"],
        "filter": "metrics.m > 0",
        "run_view_type": "ALL",
        "max_results": 5,
        "order_by": ["metrics.m DESC"],
        "page_token": "prev",
    }


def test_search_experiments_body_and_empty_answer(
    store: RestTrackingStore, scripted_server: ScriptedServer
) -> None:
    page = store.search_experiments(ViewType.DELETED_ONLY, 7)
    assert page == [] and page.token is None
    assert scripted_server.received[0].json() == {"view_type": "DELETED_ONLY", "max_results": 7}


def test_fluent_api_reaches_a_prefixed_server(
    scripted_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", scripted_server.url + "/prefix")
    experiment = {
        "experiment_id": "3",
        "name": "e",
        "artifact_location": "mlflow-artifacts:/3",
        "lifecycle_stage": "active",
    }
    scripted_server.script(Reply(200, {"experiment": experiment}))
    assert mltrail.get_experiment("3").name == "e"
    assert scripted_server.received[0].path == "/prefix/api/2.0/mlflow/experiments/get"
