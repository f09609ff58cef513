"""Input/output schemas of model signatures: ``ColSpec``, ``TensorSpec`` and ``Schema``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import (
    Array,
    DataType,
    Map,
    Object,
    ValueType,
    as_value_type,
    value_type_from_dict,
)


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, INVALID_PARAMETER_VALUE)


class ColSpec:
    """One column: its value type, optional name and whether it must be present."""

    def __init__(self, type: ValueType | str, name: Any = None, required: bool = True) -> None:
        self.type = as_value_type(type)
        self.name = name
        self.required = required

    @property
    def optional(self) -> bool:
        return not self.required

    def to_dict(self) -> dict[str, Any]:
        out = self.type.to_dict()
        if self.name is not None:
            out["name"] = self.name
        out["required"] = self.required
        return out

    @classmethod
    def from_json_dict(cls, spec: dict[str, Any]) -> ColSpec:
        return cls(value_type_from_dict(spec), spec.get("name"), spec.get("required", True))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ColSpec) and (self.type, self.name, self.required) == (
            other.type,
            other.name,
            other.required,
        )

    def __hash__(self) -> int:
        return hash((repr(self.type), self.name, self.required))

    def __repr__(self) -> str:
        head = f"{self.type!r}" if self.name is None else f"{self.name!r}: {self.type!r}"
        return head if self.required else f"{head} (optional)"


def clean_tensor_dtype(dtype: Any) -> Any:
    """Normalise a numpy dtype for tensor specs: sized ``<U5``/``|S3`` become ``str``/``bytes``."""
    import numpy as np

    dtype = np.dtype(dtype)
    if dtype.kind == "U":
        return np.dtype(str)
    if dtype.kind == "S":
        return np.dtype(bytes)
    return dtype


class TensorSpec:
    """An n-dimensional array input: numpy dtype and shape (``-1`` = any size)."""

    def __init__(self, type: Any, shape: Sequence[int], name: str | None = None) -> None:
        import numpy as np

        if not isinstance(type, np.dtype):
            raise TypeError(f"TensorSpec type must be a numpy dtype, got {type!r}.")
        self.type = clean_tensor_dtype(type)
        self.shape = tuple(int(d) for d in shape)
        self.name = name
        self.required = True

    def to_dict(self) -> dict[str, Any]:
        body = {
            "type": "tensor",
            "tensor-spec": {"dtype": self.type.name, "shape": list(self.shape)},
        }
        return body if self.name is None else {"name": self.name, **body}

    @classmethod
    def from_json_dict(cls, spec: dict[str, Any]) -> TensorSpec:
        import numpy as np

        tensor = spec.get("tensor-spec")
        if not isinstance(tensor, dict) or "dtype" not in tensor or "shape" not in tensor:
            raise _invalid(f"A tensor entry needs 'tensor-spec' with dtype and shape: {spec!r}.")
        return cls(np.dtype(tensor["dtype"]), tensor["shape"], spec.get("name"))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TensorSpec) and (self.type, self.shape, self.name) == (
            other.type,
            other.shape,
            other.name,
        )

    def __hash__(self) -> int:
        return hash((str(self.type), self.shape, self.name))

    def __repr__(self) -> str:
        body = f"Tensor({self.type.name!r}, {self.shape})"
        return body if self.name is None else f"{self.name!r}: {body}"


Spec = ColSpec | TensorSpec


class Schema:
    """An ordered list of all-ColSpec or all-TensorSpec entries, all named or all unnamed."""

    def __init__(self, inputs: Sequence[Spec]) -> None:
        inputs = list(inputs)
        if not inputs:
            raise _invalid("A schema needs at least one ColSpec or TensorSpec.")
        named = [spec.name is not None for spec in inputs]
        if any(named) and not all(named):
            raise _invalid(f"Schema entries must be all named or all unnamed, got {inputs}.")
        kinds = {type(spec) for spec in inputs}
        if len(kinds) > 1 or not kinds <= {ColSpec, TensorSpec}:
            raise _invalid(f"Schema entries must be all ColSpec or all TensorSpec, got {inputs}.")
        if kinds == {TensorSpec} and not any(named) and len(inputs) > 1:
            raise _invalid("A tensor schema may hold only one unnamed TensorSpec.")
        if not any(named) and any(not spec.required for spec in inputs):
            raise _invalid("Unnamed schema entries must be required.")
        self.inputs: list[Spec] = inputs

    def is_tensor_spec(self) -> bool:
        return isinstance(self.inputs[0], TensorSpec)

    def has_input_names(self) -> bool:
        return self.inputs[0].name is not None

    def input_names(self) -> list[Any]:
        return [spec.name if spec.name is not None else i for i, spec in enumerate(self.inputs)]

    def required_input_names(self) -> list[Any]:
        return [n for n, spec in zip(self.input_names(), self.inputs, strict=True) if spec.required]

    def optional_input_names(self) -> list[Any]:
        names = self.input_names()
        return [n for n, spec in zip(names, self.inputs, strict=True) if not spec.required]

    def input_types(self) -> list[Any]:
        return [spec.type for spec in self.inputs]

    def input_dict(self) -> dict[Any, Spec]:
        return dict(zip(self.input_names(), self.inputs, strict=True))

    def has_composite_columns(self) -> bool:
        return any(isinstance(t, Array | Object | Map) for t in self.input_types())

    def numpy_types(self) -> list[Any]:
        """numpy dtypes of the entries (scalar ColSpecs and TensorSpecs only)."""
        if self.is_tensor_spec():
            return [spec.type for spec in self.inputs]
        return [t.to_numpy() if isinstance(t, DataType) else None for t in self.input_types()]

    def to_dict(self) -> list[dict[str, Any]]:
        return [spec.to_dict() for spec in self.inputs]

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> Schema:
        entries = json.loads(text)
        if not isinstance(entries, list):
            raise _invalid(f"A schema JSON must be a list of entries, got {text!r}.")
        return cls(
            [
                TensorSpec.from_json_dict(e)
                if e.get("type") == "tensor"
                else ColSpec.from_json_dict(e)
                for e in entries
            ]
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self.inputs == other.inputs

    def __hash__(self) -> int:
        return hash(tuple(self.inputs))

    def __repr__(self) -> str:
        return "[" + ", ".join(repr(spec) for spec in self.inputs) + "]"
