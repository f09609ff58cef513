"""Schema and params enforcement rules (MLmodel format notes §8)."""

from __future__ import annotations

import datetime
import decimal
import logging
from typing import Any

import numpy as np
import pandas as pd
import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.pyfunc.enforcement import (
    enforce_params,
    enforce_schema,
    schema_enforcement_error,
)
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


def cols(*specs: tuple) -> Schema:
    return Schema([ColSpec(*spec) for spec in specs])


def refused(data: Any, schema: Schema, match: str) -> MlflowException:
    with pytest.raises(MlflowException, match=match) as info:
        enforce_schema(data, schema)
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    return info.value


# --- column matching ------------------------------------------------------------------------


def test_missing_required_columns_are_named_with_extras() -> None:
    schema = cols(("double", "a"), ("double", "b"), ("double", "c"))
    refused(
        pd.DataFrame({"a": [1.0], "z": [1]}),
        schema,
        r"Model is missing inputs \['b', 'c'\]\. Note that there were extra inputs: \['z'\]\.",
    )


def test_extra_columns_dropped_and_schema_order_kept(caplog: Any) -> None:
    schema = cols(("double", "a"), ("double", "b"))
    with caplog.at_level(logging.WARNING):
        out = enforce_schema(pd.DataFrame({"b": [1.0], "a": [2.0], "z": [3]}), schema)
    assert list(out.columns) == ["a", "b"]
    assert out["a"].tolist() == [2.0]
    assert "['z']" in caplog.text


def test_optional_columns_may_be_absent_and_hold_missing_values() -> None:
    schema = Schema([ColSpec("double", "a"), ColSpec("double", "b", required=False)])
    out = enforce_schema(pd.DataFrame({"a": [1.0, np.nan]}), schema)
    assert list(out.columns) == ["a"]
    assert np.isnan(out["a"].iloc[1])


def test_unnamed_schema_checks_count_and_uses_first_columns() -> None:
    schema = cols(("double",), ("double",))
    out = enforce_schema([[1.0, 2.0, 3.0]], schema)
    assert list(out.columns) == [0, 1]
    refused([[1.0]], schema, "declares 2 inputs but the provided value only has 1")


def test_lists_fail_against_named_column_schema() -> None:
    refused([[1.0]], cols(("double", "x")), r"missing inputs \['x'\].*extra inputs: \[0\]")


# --- input coercion -------------------------------------------------------------------------


def test_series_scalar_and_dict_become_dataframes() -> None:
    assert enforce_schema(pd.Series([1.0], name="a"), cols(("double", "a")))["a"].tolist() == [1.0]
    assert enforce_schema(1.5, cols(("double",)))[0].tolist() == [1.5]
    out = enforce_schema({"a": 1.0, "b": "x"}, cols(("double", "a"), ("string", "b")))
    assert out.shape == (1, 2) and out["b"].tolist() == ["x"]
    out = enforce_schema({"a": [1.0, 2.0]}, cols(("double", "a")))  # column-wise dict
    assert out["a"].tolist() == [1.0, 2.0]


def test_unsupported_input_type_is_refused() -> None:
    refused({1, 2}, cols(("double",)), "Expected input to be DataFrame. Found: set")


# --- scalar type conversion -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "declared", "result_dtype"),
    [
        (np.array([1], np.int32), "long", "int64"),
        (np.array([1, 5], np.int32), "double", "float64"),
        (np.array([1], np.uint32), "long", "int64"),
        (np.array([1.5], np.float32), "double", "float64"),
        (np.array([1, 0]), "double", "float64"),  # int64 of only 0/1
        (pd.Series([1, 2], dtype=object), "long", "int64"),  # infer_objects first
        (np.array(["2020-01-01"], "datetime64[s]"), "datetime", "datetime64[ns]"),
        (pd.Series([datetime.date(2020, 1, 1)], dtype=object), "datetime", "datetime64[ns]"),
        (pd.Series([decimal.Decimal("1.5")], dtype=object), "double", "float64"),
    ],
)
def test_safe_conversions(values: Any, declared: str, result_dtype: str) -> None:
    out = enforce_schema(pd.DataFrame({"a": values}), cols((declared, "a")))
    assert str(out["a"].dtype) == result_dtype


def test_string_binary_and_boolean_object_columns_pass_unchanged() -> None:
    df = pd.DataFrame({"s": ["x", None], "b": [b"x", b"y"], "f": pd.Series([True, None])})
    out = enforce_schema(df, cols(("string", "s"), ("binary", "b"), ("boolean", "f")))
    assert out["b"].tolist() == [b"x", b"y"]
    assert out["f"].tolist() == [True, None]


