"""The scoring app in process (Starlette TestClient): formats, errors, limits, host check."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scoring_models import K_PARAMS, XY_SCHEMA, EchoModel, FailingModel

import mltrail
from mltrail.pyfunc.scoring_output import predictions_to_json

JSON = {"content-type": "application/json"}


def post(client: Any, payload: object, headers: dict[str, str] | None = None) -> Any:
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post("/invocations", content=body, headers=headers or JSON)


def assert_json_error(response: Any, status: int, code: str, fragment: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["error_code"] == code
    assert fragment in body["message"], body["message"]
    assert "stack_trace" not in body and "Traceback" not in body["message"]
    return body


@pytest.fixture
def linear(scoring_client: Any, linear_model_dir: Path) -> Any:
    return scoring_client(mltrail.pyfunc.load_model(str(linear_model_dir)))


@pytest.mark.parametrize(
    "payload",
    [
        {"dataframe_split": {"columns": ["x", "y"], "data": [[1, 2], [3, 4]]}, "params": {"k": 2}},
        {"dataframe_records": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "params": {"k": 2}},
        {"instances": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "params": {"k": 2}},
        {"inputs": {"x": [1, 3], "y": [2, 4]}, "params": {"k": 2}},
    ],
)
def test_every_json_format_predicts(linear: Any, payload: object) -> None:
    response = post(linear, payload)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"predictions": [{"z": 4.0}, {"z": 10.0}]}


def test_csv_predicts_and_params_default(linear: Any) -> None:
    response = post(linear, "x,y\n1,2\n3,4\n", {"content-type": "text/csv; charset=utf-8"})
    assert response.status_code == 200, response.text
    assert response.text == '{"predictions": [{"z": 3.0}, {"z": 7.0}]}'


def test_missing_column_is_named(linear: Any) -> None:
    response = post(linear, {"dataframe_split": {"columns": ["x"], "data": [[1]]}})
    body = assert_json_error(response, 400, "INVALID_PARAMETER_VALUE", "missing inputs ['y']")
    assert body["error_class"] == "SCHEMA_ENFORCEMENT_FAILED"
    assert body["sqlstate"] == "KAM01"
    assert body["message"].startswith("Failed to predict data '")


def test_unsafe_conversions_are_400(linear: Any) -> None:
    as_string = {"dataframe_split": {"columns": ["x", "y"], "data": [["abc", 1]]}}
    assert_json_error(post(linear, as_string), 400, "BAD_REQUEST", "Failed to convert column x")
    bad_param = {"dataframe_records": [{"x": 1, "y": 2}], "params": {"k": "abc"}}
    assert_json_error(post(linear, bad_param), 400, "INVALID_PARAMETER_VALUE", "'k'")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ('{"dataframe_split": ', "valid JSON formatted string"),
        ('{"bogus": {"data": [[1]]}}', "Received dictionary with input fields: []"),
        ("[[1, 2]]", "Received a list"),
        ('{"dataframe_records": {"x": 1}}', "must be a list of records"),
    ],
)
def test_malformed_requests_are_400(linear: Any, body: str, fragment: str) -> None:
    assert_json_error(post(linear, body), 400, "BAD_REQUEST", fragment)


@pytest.mark.parametrize(
    ("headers", "fragment"),
    [
        ({"content-type": "text/plain"}, "only supports the following content types"),
        ({"content-type": "application/json; format=pandas-split"}, "Unrecognized content type"),
        ({"content-type": "application/json; charset=utf-16"}, "only supports UTF-8"),
        ({}, "no Content-Type header"),
    ],
)
def test_unsupported_content_types_are_415(
    linear: Any, headers: dict[str, str], fragment: str
) -> None:
    response = linear.post("/invocations", content=b'{"inputs": 1}', headers=headers)
    assert_json_error(response, 415, "BAD_REQUEST", fragment)


def test_oversized_body_is_413(scoring_client: Any) -> None:
    client = scoring_client(EchoModel(), max_body_bytes=1000)
    big = {"inputs": {"s": ["a" * 2000]}}
    assert_json_error(post(client, big), 413, "BAD_REQUEST", "larger than the limit of 1000")
    assert post(client, {"inputs": {"s": ["a"]}}).status_code == 200


def test_model_errors_are_400_without_stack_trace(scoring_client: Any) -> None:
    client = scoring_client(FailingModel())
    response = post(client, {"inputs": [1]})
    assert_json_error(response, 400, "BAD_REQUEST", "ZeroDivisionError: the model divided by zero")


def test_slow_prediction_times_out_with_504(scoring_client: Any) -> None:
    class Slow(EchoModel):
        def predict(self, data: Any, params: Any = None) -> Any:
            time.sleep(1.0)
            return data

    client = scoring_client(Slow(), timeout_seconds=0.1)
    assert_json_error(post(client, {"inputs": [1]}), 504, "DEADLINE_EXCEEDED", "exceeded")


def test_service_routes_and_unknown_paths(linear: Any) -> None:
    for path in ("/ping", "/health"):
        response = linear.get(path)
        assert (response.status_code, response.text) == (200, "\n")
        assert response.headers["content-type"] == "application/json"
    assert linear.get("/version").text == mltrail.__version__
    assert linear.get("/nope").json() == {"detail": "Not Found"}
    response = linear.get("/invocations")
    assert (response.status_code, response.json()) == (405, {"detail": "Method Not Allowed"})


def test_foreign_host_header_is_refused(scoring_client: Any) -> None:
    client = scoring_client(EchoModel(), base_url="http://evil.example")
    assert_json_error(client.get("/ping"), 403, "PERMISSION_DENIED", "evil.example")
    allowed = scoring_client(EchoModel(), base_url="http://evil.example", allowed_hosts=["*"])
    assert allowed.get("/ping").status_code == 200


def test_echo_model_receives_parsed_types(scoring_client: Any) -> None:
    client = scoring_client(EchoModel(XY_SCHEMA, K_PARAMS))
    response = post(client, {"instances": [{"x": 1, "y": 2}], "params": {"k": 5}})
    echoed = response.json()["predictions"]
    assert echoed["params"] == {"k": 5}
    assert echoed["data"]["items"]["x"] == {"type": "ndarray", "dtype": "float64", "values": [1.0]}
    llm = post(client, {"prompt": "hello", "k": 2}).json()  # unified LLM: no wrapper
    assert llm == {"data": {"type": "dict", "items": {"prompt": {"type": "str", "value": "hello"}}},
                   "params": {"k": 2}}  # fmt: skip


def test_prediction_encoding_matches_mlflow_conventions() -> None:
    frame = pd.DataFrame({"a": [1.5, np.nan], "b": pd.Series(["x", None], dtype=object)})
    assert predictions_to_json(frame) == (
        '{"predictions": [{"a": 1.5, "b": "x"}, {"a": NaN, "b": null}]}'
    )
    assert predictions_to_json(pd.Series([1, 2])) == '{"predictions": [{"0": 1}, {"0": 2}]}'
    assert predictions_to_json(pd.Series([1], name="s")) == '{"predictions": [{"s": 1}]}'
    assert predictions_to_json(np.array([[0.5, np.inf]])) == '{"predictions": [[0.5, Infinity]]}'
    assert predictions_to_json({"n": np.int64(3), "b": b"hi"}) == (
        '{"predictions": {"n": 3, "b": "aGk=\\n"}}'
    )
    assert predictions_to_json(pd.Timestamp("2024-01-02")) == (
        '{"predictions": "2024-01-02T00:00:00"}'
    )
    assert predictions_to_json("text", unwrapped=True) == '"text"'
