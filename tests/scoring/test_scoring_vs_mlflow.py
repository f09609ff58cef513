"""Same requests through MLflow 3.17.2's scoring code (in its own virtualenv) and mltrail's.

An echo model returns a description of the input it was handed (type, dtypes, values), so
equal response bodies mean both parsed the request into the same pandas/numpy input and
encoded the output the same way. Error cases compare the HTTP status only.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
from scoring_models import EchoModel, describe

from helpers.servers import run_with_real_mlflow
from mltrail.exceptions import MlflowException
from mltrail.pyfunc.scoring_input import UnsupportedContentType
from mltrail.pyfunc.scoring_server import score
from mltrail.types import ParamSchema, Schema

XY = '[{"type": "double", "name": "x"}, {"type": "long", "name": "y"}]'
TENSOR = '[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, 2]}}]'
UNNAMED = '[{"type": "long"}]'
BINARY = '[{"type": "binary", "name": "b"}, {"type": "string", "name": "s"}]'
PARAMS = '[{"name": "k", "type": "long", "default": 1, "shape": null}]'
J, CSV = "application/json", "text/csv"

CASES: list[tuple[str | None, str, str]] = [
    (XY, J, '{"dataframe_split": {"columns": ["x", "y"], "data": [[1, 2], [3, 4]]}}'),
    (XY, J, '{"dataframe_split": {"columns": ["x", "y"], "data": [[1.5, 2]], "index": [9]}}'),
    (XY, J, '{"dataframe_records": [{"x": 1, "y": 2}, {"x": 2.5, "y": 3}], "params": {"k": 4}}'),
    (XY, J, '{"instances": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]}'),
    (XY, J, '{"inputs": {"x": [1, 2], "y": [3, 4]}}'),
    (XY, J, '{"inputs": [{"x": 1, "y": 2}]}'),
    (None, J, '{"inputs": [[1, 2], [3, 4]]}'),
    (None, J, '{"instances": [1, 2, 3]}'),
    (None, J, '{"dataframe_records": [{"a": "u", "b": null}]}'),
    (TENSOR, J, '{"inputs": [[1, 2], [3, 4]]}'),
    (TENSOR, J, '{"dataframe_split": {"data": [[1, 2]]}}'),
    (UNNAMED, J, '{"inputs": 7}'),
    (UNNAMED, J, '{"inputs": [1, 2]}'),
    (BINARY, J, '{"dataframe_records": [{"b": "aGk=", "s": "t"}]}'),
    (XY, J, '{"prompt": "hi", "k": 3, "x": 1}'),
    (XY, CSV, "x,y\n1,2\n3,4\n"),
    (None, CSV, "a,b\n1,u\n2.5,v\n"),
    # errors: statuses must agree
    (XY, J, '{"dataframe_split": {"columns": ["x", "y"], "data": [["a", 1]]}}'),
    (XY, J, '{"dataframe_split": {"columns": ["x"]}}'),
    (XY, J, '{"dataframe_records": {"x": 1}}'),
    (XY, J, '{"instances": [{"x": 1, "y": 2}, {"x": 3}]}'),
    (XY, J, '{"inputs": 1, "instances": [1]}'),
    (XY, J, '{"data": [[1, 2]]}'),
    (XY, J, "[1, 2]"),
    (XY, J, '{"dataframe_split": '),
    (UNNAMED, J, '{"inputs": {"a": [1]}}'),
    (XY, CSV, "x,y\nabc,2\n"),
    (XY, "text/plain", "x"),
    (XY, "application/json; format=pandas-split", '{"inputs": 1}'),
]

_MLFLOW_SCRIPT = """
import json, sys, logging, warnings
from typing import Any
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
from mlflow.exceptions import MlflowException
from mlflow.pyfunc.scoring_server import invocations
from mlflow.types import ParamSchema, Schema

DESCRIBE

class Metadata:
    def __init__(self, params):
        self._params = params
    def get_params_schema(self):
        return self._params

class Echo:
    def __init__(self, params):
        self.metadata = Metadata(params)
    def predict(self, data, params=None):
        return {"data": describe(data), "params": params}

model = Echo(ParamSchema.from_json(PARAMS))
out = []
for schema, content_type, body in json.loads(CASES):
    schema = Schema.from_json(schema) if schema else None
    try:
        result = invocations(body.encode(), content_type, model, schema)
        out.append([result.status, result.response if result.status == 200 else None])
    except MlflowException as exc:
        out.append([exc.get_http_status_code(), None])
print(json.dumps(out))
"""


def _mltrail_outcome(schema: str | None, content_type: str, body: str) -> list[Any]:
    model = EchoModel(Schema.from_json(schema) if schema else None, ParamSchema.from_json(PARAMS))
    try:
        return [200, score(model, body.encode(), content_type)]
    except UnsupportedContentType:
        return [415, None]
    except MlflowException as exc:
        return [exc.get_http_status_code(), None]


@pytest.fixture(scope="module")
def mlflow_outcomes() -> list[list[Any]]:
    script = (
        _MLFLOW_SCRIPT.replace("DESCRIBE", inspect.getsource(describe))
        .replace("PARAMS", repr(PARAMS))
        .replace("CASES", repr(json.dumps(CASES)))
    )
    result = run_with_real_mlflow(script, timeout=120)
    assert isinstance(result, list) and len(result) == len(CASES)
    return result


@pytest.mark.parametrize("index", range(len(CASES)), ids=[c[2][:40] for c in CASES])
def test_same_parsed_input_and_status_as_mlflow(
    index: int, mlflow_outcomes: list[list[Any]]
) -> None:
    expected_status, expected_body = mlflow_outcomes[index]
    status, body = _mltrail_outcome(*CASES[index])
    assert status == expected_status, (CASES[index], body)
    if expected_body is not None:
        assert json.loads(body) == json.loads(expected_body)
