"""Save and load model input examples (``input_example.json``, ``serving_input_example.json``).

The files and the returned ``saved_input_example_info`` mapping match MLflow's byte for byte.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import DataType
from mltrail.types.schema import Schema

EXAMPLE_FILENAME = "input_example.json"
SERVING_EXAMPLE_FILENAME = "serving_input_example.json"
# Dict examples with one of these keys are chat-style requests, served unwrapped.
_CHAT_KEYS = ("messages",)


class _ExampleEncoder(json.JSONEncoder):
    """numpy/pandas aware: numpy scalars and arrays, bytes (base64), datetimes (ISO)."""

    def default(self, o: Any) -> Any:
        import numpy as np

        if isinstance(o, np.ndarray):
            return o.tolist()
        if isinstance(o, np.generic):
            return o.item()
        if isinstance(o, bytes | bytearray):
            return base64.encodebytes(bytes(o)).decode("ascii")
        if isinstance(o, dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, np.datetime64):
            return str(o)
        return super().default(o)


def _nan_to_none(value: Any) -> Any:
    if isinstance(value, list):
        return [_nan_to_none(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _array_json(array: Any) -> Any:
    return _nan_to_none(array.tolist())


def _is_sparse(data: Any) -> bool:
    return type(data).__module__.startswith("scipy.sparse") and hasattr(data, "indptr")


def _encode(data: Any) -> tuple[dict[str, Any], Any, Any]:
    """(info fields, input_example.json payload, serving payload without params)."""
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.Series):
        data = data.to_frame()
    if isinstance(data, pd.DataFrame):
        split = data.to_dict(orient="split", index=False)
        default_columns = isinstance(data.columns, pd.RangeIndex) and list(data.columns) == list(
            range(len(data.columns))
        )
        if default_columns:
            split.pop("columns", None)
        info = {"type": "dataframe", "pandas_orient": "values" if default_columns else "split"}
        return info, split, {"dataframe_split": split}
    if isinstance(data, np.ndarray):
        encoded = _array_json(data)
        return {"type": "ndarray"}, encoded, {"inputs": encoded}
    if isinstance(data, dict) and data and all(isinstance(v, np.ndarray) for v in data.values()):
        encoded = {k: _array_json(v) for k, v in data.items()}
        return {"type": "ndarray"}, encoded, {"inputs": encoded}
    if _is_sparse(data):
        fmt = data.getformat()
        encoded = {
            "data": data.data.tolist(),
            "indices": data.indices.tolist(),
            "indptr": data.indptr.tolist(),
            "shape": list(data.shape),
        }
        dense = _array_json(data.toarray())
        return {"type": f"sparse_matrix_{fmt}"}, encoded, {"inputs": dense}
    if isinstance(data, dict | list | str | bytes | int | float | bool | np.generic):
        is_chat = isinstance(data, dict) and any(k in data for k in _CHAT_KEYS)
        return {"type": "json_object"}, data, (data if is_chat else {"inputs": data})
    raise MlflowException(
        f"Unsupported input example type {type(data).__name__}: use a pandas DataFrame, a "
        "numpy array, a dict of numpy arrays, a scipy sparse matrix, a list, a dict or a scalar.",
        INVALID_PARAMETER_VALUE,
    )


def save_input_example(model_dir: str | Path, input_example: Any) -> dict[str, str]:
    """Write the example files into ``model_dir``; return ``saved_input_example_info``.

    ``input_example`` may be ``(data, params)`` to store inference params with the data.
    """
    params = None
    if isinstance(input_example, tuple) and len(input_example) == 2:
        input_example, params = input_example
        if not isinstance(params, dict):
            raise MlflowException(
                "An input example tuple must be (data, params) with params a dict, got "
                f"{type(params).__name__}.",
                INVALID_PARAMETER_VALUE,
            )
    fields, payload, serving = _encode(input_example)
    if params is not None:
        payload = {"inputs": payload, "params": params}
        serving = {**serving, "params": params} if isinstance(serving, dict) else serving
    model_dir = Path(model_dir)
    (model_dir / EXAMPLE_FILENAME).write_text(
        json.dumps(payload, cls=_ExampleEncoder), encoding="utf-8"
    )
    (model_dir / SERVING_EXAMPLE_FILENAME).write_text(
        json.dumps(serving, cls=_ExampleEncoder, indent=2), encoding="utf-8"
    )
    info: dict[str, str] = {"artifact_path": EXAMPLE_FILENAME}
    if params is not None:
        info["params"] = "true"
    info.update(fields)
    info["serving_input_path"] = SERVING_EXAMPLE_FILENAME
    return info


def _read_payload(model_dir: str | Path, info: dict[str, Any]) -> Any:
    path = Path(model_dir) / info.get("artifact_path", EXAMPLE_FILENAME)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MlflowException(
            f"The model's input example file {path} does not exist.", INVALID_PARAMETER_VALUE
        ) from None


def read_input_example(
    model_dir: str | Path, info: dict[str, Any] | None, schema: Schema | None = None
) -> Any:
    """Load the example data saved by ``save_input_example`` (None if there is none).

    With the signature's input ``schema``, values get the declared types back (binary columns
    base64-decoded, datetimes parsed, float32 restored, tensors in their dtype).
    """
    import numpy as np
    import pandas as pd

    if not info:
        return None
    payload = _read_payload(model_dir, info)
    if info.get("params") == "true":
        payload = payload["inputs"]
    example_type = info.get("type")
    if example_type == "dataframe":
        frame = pd.DataFrame(payload["data"], columns=payload.get("columns"))
        return _cast_columns(frame, schema) if schema is not None else frame
    if example_type == "ndarray":
        dtypes = _tensor_dtypes(schema)
        if isinstance(payload, dict):
            return {k: np.array(v, dtype=dtypes.get(k)) for k, v in payload.items()}
        return np.array(payload, dtype=dtypes.get(None))
    if example_type in ("sparse_matrix_csr", "sparse_matrix_csc"):
        from scipy import sparse

        matrix = sparse.csr_matrix if example_type.endswith("csr") else sparse.csc_matrix
        parts = (payload["data"], payload["indices"], payload["indptr"])
        return matrix(parts, shape=tuple(payload["shape"]))
    if example_type == "json_object":
        return payload
    raise MlflowException(
        f"Unknown input example type {example_type!r} in saved_input_example_info.",
        INVALID_PARAMETER_VALUE,
    )


def _tensor_dtypes(schema: Schema | None) -> dict[str | None, Any]:
    if schema is None or not schema.is_tensor_spec():
        return {}
    return {spec.name: spec.type for spec in schema.inputs}


def _cast_columns(frame: Any, schema: Schema) -> Any:
    """Give DataFrame columns their declared scalar types where the values allow it."""
    import pandas as pd

    if schema.is_tensor_spec() or not schema.has_input_names():
        return frame
    for spec in schema.inputs:
        if spec.name not in frame.columns or not isinstance(spec.type, DataType):
            continue
        column = frame[spec.name]
        try:
            if spec.type == DataType.binary:
                frame[spec.name] = column.map(
                    lambda v: base64.decodebytes(v.encode("ascii")) if isinstance(v, str) else v
                ).astype(object)
            elif spec.type == DataType.datetime:
                frame[spec.name] = pd.to_datetime(column).astype(spec.type.to_numpy())
            elif spec.type != DataType.string:
                frame[spec.name] = column.astype(spec.type.to_numpy())
        except (TypeError, ValueError):
            continue  # keep the JSON types (e.g. missing values in an integer column)
    return frame


def read_input_example_params(model_dir: str | Path, info: dict[str, Any] | None) -> Any:
    """The inference params saved with the example, or None."""
    if not info or info.get("params") != "true":
        return None
    return _read_payload(model_dir, info).get("params")
