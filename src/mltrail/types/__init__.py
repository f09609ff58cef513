"""Model signature types: column/tensor schemas, parameter schemas and value types."""

from mltrail.types.datatypes import AnyType, Array, DataType, Map, Object, Property
from mltrail.types.params import ParamSchema, ParamSpec
from mltrail.types.schema import ColSpec, Schema, TensorSpec

__all__ = [
    "AnyType",
    "Array",
    "ColSpec",
    "DataType",
    "Map",
    "Object",
    "ParamSchema",
    "ParamSpec",
    "Property",
    "Schema",
    "TensorSpec",
]
