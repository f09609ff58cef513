"""Type checks and safe conversions of single Python values (params, list items, dict fields)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from mltrail.types.datatypes import AnyType, Array, DataType, Map, Object, ValueType

# Numeric widening allowed for Python values: source -> accepted targets.
_WIDENING = {
    DataType.integer: {DataType.long, DataType.float, DataType.double},
    DataType.long: {DataType.float, DataType.double},
    DataType.float: {DataType.double},
}

# A plain Python int/float has no fixed width, so it fits any numeric type of its kind.
_PYTHON_INT_TARGETS = {DataType.integer, DataType.long, DataType.float, DataType.double}


def python_value_type(value: Any) -> DataType | None:
    """The DataType of a scalar Python/numpy value, or None if it is not a supported scalar."""
    import numpy as np

    if isinstance(value, bool | np.bool_):
        return DataType.boolean
    if isinstance(value, np.integer):
        if value.dtype == np.uint64:
            raise ValueError("uint64 values are not supported: they do not fit into a long.")
        is_small = value.dtype.itemsize < 4 or value.dtype == np.int32
        return DataType.integer if is_small else DataType.long
    if isinstance(value, int):
        return DataType.long
    if isinstance(value, np.floating):
        return DataType.double if value.dtype == np.float64 else DataType.float
    if isinstance(value, float):
        return DataType.double
    if isinstance(value, str):
        return DataType.string
    if isinstance(value, bytes | bytearray):
        return DataType.binary
    if isinstance(value, dt.date | np.datetime64):
        return DataType.datetime
    return None


def to_native(value: Any) -> Any:
    """numpy scalars and arrays to plain Python values (lists for arrays)."""
    import numpy as np

    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    return value


def convert_scalar(value: Any, target: DataType) -> Any:
    """Return ``value`` as ``target`` if the conversion is safe; raise ValueError otherwise."""
    source = python_value_type(value)
    if source == target:
        return to_native(value)
    if type(value) is int and target in _PYTHON_INT_TARGETS:
        return float(value) if target in (DataType.float, DataType.double) else value
    if type(value) is float and target == DataType.float:
        return value
    if source is not None and target in _WIDENING.get(source, set()):
        return float(value) if target in (DataType.float, DataType.double) else int(value)
    if source == DataType.string and target == DataType.datetime:
        import numpy as np

        try:
            return np.datetime64(value).item()
        except ValueError:
            raise ValueError(f"Can not parse {value!r} as a datetime.") from None
    raise ValueError(f"Can not safely convert `{type(value)}` to `{target}` for value `{value}`")


def enforce_value(value: Any, value_type: ValueType) -> Any:
    """Validate (and safely convert) one value, recursing into arrays, objects and maps."""
    import numpy as np

    if value is None or isinstance(value_type, AnyType):
        return value
    if isinstance(value_type, DataType):
        return convert_scalar(value, value_type)
    if isinstance(value_type, Array):
        if not isinstance(value, list | tuple | np.ndarray):
            raise ValueError(f"Expected a list for {value_type!r}, got {type(value).__name__}.")
        return [enforce_value(item, value_type.dtype) for item in value]
    if not isinstance(value, dict):
        raise ValueError(f"Expected a dict for {value_type!r}, got {type(value).__name__}.")
    if isinstance(value_type, Map):
        bad_keys = [k for k in value if not isinstance(k, str)]
        if bad_keys:
            raise ValueError(f"Map keys must be strings, got {bad_keys}.")
        return {k: enforce_value(v, value_type.value_type) for k, v in value.items()}
    return _enforce_object(value, value_type)


def _enforce_object(value: dict[str, Any], obj: Object) -> dict[str, Any]:
    declared = {p.name: p for p in obj.properties}
    missing = [p.name for p in obj.properties if p.required and value.get(p.name) is None]
    if missing:
        raise ValueError(f"Missing required properties {missing} for {obj!r}.")
    unknown = [k for k in value if k not in declared]
    if unknown:
        raise ValueError(f"Properties {unknown} are not declared in {obj!r}.")
    return {k: enforce_value(v, declared[k].dtype) for k, v in value.items()}
