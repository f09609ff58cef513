"""Small real models for the scoring tests.

``EchoModel`` is a plain object with ``predict(data, params=None)`` and ``metadata`` (the
protocol the scoring server needs): it reports what the server handed it. ``LINEAR_MODEL_SCRIPT``
saves a pyfunc ``PythonModel`` (defined in ``__main__`` so cloudpickle stores it by value and
any process can load it) with a signature and a params schema.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from mltrail.types import ColSpec, ParamSchema, ParamSpec, Schema


class EchoMetadata:
    def __init__(self, inputs: Schema | None, params: ParamSchema | None = None) -> None:
        self._inputs = inputs
        self._params = params

    def get_input_schema(self) -> Schema | None:
        return self._inputs

    def get_params_schema(self) -> ParamSchema | None:
        return self._params


def describe(data: Any) -> dict[str, Any]:
    """What kind of value arrived, with its dtypes and values (JSON-able)."""
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return {
            "type": "DataFrame",
            "dtypes": {str(c): str(t) for c, t in data.dtypes.items()},
            "records": data.to_dict(orient="records"),
        }
    if isinstance(data, np.ndarray):
        return {"type": "ndarray", "dtype": str(data.dtype), "values": data.tolist()}
    if isinstance(data, dict):
        return {"type": "dict", "items": {str(k): describe(v) for k, v in data.items()}}
    if isinstance(data, list):
        return {"type": "list", "items": [describe(v) for v in data]}
    return {"type": type(data).__name__, "value": data}


class EchoModel:
    """Returns a description of its input and params instead of predicting."""

    def __init__(self, inputs: Schema | None = None, params: ParamSchema | None = None) -> None:
        self.metadata = EchoMetadata(inputs, params)

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"data": describe(data), "params": params}


class FailingModel:
    metadata = EchoMetadata(None)

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        raise ZeroDivisionError("the model divided by zero")


XY_SCHEMA = Schema([ColSpec("double", "x"), ColSpec("long", "y")])
K_PARAMS = ParamSchema([ParamSpec("k", "long", 1)])

LINEAR_MODEL_SCRIPT = """
import sys
import pandas as pd
import mltrail.pyfunc as pyfunc
from mltrail.models.signature import ModelSignature
from mltrail.types import ColSpec, ParamSchema, ParamSpec, Schema

class Linear(pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        k = (params or {}).get("k", 1)
        return pd.DataFrame({"z": model_input["x"] * k + model_input["y"]})

signature = ModelSignature(
    inputs=Schema([ColSpec("double", "x"), ColSpec("long", "y")]),
    outputs=Schema([ColSpec("double", "z")]),
    params=ParamSchema([ParamSpec("k", "long", 1)]),
)
pyfunc.save_model(sys.argv[1], python_model=Linear(), signature=signature)
"""


def save_linear_model(path: Path) -> Path:
    """Save the linear model (z = x * k + y) at ``path`` in a separate process."""
    subprocess.run([sys.executable, "-c", LINEAR_MODEL_SCRIPT, str(path)], check=True)
    return path
