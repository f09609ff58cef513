"""Infer a ``Schema`` or ``ParamSchema`` from example data, with MLflow's rules."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import AnyType, Array, DataType, Object, Property, ValueType
from mltrail.types.params import ParamSchema, ParamSpec
from mltrail.types.schema import ColSpec, Schema, TensorSpec, clean_tensor_dtype
from mltrail.types.values import python_value_type


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN / NaT
    except (TypeError, ValueError):
        return False


def infer_value_type(values: Iterable[Any]) -> ValueType:
    """One type for a collection of values, ignoring missing ones (all missing -> any)."""
    import numpy as np

    present = [v for v in values if not _is_missing(v)]
    if not present:
        return AnyType()
    if all(isinstance(v, dict) for v in present):
        return _infer_object(present)
    if all(isinstance(v, list | tuple | np.ndarray) for v in present):
        return Array(infer_value_type(item for v in present for item in v))
    types = set()
    for value in present:
        value_type = python_value_type(value)
        if value_type is None:
            raise ValueError(f"Values of type {type(value).__name__} are not supported.")
        types.add(value_type)
    if len(types) > 1:
        names = sorted(t.name for t in types)
        raise ValueError(f"Values have mixed types {names}; all values must have one type.")
    return types.pop()


def _infer_object(dicts: list[dict[str, Any]]) -> Object:
    return Object(_infer_properties(dicts))


def _infer_properties(dicts: list[dict[str, Any]]) -> list[Property]:
    """Properties in order of first appearance; optional if missing or None anywhere."""
    names: list[str] = []
    for d in dicts:
        names.extend(k for k in d if k not in names)
    properties = []
    for name in names:
        values = [d.get(name) for d in dicts]
        value_type = infer_value_type(values)
        required = not any(_is_missing(v) for v in values)
        properties.append(Property(name, value_type, required))
    return properties


_PANDAS_INT_TYPES = {1: DataType.integer, 2: DataType.integer, 4: DataType.integer}


def _numpy_column_type(dtype: Any) -> DataType | None:
    """The DataType of a numpy/pandas column dtype, or None when values must be inspected."""
    import numpy as np
    import pandas as pd

    if isinstance(dtype, pd.StringDtype):
        return DataType.string
    if isinstance(dtype, pd.DatetimeTZDtype):
        return DataType.datetime
    if not isinstance(dtype, np.dtype):
        raise ValueError(f"Unsupported column dtype {dtype}.")
    kind, size = dtype.kind, dtype.itemsize
    if kind == "b":
        return DataType.boolean
    if kind == "i":
        return _PANDAS_INT_TYPES.get(size, DataType.long)
    if kind == "u":
        if size == 8:
            raise ValueError("uint64 columns are not supported: they do not fit into a long.")
        return DataType.integer if size < 4 else DataType.long
    if kind == "f":
        return DataType.double if size == 8 else DataType.float
    if kind == "M":
        return DataType.datetime
    if kind == "U":
        return DataType.string
    if kind == "S":
        return DataType.binary
    if kind == "O":
        return None
    raise ValueError(f"Unsupported column dtype {dtype}.")


def infer_column_type(series: Any) -> ValueType:
    """The value type of one pandas Series."""
    scalar_type = _numpy_column_type(series.dtype)
    if scalar_type is not None:
        return scalar_type
    return infer_value_type(series.tolist())


def _series_colspec(series: Any, name: Any) -> ColSpec:
    value_type = infer_column_type(series)
    has_missing = bool(series.isna().any()) or isinstance(value_type, AnyType)
    return ColSpec(value_type, name, required=not has_missing)


def _tensor_spec(array: Any, name: str | None = None) -> TensorSpec:
    return TensorSpec(clean_tensor_dtype(array.dtype), (-1, *array.shape[1:]), name)


def _is_sparse(data: Any) -> bool:
    module = type(data).__module__
    return module.startswith("scipy.sparse") and hasattr(data, "data") and hasattr(data, "shape")


def _warn_integer_columns(schema: Schema) -> None:
    if any(t in (DataType.integer, DataType.long) for t in schema.input_types()):
        warnings.warn(
            "The inferred schema has integer columns. Integer columns cannot hold missing "
            "values; if the data may have them at inference time, declare those columns "
            "as double.",
            UserWarning,
            stacklevel=3,
        )


def infer_schema(data: Any) -> Schema:
    """Infer the Schema of model input or output data (see the MLmodel format notes)."""
    import numpy as np
    import pandas as pd

    if isinstance(data, pd.DataFrame):
        schema = Schema([_series_colspec(data[c], c) for c in data.columns])
    elif isinstance(data, pd.Series):
        schema = Schema([_series_colspec(data, data.name)])
    elif isinstance(data, np.ndarray):
        return Schema([_tensor_spec(data)])
    elif _is_sparse(data):
        return Schema([TensorSpec(clean_tensor_dtype(data.data.dtype), (-1, *data.shape[1:]))])
    elif isinstance(data, dict):
        if data and all(isinstance(v, np.ndarray) for v in data.values()):
            return Schema([_tensor_spec(v, str(k)) for k, v in data.items()])
        schema = Schema(
            [
                ColSpec(infer_value_type([v]), k, required=not _is_missing(v))
                for k, v in data.items()
            ]
        )
    elif isinstance(data, list):
        schema = _infer_list_schema(data)
    else:
        value_type = python_value_type(data)
        if value_type is None:
            raise MlflowException(
                f"Cannot infer a schema from a value of type {type(data).__name__}: use a "
                "pandas DataFrame/Series, a numpy array, a dict, a list or a scalar.",
                INVALID_PARAMETER_VALUE,
            )
        schema = Schema([ColSpec(value_type)])
    _warn_integer_columns(schema)
    return schema


def _infer_list_schema(data: list[Any]) -> Schema:
    if not data:
        return Schema([ColSpec(DataType.string)])
    if all(isinstance(v, dict) for v in data):
        properties = _infer_properties(data)
        return Schema([ColSpec(p.dtype, p.name, p.required) for p in properties])
    return Schema([ColSpec(infer_value_type(data))])


def _param_value_type(value: Any) -> DataType | Object:
    if isinstance(value, dict):
        return _infer_object([value])
    value_type = python_value_type(value)
    if value_type is None or value_type == DataType.binary:
        raise ValueError(f"type {type(value).__name__} is not supported for params")
    return value_type


def infer_param_schema(params: dict[str, Any]) -> ParamSchema:
    """A ParamSchema whose defaults are the given values."""
    import numpy as np

    if not isinstance(params, dict):
        raise MlflowException(
            f"Params must be a dict, got {type(params).__name__}.", INVALID_PARAMETER_VALUE
        )
    specs, errors = [], []
    for name, value in params.items():
        try:
            if value is None:
                raise ValueError("None is not allowed; give a default value")
            if isinstance(value, list | tuple | np.ndarray):
                if np.ndim(np.asarray(value, dtype=object)) != 1 or len(value) == 0:
                    raise ValueError("only non-empty 1-D lists are supported")
                types = {repr(_param_value_type(v)) for v in value}
                if len(types) > 1:
                    raise ValueError(f"list items have mixed types {sorted(types)}")
                specs.append(ParamSpec(name, _param_value_type(value[0]), list(value), (-1,)))
            else:
                specs.append(ParamSpec(name, _param_value_type(value), value))
        except (ValueError, MlflowException) as exc:
            errors.append(f"{name!r}: {exc}")
    if errors:
        raise MlflowException(
            "Failed to infer the params schema: " + "; ".join(errors), INVALID_PARAMETER_VALUE
        )
    return ParamSchema(specs)
