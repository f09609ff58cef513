"""Encode model predictions as the scoring server's JSON: ``{"predictions": ...}``.

DataFrames become lists of records, Series a list of one-key records, ndarrays nested lists;
numpy scalars become Python numbers, bytes base64 text, dates ISO 8601 strings. NaN and
infinities are written as the bare tokens ``NaN``/``Infinity`` (as MLflow does).
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from mltrail.exceptions import INTERNAL_ERROR, MlflowException


def _encode_bytes(value: bytes | bytearray) -> str:
    return base64.encodebytes(bytes(value)).decode("ascii")


def _to_json_value(value: Any) -> tuple[Any, bool]:
    """(JSON-able replacement, converted?) for values ``json`` cannot encode itself."""
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return [_to_json_value(item)[0] for item in value.tolist()], True
        if value.dtype.kind == "S":
            return [_encode_bytes(item) for item in value.ravel().tolist()], True
        return value.tolist(), True
    if isinstance(value, np.datetime64):
        return str(np.datetime_as_string(value)), True
    if isinstance(value, np.generic):
        return value.item(), True
    if isinstance(value, bytes | bytearray):
        return _encode_bytes(value), True
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat(), True  # pandas Timestamp is a datetime
    dump = getattr(value, "model_dump", None)  # pydantic models
    if callable(dump):
        return dump(), True
    return value, False


class _PredictionEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        value, converted = _to_json_value(o)
        if converted:
            return value
        raise TypeError(
            f"The model returned a value of type {type(o).__name__}, which cannot be "
            "written as JSON. Return a DataFrame, Series, ndarray, list, dict or scalars."
        )


def jsonable_predictions(predictions: Any) -> Any:
    """Top-level conversion: DataFrame/Series -> records, ndarray -> list, else unchanged."""
    import sys

    if "numpy" in sys.modules:
        import numpy as np

        if isinstance(predictions, np.ndarray):
            return predictions.tolist()
    if "pandas" in sys.modules:
        import pandas as pd

        if isinstance(predictions, pd.DataFrame):
            return predictions.to_dict(orient="records")
        if isinstance(predictions, pd.Series):
            return pd.DataFrame(predictions).to_dict(orient="records")
    return predictions


def dumps(value: Any) -> str:
    return json.dumps(value, cls=_PredictionEncoder)


def predictions_to_json(predictions: Any, unwrapped: bool = False) -> str:
    """The response document; ``unwrapped`` (unified LLM requests) omits the wrapper."""
    try:
        body = jsonable_predictions(predictions)
        return dumps(body if unwrapped else {"predictions": body})
    except (TypeError, ValueError) as exc:
        raise MlflowException(
            f"Failed to serialize the model's predictions as JSON: {exc}", INTERNAL_ERROR
        ) from None
