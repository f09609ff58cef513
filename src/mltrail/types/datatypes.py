"""Column value types of model signatures: scalar ``DataType`` and composite types.

The JSON shapes (``to_dict``) are MLflow's, so signatures written here load in MLflow.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

_NUMPY_NAMES = {
    "boolean": "bool",
    "integer": "int32",
    "long": "int64",
    "float": "float32",
    "double": "float64",
    "string": "str",
    "binary": "bytes",
    "datetime": "datetime64[ns]",
}
_PYTHON_TYPES: dict[str, type] = {
    "boolean": bool,
    "integer": int,
    "long": int,
    "float": float,
    "double": float,
    "string": str,
    "binary": bytes,
}


class DataType(Enum):
    """A scalar column type; the value is the name used in JSON."""

    boolean = "boolean"
    integer = "integer"
    long = "long"
    float = "float"
    double = "double"
    string = "string"
    binary = "binary"
    datetime = "datetime"

    def __repr__(self) -> str:
        return self.name

    def __str__(self) -> str:
        return f"DataType.{self.name}"

    def to_numpy(self) -> Any:
        """The numpy dtype that holds this type (``string`` is ``<U0``)."""
        import numpy as np

        return np.dtype(_NUMPY_NAMES[self.value])

    def to_python(self) -> type:
        import datetime as dt

        return _PYTHON_TYPES.get(self.value, dt.datetime)

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.value}

    @classmethod
    def from_name(cls, name: str) -> DataType:
        try:
            return cls[name]
        except KeyError:
            raise MlflowException(
                f"Unsupported type {name!r}, expected one of {[t.value for t in cls]}.",
                INVALID_PARAMETER_VALUE,
            ) from None


class AnyType:
    """A value of any type (MLflow infers it for all-None data)."""

    def to_dict(self) -> dict[str, Any]:
        return {"type": "any"}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AnyType)

    def __hash__(self) -> int:
        return hash("any")

    def __repr__(self) -> str:
        return "Any"


class Array:
    """A list whose items all have type ``dtype``."""

    def __init__(self, dtype: ValueType | str) -> None:
        self.dtype = as_value_type(dtype)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "array", "items": self.dtype.to_dict()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Array) and self.dtype == other.dtype

    def __hash__(self) -> int:
        return hash(("array", repr(self.dtype)))

    def __repr__(self) -> str:
        return f"Array({self.dtype!r})"


class Property:
    """One named field of an ``Object``."""

    def __init__(self, name: str, dtype: ValueType | str, required: bool = True) -> None:
        self.name = name
        self.dtype = as_value_type(dtype)
        self.required = required

    def to_dict(self) -> dict[str, Any]:
        return {self.name: {**self.dtype.to_dict(), "required": self.required}}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Property) and (self.name, self.dtype, self.required) == (
            other.name,
            other.dtype,
            other.required,
        )

    def __hash__(self) -> int:
        return hash((self.name, repr(self.dtype), self.required))

    def __repr__(self) -> str:
        suffix = "" if self.required else " (optional)"
        return f"{self.name}: {self.dtype!r}{suffix}"


class Object:
    """A dict with named, typed fields; properties are kept sorted by name."""

    def __init__(self, properties: list[Property]) -> None:
        names = [p.name for p in properties]
        if len(set(names)) != len(names):
            raise MlflowException(
                f"Object properties must have unique names, got {names}.",
                INVALID_PARAMETER_VALUE,
            )
        self.properties = sorted(properties, key=lambda p: p.name)

    def to_dict(self) -> dict[str, Any]:
        props: dict[str, Any] = {}
        for prop in self.properties:
            props.update(prop.to_dict())
        return {"type": "object", "properties": props}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Object) and self.properties == other.properties

    def __hash__(self) -> int:
        return hash(tuple(self.properties))

    def __repr__(self) -> str:
        return "{" + ", ".join(repr(p) for p in self.properties) + "}"


class Map:
    """A dict with string keys whose values all have type ``value_type``."""

    def __init__(self, value_type: ValueType | str) -> None:
        self.value_type = as_value_type(value_type)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "map", "values": self.value_type.to_dict()}

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Map) and self.value_type == other.value_type

    def __hash__(self) -> int:
        return hash(("map", repr(self.value_type)))

    def __repr__(self) -> str:
        return f"Map(str -> {self.value_type!r})"


ValueType = DataType | Array | Object | Map | AnyType


def value_type_from_dict(spec: dict[str, Any]) -> ValueType:
    """Parse the ``{"type": ..., [items|properties|values]}`` JSON form of a value type."""
    type_name = spec.get("type")
    if type_name == "array":
        return Array(value_type_from_dict(spec["items"]))
    if type_name == "object":
        return Object(
            [
                Property(name, value_type_from_dict(prop), prop.get("required", True))
                for name, prop in spec.get("properties", {}).items()
            ]
        )
    if type_name == "map":
        return Map(value_type_from_dict(spec["values"]))
    if type_name == "any":
        return AnyType()
    if not isinstance(type_name, str):
        raise MlflowException(
            f"A schema entry needs a string 'type', got {spec!r}.", INVALID_PARAMETER_VALUE
        )
    return DataType.from_name(type_name)


def as_value_type(value: ValueType | str) -> ValueType:
    """Accept a type object or a scalar type name such as ``"double"``."""
    if isinstance(value, str):
        return AnyType() if value == "any" else DataType.from_name(value)
    if isinstance(value, DataType | Array | Object | Map | AnyType):
        return value
    raise MlflowException(
        f"Unsupported column type {value!r}: use a DataType, Array, Object, Map or AnyType.",
        INVALID_PARAMETER_VALUE,
    )
