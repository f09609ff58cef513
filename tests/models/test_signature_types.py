"""Schema, ColSpec, TensorSpec, ParamSpec and ModelSignature behaviour and JSON."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys

import numpy as np
import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.models import ModelSignature, infer_signature
from mltrail.types import (
    AnyType,
    Array,
    ColSpec,
    DataType,
    Map,
    Object,
    ParamSchema,
    ParamSpec,
    Property,
    Schema,
    TensorSpec,
)


def test_colspec_json_key_order_and_composites() -> None:
    schema = Schema(
        [
            ColSpec("double", "x"),
            ColSpec(Array(DataType.long), "lst"),
            ColSpec(Object([Property("b", "string"), Property("a", DataType.long)]), "obj"),
            ColSpec(Map(DataType.string), "m"),
            ColSpec(AnyType(), "any", required=False),
        ]
    )
    assert schema.to_json() == (
        '[{"type": "double", "name": "x", "required": true}, '
        '{"type": "array", "items": {"type": "long"}, "name": "lst", "required": true}, '
        '{"type": "object", "properties": {"a": {"type": "long", "required": true}, '
        '"b": {"type": "string", "required": true}}, "name": "obj", "required": true}, '
        '{"type": "map", "values": {"type": "string"}, "name": "m", "required": true}, '
        '{"type": "any", "name": "any", "required": false}]'
    )
    assert Schema.from_json(schema.to_json()) == schema


def test_missing_required_reads_as_true_and_integer_names_survive() -> None:
    schema = Schema.from_json('[{"type": "long", "name": 0}, {"type": "long", "name": 1}]')
    assert all(spec.required for spec in schema.inputs)
    assert schema.input_names() == [0, 1]
    assert '"name": 0' in schema.to_json()


def test_tensor_spec_json_normalises_sized_dtypes() -> None:
    spec = TensorSpec(np.dtype("<U5"), (-1, 2), "t")
    assert spec.to_dict() == {
        "name": "t",
        "type": "tensor",
        "tensor-spec": {"dtype": "str", "shape": [-1, 2]},
    }
    assert TensorSpec(np.dtype("S3"), (-1,)).to_dict()["tensor-spec"]["dtype"] == "bytes"
    assert Schema.from_json(Schema([spec]).to_json()) == Schema([spec])


@pytest.mark.parametrize(
    "specs",
    [
        [ColSpec("double", "a"), ColSpec("double")],
        [ColSpec("double", "a"), TensorSpec(np.dtype("float64"), (-1,), "b")],
        [TensorSpec(np.dtype("float64"), (-1,)), TensorSpec(np.dtype("float64"), (-1,))],
        [ColSpec("double", required=False)],
        [],
    ],
)
def test_schema_invariants(specs: list) -> None:
    with pytest.raises(MlflowException) as info:
        Schema(specs)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_unknown_type_name_is_refused_with_the_choices() -> None:
    with pytest.raises(MlflowException, match=r"Unsupported type 'decimal'.*'double'"):
        ColSpec("decimal", "a")


def test_datatype_numpy_types() -> None:
    assert DataType.long.to_numpy() == np.dtype("int64")
    assert DataType.integer.to_numpy() == np.dtype("int32")
    assert DataType.float.to_numpy() == np.dtype("float32")
    assert DataType.datetime.to_numpy() == np.dtype("datetime64[ns]")
    assert str(DataType.string.to_numpy()) == "<U0"


def test_param_spec_json_and_validation() -> None:
    schema = ParamSchema(
        [
            ParamSpec("alpha", "double", 0.1),
            ParamSpec("flags", DataType.string, ["a"], (-1,)),
            ParamSpec("when", "datetime", datetime.datetime(2020, 1, 1)),
            ParamSpec("cfg", Object([Property("x", "long")]), {"x": 1}),
        ]
    )
    assert json.loads(schema.to_json()) == [
        {"name": "alpha", "default": 0.1, "shape": None, "type": "double"},
        {"name": "flags", "default": ["a"], "shape": [-1], "type": "string"},
        {"name": "when", "default": "2020-01-01T00:00:00", "shape": None, "type": "datetime"},
        {
            "name": "cfg",
            "default": {"x": 1},
            "shape": None,
            "type": "object",
            "properties": {"x": {"type": "long", "required": True}},
        },
    ]
    assert ParamSchema.from_json(schema.to_json()).to_json() == schema.to_json()
    legacy = ParamSchema.from_json('[{"name": "k", "default": 1, "shape": null, "dtype": "long"}]')
    assert legacy.params[0].dtype == DataType.long


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("p", "binary", b"x"), "unsupported type"),
        (("p", "long", 1.5), "Default value of param 'p' is invalid"),
        (("p", "long", [1], (2,)), "shape must be None or"),
        (("p", "string", "a", (-1,)), "1D array"),
    ],
)
def test_param_spec_rejects_bad_definitions(args: tuple, match: str) -> None:
    with pytest.raises(MlflowException, match=match):
        ParamSpec(*args)


def test_param_schema_refuses_duplicates_and_none_params() -> None:
    with pytest.raises(MlflowException, match=r"Duplicated parameter names: \['a'\]"):
        ParamSchema([ParamSpec("a", "long", 1), ParamSpec("a", "long", 2)])
    with pytest.raises(MlflowException, match="'p': None is not allowed"):
        infer_signature(np.zeros(2), params={"p": None})


def test_model_signature_dict_equality_and_repr() -> None:
    signature = infer_signature(np.zeros((2, 3)), np.zeros(2), params={"k": 1})
    as_dict = signature.to_dict()
    assert set(as_dict) == {"inputs", "outputs", "params"}
    assert all(isinstance(v, str) for v in as_dict.values())
    assert ModelSignature.from_dict(as_dict) == signature
    assert ModelSignature.from_dict({"inputs": as_dict["inputs"], "outputs": ""}).outputs is None
    assert "inputs:" in repr(signature) and "Tensor('float64', (-1, 3))" in repr(signature)
    assert signature != infer_signature(np.zeros((2, 3)))
    with pytest.raises(MlflowException, match="at least one"):
        ModelSignature()


def test_importing_models_and_types_stays_light() -> None:
    code = (
        "import sys, mltrail, mltrail.models, mltrail.types, mltrail.pyfunc.enforcement;"
        "mltrail.models.ModelSignature;"
        "print(sorted(m for m in ('numpy', 'pandas') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
