"""Inference-time parameter schemas: ``ParamSpec`` and ``ParamSchema``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import DataType, Object, as_value_type, value_type_from_dict
from mltrail.types.values import enforce_value, to_native


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, INVALID_PARAMETER_VALUE)


class ParamSpec:
    """One parameter: name, type (a DataType or Object), default and shape (None or (-1,))."""

    def __init__(
        self,
        name: str,
        dtype: DataType | Object | str,
        default: Any,
        shape: Sequence[int] | None = None,
    ) -> None:
        self.name = name
        value_type = as_value_type(dtype)
        if not isinstance(value_type, DataType | Object) or value_type == DataType.binary:
            raise _invalid(
                f"Param {name!r} has unsupported type {dtype!r}: use a scalar type other than "
                "binary, or an Object."
            )
        self.dtype: DataType | Object = value_type
        self.shape: tuple[int, ...] | None = None if shape is None else tuple(shape)
        if self.shape not in (None, (-1,)):
            raise _invalid(f"Param {name!r} shape must be None or (-1,), got {shape!r}.")
        self.default = to_native(default)
        if self.default is not None:
            try:
                self.validate(self.default)
            except ValueError as exc:
                raise _invalid(f"Default value of param {name!r} is invalid: {exc}") from None

    def validate(self, value: Any) -> Any:
        """Return ``value`` safely converted to this spec; raise ValueError with the reason."""
        import numpy as np

        if value is None:
            return None
        is_list = isinstance(value, list | tuple | np.ndarray)
        if self.shape is None:
            if is_list:
                raise ValueError(f"Param {self.name!r} takes a scalar value, got a list.")
            return enforce_value(value, self.dtype)
        if not is_list or np.ndim(np.asarray(value, dtype=object)) != 1:
            raise ValueError(
                f"Value must be a 1D array with shape (-1,) for param {self!r}, "
                f"received {type(value).__name__} with ndim {np.ndim(value)}"
            )
        return [enforce_value(item, self.dtype) for item in value]

    def _default_json(self) -> Any:
        if isinstance(self.default, list):
            return [_json_value(v) for v in self.default]
        return _json_value(self.default)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "default": self._default_json(),
            "shape": None if self.shape is None else list(self.shape),
            **self.dtype.to_dict(),
        }

    @classmethod
    def from_json_dict(cls, spec: dict[str, Any]) -> ParamSpec:
        type_spec = dict(spec)
        if "type" not in type_spec and "dtype" in type_spec:
            type_spec["type"] = type_spec["dtype"]
        value_type = value_type_from_dict(type_spec)
        if not isinstance(value_type, DataType | Object):
            raise _invalid(f"Unsupported param type in {spec!r}.")
        return cls(spec["name"], value_type, spec.get("default"), spec.get("shape"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParamSpec) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        shape = "" if self.shape is None else f" (shape: {self.shape})"
        return f"{self.name!r}: {self.dtype!r} (default: {self.default}){shape}"


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class ParamSchema:
    """The parameters a model accepts at predict time."""

    def __init__(self, params: Sequence[ParamSpec]) -> None:
        self.params = list(params)
        names = [p.name for p in self.params]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise _invalid(f"Duplicated parameter names: {duplicates}.")

    def to_dict(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.params]

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> ParamSchema:
        entries = json.loads(text)
        if not isinstance(entries, list):
            raise _invalid(f"A params schema JSON must be a list, got {text!r}.")
        return cls([ParamSpec.from_json_dict(e) for e in entries])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ParamSchema) and self.params == other.params

    def __hash__(self) -> int:
        return hash(tuple(self.params))

    def __repr__(self) -> str:
        return "[" + ", ".join(repr(p) for p in self.params) + "]"