@pytest.mark.parametrize(
    ("values", "declared", "source", "target"),
    [
        ([1, 5], "double", "int64", "float64"),  # int64 beyond 0/1
        ([1.0], "long", "float64", "int64"),
        (np.array([1], np.int64), "integer", "int64", "int32"),
        (np.array([1], np.int16), "float", "int16", "float32"),
        (np.array([1], np.uint64), "long", "uint64", "int64"),
        ([True], "long", "bool", "int64"),
        ([1], "string", "int64", "<U0"),
        (["x"], "double", "str", "float64"),
        (["2020-01-01"], "datetime", "str", "datetime64[ns]"),
    ],
)
def test_unsafe_conversions_name_column_and_types(
    values: Any, declared: str, source: str, target: str
) -> None:
    error = refused(
        pd.DataFrame({"col_x": values}),
        cols((declared, "col_x")),
        "Incompatible input types for column col_x",
    )
    assert f"Can not safely convert {source} to {target}." in error.message


def test_float_with_missing_values_to_int_gets_a_hint() -> None:
    error = refused(pd.DataFrame({"a": [1.0, None]}), cols(("long", "a")), "missing values")
    assert "float64 to int64" in error.message


def test_unparseable_object_datetime_is_refused() -> None:
    refused(pd.DataFrame({"d": pd.Series(["nope"], dtype=object)}), cols(("datetime", "d")), "d")


def test_any_columns_accept_everything() -> None:
    out = enforce_schema(pd.DataFrame({"a": [1, "x"]}), Schema([ColSpec(AnyType(), "a")]))
    assert out["a"].tolist() == [1, "x"]


# --- composite columns ----------------------------------------------------------------------


def test_array_object_and_map_cells_are_validated() -> None:
    schema = Schema(
        [
            ColSpec(Array(DataType.double), "arr"),
            ColSpec(Object([Property("x", DataType.long), Property("y", "string", False)]), "o"),
            ColSpec(Map(DataType.long), "m"),
        ]
    )
    df = pd.DataFrame({"arr": [[1, 2.5]], "o": [{"x": 1}], "m": [{"k": 3}]})
    out = enforce_schema(df, schema)
    assert out["arr"].tolist() == [[1.0, 2.5]]
    bad_object = pd.DataFrame({"arr": [[1.0]], "o": [{"y": "a"}], "m": [{"k": 3}]})
    refused(bad_object, schema, r"column 'o'.*Missing required properties \['x'\]")
    unknown_prop = pd.DataFrame({"arr": [[1.0]], "o": [{"x": 1, "z": 2}], "m": [{"k": 3}]})
    refused(unknown_prop, schema, r"Properties \['z'\] are not declared")
    bad_item = pd.DataFrame({"arr": [["a"]], "o": [{"x": 1}], "m": [{"k": 3}]})
    refused(bad_item, schema, "column 'arr'.*DataType.double")
    bad_key = pd.DataFrame({"arr": [[1.0]], "o": [{"x": 1}], "m": [{1: 3}]})
    refused(bad_key, schema, "Map keys must be strings")


def test_dict_input_with_array_schema_becomes_one_row() -> None:
    schema = Schema([ColSpec(Array(DataType.long), "ids"), ColSpec("string", "q")])
    out = enforce_schema({"ids": [1, 2], "q": "x"}, schema)
    assert out["ids"].tolist() == [[1, 2]]


# --- tensors --------------------------------------------------------------------------------


def tensor(dtype: str, shape: tuple, name: str | None = None) -> TensorSpec:
    return TensorSpec(np.dtype(dtype), shape, name)


def test_tensor_dtype_must_match_exactly() -> None:
    schema = Schema([tensor("float32", (-1, 4))])
    refused(
        np.zeros((2, 4)), schema, "dtype of input float64 does not match expected dtype float32"
    )
    assert enforce_schema(np.zeros((2, 4), np.float32), schema).shape == (2, 4)


def test_tensor_shape_and_rank_checked_with_wildcards() -> None:
    schema = Schema([tensor("float32", (-1, 4))])
    refused(np.zeros((2, 3), np.float32), schema, r"Shape of input \(2, 3\) does not match")
    refused(np.zeros((2,), np.float32), schema, r"expected shape \(-1, 4\)")


def test_string_tensors_normalise_sized_dtypes() -> None:
    out = enforce_schema(np.array(["ab", "cde"]), Schema([tensor("str", (-1,))]))
    assert out.tolist() == ["ab", "cde"]


def test_object_tensor_with_shape_minus_one_accepts_anything() -> None:
    ragged = np.array([[1, 2], [3]], dtype=object)
    assert enforce_schema(ragged, Schema([tensor("object", (-1,))])) is ragged
    assert enforce_schema(np.zeros(2), Schema([tensor("object", (-1,))])).shape == (2,)


