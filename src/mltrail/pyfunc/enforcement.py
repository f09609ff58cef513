"""Schema and params enforcement at predict time, with MLflow's conversion rules.

``enforce_schema`` coerces input data to what the signature declares (or raises
``MlflowException(INVALID_PARAMETER_VALUE)`` naming the column and types); ``enforce_params``
validates inference params and fills defaults. ``schema_enforcement_error`` builds the error
``PyFuncModel.predict`` raises around any enforcement failure.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import AnyType, DataType
from mltrail.types.params import ParamSchema
from mltrail.types.schema import ColSpec, Schema, TensorSpec, clean_tensor_dtype
from mltrail.types.values import enforce_value

_logger = logging.getLogger(__name__)

_MISSING_VALUES_HINT = (
    " Hint: the column holds missing values. Integer columns cannot represent them, so pandas "
    "stores such columns as floats. Infer the signature from data that includes missing values "
    "(the column then becomes double) or fill the missing values before predicting."
)


def _error(message: str) -> MlflowException:
    return MlflowException(message, INVALID_PARAMETER_VALUE)


def schema_enforcement_error(data: Any, schema: Schema, cause: Exception) -> MlflowException:
    """The error ``predict`` raises when ``enforce_schema`` fails."""
    import os

    if os.environ.get("MLFLOW_DISABLE_SCHEMA_DETAILS", "").lower() in ("true", "1"):
        message = "Failed to enforce model input schema. Please check your input data."
    else:
        message = (
            f"Failed to enforce schema of data '{data}' with schema '{schema}'. Error: {cause}"
        )
    return MlflowException(
        message, INVALID_PARAMETER_VALUE, error_class="SCHEMA_ENFORCEMENT_FAILED"
    )


# --- input coercion -------------------------------------------------------------------------


def _is_scalar(value: Any) -> bool:
    import numpy as np

    return isinstance(value, str | bytes | int | float | bool | dt.date | np.generic)


def _to_dataframe(data: Any, schema: Schema) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        return data
    if isinstance(data, pd.Series):
        return pd.DataFrame(data)
    if _is_scalar(data):
        return pd.DataFrame([data])
    if isinstance(data, dict):
        one_row = schema.has_composite_columns() or all(
            _is_scalar(v) or (isinstance(v, list) and all(isinstance(i, str) for i in v))
            for v in data.values()
        )
        return pd.DataFrame([data]) if one_row else pd.DataFrame(data)
    if isinstance(data, list | np.ndarray):
        return pd.DataFrame(data)
    raise _error(f"Expected input to be DataFrame. Found: {type(data).__name__}")


# --- column schemas -------------------------------------------------------------------------


def _check_required_columns(df: Any, schema: Schema) -> None:
    present = set(df.columns)
    missing = [n for n in schema.required_input_names() if n not in present]
    extra = [c for c in df.columns if c not in set(schema.input_names())]
    if missing:
        message = f"Model is missing inputs {missing}."
        if extra:
            message += f" Note that there were extra inputs: {extra}."
        raise _error(message)
    if extra:
        _logger.warning(
            "Found extra inputs %s that are not in the model signature; they are ignored.", extra
        )


def _enforce_columns(df: Any, schema: Schema) -> Any:
    import pandas as pd

    if schema.has_input_names():
        _check_required_columns(df, schema)
        pairs = [(name, spec) for name, spec in schema.input_dict().items() if name in df.columns]
    else:
        declared = len(schema.inputs)
        if len(df.columns) < declared:
            raise _error(
                f"Model inference is missing inputs. The model signature declares {declared} "
                f"inputs but the provided value only has {len(df.columns)} inputs. The inputs "
                "are unnamed in the signature, so only their count can be checked."
            )
        pairs = list(zip(df.columns[:declared], schema.inputs, strict=True))
    columns = {}
    for name, spec in pairs:
        assert isinstance(spec, ColSpec)
        columns[name] = _enforce_column(name, df[name], spec)
    return pd.DataFrame(columns, index=df.index)


def _enforce_column(name: Any, values: Any, spec: ColSpec) -> Any:
    if isinstance(spec.type, AnyType):
        return values
    if isinstance(spec.type, DataType):
        return enforce_column_datatype(name, values, spec.type)
    composite = spec.type
    try:
        return values.map(lambda cell: enforce_value(cell, composite))
    except ValueError as exc:
        raise _error(
            f"Failed to enforce schema of column {name!r} as {composite!r}: {exc}"
        ) from None


def _incompatible(name: Any, values: Any, target: Any, hint: str = "") -> MlflowException:
    return _error(
        f"Incompatible input types for column {name}. "
        f"Can not safely convert {values.dtype} to {target}.{hint}"
    )


def enforce_column_datatype(name: Any, values: Any, data_type: DataType) -> Any:
    """Convert one column to ``data_type`` when that is safe (see the MLmodel format notes)."""
    import numpy as np
    import pandas as pd

    dtype = values.dtype
    is_object = dtype == np.dtype(object)
    is_string = isinstance(dtype, pd.StringDtype)
    if data_type == DataType.string and (is_object or is_string):
        return values
    if data_type == DataType.binary and (is_string or (is_object and _all_bytes(values))):
        return values
    if data_type == DataType.boolean and is_object:
        return values
    target = data_type.to_numpy()
    if dtype == target:
        return values
    if data_type == DataType.datetime:
        return _enforce_datetime(name, values, target)
    if is_object:
        present = values.dropna()
        if (
            data_type == DataType.double
            and len(present)
            and all(isinstance(v, decimal.Decimal) for v in present)
        ):
            return pd.to_numeric(values)
        values = values.infer_objects()
        dtype = values.dtype
        if dtype == target:
            return values
    if not isinstance(dtype, np.dtype):
        raise _incompatible(name, values, target)
    if _is_safe_numeric_cast(values, dtype, target):
        return values.astype(target)
    hint = ""
    if dtype.kind == "f" and target.kind == "i" and bool(values.isna().any()):
        hint = _MISSING_VALUES_HINT
    raise _incompatible(name, values, target, hint)


def _all_bytes(values: Any) -> bool:
    return all(isinstance(v, bytes) for v in values.dropna())


def _is_safe_numeric_cast(values: Any, dtype: Any, target: Any) -> bool:
    kind, size = dtype.kind, dtype.itemsize
    if kind not in "iuf" or target.kind not in "if":
        return False
    if kind == target.kind:
        return size <= target.itemsize
    if kind == "u" and target.kind == "i":
        return size < target.itemsize
    if kind in "iu" and target.kind == "f":
        if size <= 4 and target.itemsize == 8:
            return True
        if size == 8 and kind == "i":  # only 0/1 (boolean-like) int64 columns
            return bool(values.dropna().isin([0, 1]).all())
    return False


def _enforce_datetime(name: Any, values: Any, target: Any) -> Any:
    import numpy as np
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return values.astype(target)
    if dtype == np.dtype(object):
        try:
            return values.astype(target)
        except (TypeError, ValueError) as exc:
            raise _error(
                f"Incompatible input types for column {name}. Can not convert the values to "
                f"{target}: {exc}"
            ) from None
    if isinstance(dtype, pd.DatetimeTZDtype):
        raise _error(
            f"Incompatible input types for column {name}. Timezone-aware {dtype} can not be "
            f"converted to {target}; convert the column to naive UTC datetimes first."
        )
    raise _incompatible(name, values, target)


# --- tensor schemas -------------------------------------------------------------------------


def enforce_tensor(array: Any, spec: TensorSpec) -> Any:
    """Check one ndarray's dtype (exact) and shape (``-1`` matches any size)."""
    expected = clean_tensor_dtype(spec.type)
    actual = clean_tensor_dtype(array.dtype)
    if actual != expected and not (expected.kind == "O" and spec.shape == (-1,)):
        raise _error(f"dtype of input {actual} does not match expected dtype {expected}")
    if expected.kind == "O" and actual.kind == "O" and -1 in spec.shape[1:]:
        return array  # ragged object arrays
    if expected.kind == "O" and spec.shape == (-1,):
        return array
    shape_ok = len(array.shape) == len(spec.shape) and all(
        want in (-1, got) for want, got in zip(spec.shape, array.shape, strict=True)
    )
    if not shape_ok:
        raise _error(f"Shape of input {array.shape} does not match expected shape {spec.shape}.")
    return array


