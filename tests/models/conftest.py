"""The real MLflow's answers for the shared example data, computed once per test session."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest
from model_case_loader import CASES_PATH

from helpers.servers import run_with_real_mlflow

_MLFLOW_SCRIPT = """
import json, os, tempfile, warnings, logging
warnings.filterwarnings("ignore")
logging.disable(logging.CRITICAL)
from mlflow.models import Model, infer_signature
from mlflow.models.utils import _save_example, _enforce_schema, _read_example
from mlflow.types import Schema

def attempt(fn):
    try:
        return fn()
    except Exception as exc:
        return "ERROR " + type(exc).__name__

def saved(example):
    directory = tempfile.mkdtemp()
    model = Model()
    _save_example(model, example, directory)
    files = {}
    for name in sorted(os.listdir(directory)):
        with open(os.path.join(directory, name)) as fh:
            files[name] = fh.read()
    return {"info": model.saved_input_example_info, "files": files}

def outcome(value):
    import numpy as np, pandas as pd
    if isinstance(value, pd.DataFrame):
        return {"columns": [str(c) for c in value.columns],
                "dtypes": [str(d) for d in value.dtypes], "rows": len(value)}
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, dict):
        return {str(k): outcome(v) for k, v in value.items()}
    return repr(value)

def enforced(data, schema_json):
    try:
        return outcome(_enforce_schema(data, Schema.from_json(schema_json)))
    except Exception as exc:
        return "ERROR " + type(exc).__name__

def read_back(example, with_schema):
    directory = tempfile.mkdtemp()
    model = Model()
    _save_example(model, example, directory)
    if with_schema:
        model.signature = infer_signature(example)
    return describe(_read_example(model, directory))

out = {
    "read_back": {k: [read_back(v, False), read_back(v, True)]
                  for k, v in read_back_cases().items()},
    "enforcement": {k: enforced(*v) for k, v in enforcement_cases().items()},
    "inputs": {k: attempt(lambda v=v: infer_signature(v).to_dict())
               for k, v in signature_inputs().items()},
    "outputs": {k: attempt(lambda v=v: infer_signature(*v).to_dict())
                for k, v in signature_outputs().items()},
    "params": {k: attempt(lambda v=v: infer_signature(["x"], params=v).to_dict())
               for k, v in signature_params().items()},
    "examples": {k: saved(v) for k, v in {**input_examples(), **sparse_examples()}.items()},
}
print(json.dumps(out))
"""


@pytest.fixture(scope="session")
def mlflow_reference() -> dict[str, Any]:
    """Per case: signature dicts (inputs/outputs/params), saved example files and info
    (examples), and what schema enforcement returned or raised (enforcement)."""
    script = CASES_PATH.read_text() + "\n" + textwrap.dedent(_MLFLOW_SCRIPT)
    result = run_with_real_mlflow(script, timeout=120)
    assert set(result) == {"inputs", "outputs", "params", "examples", "enforcement", "read_back"}
    return json.loads(json.dumps(result))