def test_dataframe_against_unnamed_tensor() -> None:
    two_cols = pd.DataFrame({"a": [1.0], "b": [2.0]})
    assert enforce_schema(two_cols, Schema([tensor("float64", (-1, 2))])).tolist() == [[1.0, 2.0]]
    refused(two_cols, Schema([tensor("float64", (-1, 3))]), "2 columns")
    one_col = pd.DataFrame({"a": [1, 2]})
    out = enforce_schema(one_col, Schema([tensor("float64", (-1,))]))
    assert out.dtype == np.float64 and out.tolist() == [1.0, 2.0]
    assert enforce_schema(one_col, Schema([tensor("float64", (-1, 1))])).shape == (2, 1)
    stacked = pd.DataFrame({"v": [[1.0, 2.0], [3.0, 4.0]]})
    assert enforce_schema(stacked, Schema([tensor("float64", (-1, 2))])).shape == (2, 2)
    refused(pd.DataFrame(), Schema([tensor("float64", (-1,))]), "empty")


def test_lists_are_refused_for_tensor_schemas() -> None:
    refused([1.0], Schema([tensor("float64", (-1,))]), "numpy array or a pandas DataFrame")


def test_named_tensors() -> None:
    schema = Schema([tensor("float64", (-1,), "x"), tensor("int32", (-1, 2), "y")])
    data = {"x": np.zeros(2), "y": np.zeros((2, 2), np.int32), "extra": np.zeros(1)}
    assert set(enforce_schema(data, schema)) == {"x", "y"}
    refused({"x": np.zeros(2)}, schema, r"Model is missing inputs \['y'\]")
    refused({"x": np.zeros(2), "y": np.zeros((2, 2))}, schema, "float64 does not match .* int32")
    single = Schema([tensor("float64", (-1,), "x")])
    assert enforce_schema(np.zeros(2), single)["x"].shape == (2,)
    from_df = enforce_schema(pd.DataFrame({"x": [1.0, 2.0]}), single)
    assert from_df["x"].tolist() == [1.0, 2.0]


# --- params ---------------------------------------------------------------------------------

PARAMS = ParamSchema(
    [
        ParamSpec("alpha", "double", 0.1),
        ParamSpec("n", "long", 3),
        ParamSpec("flags", "string", ["a"], (-1,)),
        ParamSpec("dt", "datetime", None),
        ParamSpec("f", "float", 1.0),
        ParamSpec("b", "boolean", True),
    ]
)


def test_params_defaults_filled() -> None:
    assert enforce_params(None, PARAMS) == {
        "alpha": 0.1,
        "n": 3,
        "flags": ["a"],
        "dt": None,
        "f": 1.0,
        "b": True,
    }


def test_params_converted_and_unknown_dropped(caplog: Any) -> None:
    with caplog.at_level(logging.WARNING):
        out = enforce_params(
            {"alpha": 1, "n": np.int32(2), "dt": "2020-01-01T10:00:00", "f": 2, "z": 1}, PARAMS
        )
    assert out["alpha"] == 1.0 and isinstance(out["alpha"], float)
    assert out["n"] == 2 and type(out["n"]) is int
    assert out["dt"] == datetime.datetime(2020, 1, 1, 10, 0)
    assert out["f"] == 2.0
    assert "z" not in out and "['z']" in caplog.text


def test_invalid_params_reported_together() -> None:
    with pytest.raises(MlflowException, match="Invalid parameters found") as info:
        enforce_params({"alpha": "x", "n": 1.5, "flags": "a", "b": 1}, PARAMS)
    message = info.value.message
    for name in ("alpha", "n", "flags", "b"):
        assert f"('{name}'," in message
    assert "Can not safely convert `<class 'float'>` to `DataType.long` for value `1.5`" in message
    assert "1D array with shape (-1,)" in message
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_strict_numpy_params_and_bool_not_int() -> None:
    for bad in ({"n": True}, {"f": np.float64(1.5)}, {"flags": [1]}):
        with pytest.raises(MlflowException, match="Invalid parameters found"):
            enforce_params(bad, PARAMS)


def test_params_without_schema_ignored_and_non_dict_refused(caplog: Any) -> None:
    with caplog.at_level(logging.WARNING):
        assert enforce_params({"a": 1}, None) == {}
    assert "['a']" in caplog.text
    with pytest.raises(MlflowException, match=r"Parameters must be a dictionary\. Got type 'list'"):
        enforce_params([1], PARAMS)  # type: ignore[arg-type]


def test_schema_enforcement_error_wraps_cause(monkeypatch: Any) -> None:
    schema = cols(("double", "a"))
    error = schema_enforcement_error("DATA", schema, ValueError("boom"))
    assert error.error_code == INVALID_PARAMETER_VALUE
    assert error.json_kwargs == {"error_class": "SCHEMA_ENFORCEMENT_FAILED"}
    assert error.message.startswith("Failed to enforce schema of data 'DATA' with schema")
    assert error.message.endswith("Error: boom")
    monkeypatch.setenv("MLFLOW_DISABLE_SCHEMA_DETAILS", "true")
    assert "DATA" not in schema_enforcement_error("DATA", schema, ValueError("x")).message