def _column_to_tensor(values: Any, spec: TensorSpec) -> Any:
    import numpy as np

    items = values.tolist()
    if items and all(isinstance(v, list | np.ndarray) for v in items):
        array = np.stack([np.asarray(v) for v in items])
    else:
        array = values.to_numpy()
        if array.dtype != spec.type:
            try:
                array = array.astype(spec.type)
            except (TypeError, ValueError) as exc:
                raise _error(
                    f"Can not convert column {values.name!r} to {spec.type}: {exc}"
                ) from None
        array = array.reshape((-1,) if len(spec.shape) == 1 else (-1, 1))
    return enforce_tensor(array, spec)


def _enforce_unnamed_tensor(data: Any, spec: TensorSpec) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(data, np.ndarray):
        return enforce_tensor(data, spec)
    if isinstance(data, pd.DataFrame):
        if data.empty:
            raise _error("The input DataFrame is empty; a tensor model needs at least one row.")
        if len(data.columns) == 1:
            return _column_to_tensor(data.iloc[:, 0], spec)
        if spec.shape != (-1, len(data.columns)):
            raise _error(
                f"A DataFrame with {len(data.columns)} columns can only be used with a tensor "
                f"spec of shape (-1, {len(data.columns)}), not {spec.shape}."
            )
        return enforce_tensor(data.to_numpy(), spec)
    raise _error(
        "This model has a tensor signature without input names, so it takes a numpy array or "
        f"a pandas DataFrame; got {type(data)}."
    )


def _enforce_named_tensors(data: Any, schema: Schema) -> dict[str, Any]:
    import numpy as np
    import pandas as pd

    specs = {str(s.name): s for s in schema.inputs if isinstance(s, TensorSpec)}
    if isinstance(data, np.ndarray) and len(specs) == 1:
        data = {next(iter(specs)): data}
    if isinstance(data, pd.DataFrame):
        missing = [n for n in specs if n not in data.columns]
        if missing:
            raise _error(f"Model is missing inputs {missing}.")
        return {n: _column_to_tensor(data[n], spec) for n, spec in specs.items()}
    if not isinstance(data, dict):
        raise _error(
            "This model has named tensor inputs, so it takes a dict of numpy arrays or a pandas "
            f"DataFrame; got {type(data)}."
        )
    missing = [n for n in specs if n not in data]
    if missing:
        raise _error(f"Model is missing inputs {missing}.")
    out = {}
    for name, spec in specs.items():
        value = data[name]
        if not isinstance(value, np.ndarray):
            raise _error(f"Input {name!r} must be a numpy array, got {type(value).__name__}.")
        out[name] = enforce_tensor(value, spec)
    return out


# --- entry points ---------------------------------------------------------------------------


def enforce_schema(data: Any, schema: Schema) -> Any:
    """Return ``data`` checked and converted to ``schema`` (DataFrame, ndarray or dict)."""
    if schema.is_tensor_spec():
        if schema.has_input_names():
            return _enforce_named_tensors(data, schema)
        spec = schema.inputs[0]
        assert isinstance(spec, TensorSpec)
        return _enforce_unnamed_tensor(data, spec)
    return _enforce_columns(_to_dataframe(data, schema), schema)


def enforce_params(params: dict[str, Any] | None, param_schema: ParamSchema | None) -> dict:
    """Validated params with defaults filled in; unknown params are dropped (with a warning)."""
    if param_schema is None:
        if params:
            _logger.warning(
                "The model signature has no params schema, so params %s are ignored.",
                list(params),
            )
        return {}
    params = {} if params is None else params
    if not isinstance(params, dict):
        raise _error(f"Parameters must be a dictionary. Got type '{type(params).__name__}'.")
    known = {spec.name for spec in param_schema.params}
    unknown = [k for k in params if k not in known]
    if unknown:
        _logger.warning(
            "Params %s are not in the model's params schema and are ignored; declared params "
            "are %s.",
            unknown,
            sorted(known),
        )
    result, errors = {}, set()
    for spec in param_schema.params:
        if spec.name not in params:
            result[spec.name] = spec.default
            continue
        try:
            result[spec.name] = spec.validate(params[spec.name])
        except ValueError as exc:
            errors.add((spec.name, f"Failed to validate type and shape for {spec!r}, error: {exc}"))
    if errors:
        raise _error(f"Invalid parameters found: {errors}")
    return result


__all__ = [
    "enforce_column_datatype",
    "enforce_params",
    "enforce_schema",
    "enforce_tensor",
    "schema_enforcement_error",
]
