"""Request parsing: every JSON format, CSV, content types, and the 400 messages."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
from scoring_models import K_PARAMS, XY_SCHEMA, EchoMetadata

from mltrail.exceptions import BAD_REQUEST, INVALID_PARAMETER_VALUE, MlflowException
from mltrail.pyfunc.scoring_input import (
    MAX_JSON_DEPTH,
    UnsupportedContentType,
    parse_content_type,
    parse_csv_input,
    parse_json_input,
)
from mltrail.types import Array, ColSpec, Schema, TensorSpec

XY = EchoMetadata(XY_SCHEMA, K_PARAMS)


def parse(payload: object, metadata: object = XY) -> object:
    return parse_json_input(json.dumps(payload).encode(), metadata)


def bad_request(payload: object, metadata: object = XY) -> str:
    with pytest.raises(MlflowException) as info:
        parse(payload, metadata)
    assert info.value.error_code == BAD_REQUEST
    return info.value.message


def test_dataframe_split_casts_to_schema_types_and_keeps_params() -> None:
    parsed = parse({"dataframe_split": {"columns": ["x", "y"], "data": [[1, 2], [3, 4]]},
                    "params": {"k": 2}})  # fmt: skip
    assert isinstance(parsed.data, pd.DataFrame)
    assert parsed.data.dtypes.to_dict() == {"x": np.float64, "y": np.int64}
    assert parsed.data["x"].tolist() == [1.0, 3.0]
    assert parsed.params == {"k": 2}
    assert parsed.unwrapped is False


def test_dataframe_split_with_index_and_without_schema() -> None:
    parsed = parse({"dataframe_split": {"columns": ["a"], "data": [[1]], "index": [7]}}, None)
    assert parsed.data.index.tolist() == [7]
    assert parsed.data["a"].dtype == np.int64


def test_dataframe_records() -> None:
    parsed = parse({"dataframe_records": [{"x": 1, "y": 2}, {"x": 1.5, "y": 3}]})
    assert parsed.data.to_dict(orient="list") == {"x": [1.0, 1.5], "y": [2, 3]}
    assert parsed.params is None


def test_instances_rows_become_column_arrays() -> None:
    parsed = parse({"instances": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]})
    assert set(parsed.data) == {"x", "y"}
    assert parsed.data["x"].dtype == np.float64
    assert parsed.data["y"].tolist() == [2, 4]


def test_instances_of_unequal_length_are_rejected() -> None:
    message = bad_request({"instances": [{"x": 1, "y": 2}, {"x": 3}]})
    assert "length of values" in message


def test_inputs_columnar_rows_list_and_scalar() -> None:
    columnar = parse({"inputs": {"x": [1, 2], "y": [3, 4]}}).data
    assert columnar["x"].dtype == np.float64 and columnar["y"].dtype == np.int64
    rows = parse({"inputs": [{"x": 1, "y": 2}]}).data
    assert isinstance(rows, list) and rows[0]["x"] == 1.0
    single = EchoMetadata(Schema([ColSpec("double", "v")]))
    assert parse({"inputs": [1, 2]}, single).data["v"].tolist() == [1.0, 2.0]
    unnamed = EchoMetadata(Schema([ColSpec("long")]))
    assert parse({"inputs": 5}, unnamed).data == 5


def test_inputs_with_tensor_schema_uses_the_tensor_dtype() -> None:
    tensor = EchoMetadata(Schema([TensorSpec(np.dtype("float32"), (-1, 2))]))
    data = parse({"inputs": [[1, 2], [3, 4]]}, tensor).data
    assert data.dtype == np.float32 and data.shape == (2, 2)


def test_inputs_dict_against_unnamed_schema_is_rejected() -> None:
    message = bad_request({"inputs": {"a": [1]}}, EchoMetadata(Schema([ColSpec("long")])))
    assert "un-named model signature" in message


def test_inputs_array_column_is_validated() -> None:
    metadata = EchoMetadata(Schema([ColSpec(Array("long"), "v")]))
    # As in MLflow, a columnar ``inputs`` value of an Array column is one array.
    assert parse({"inputs": {"v": [1, 2]}}, metadata).data["v"].tolist() == [1, 2]
    assert "Can not safely convert" in bad_request({"inputs": {"v": ["a"]}}, metadata)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"foo": 1}, "Received dictionary with input fields: []"),
        ({"data": [[1]]}, "Received dictionary with input fields: []"),
        ({"inputs": 1, "instances": [1]}, "input fields: ['instances', 'inputs']"),
        ([1, 2], "Received a list"),
        ({"dataframe_split": {"columns": ["x"]}}, "must have 'data' field"),
        ({"dataframe_split": [[1]]}, "Dataframe split format must be a dictionary. Got list"),
        ({"dataframe_records": {"x": 1}}, "must be a list of records. Got dictionary"),
        ({"dataframe_split": {"data": [[1]]}, "params": [1]}, "'params' must be a JSON object"),
        ({"dataframe_split": {"columns": ["x", "y"], "data": [["a", 1]]}},
         "Failed to convert column x to type 'float64'"),
        ({"dataframe_split": {"columns": ["x", "y"], "data": [[1, 2, 3]]}},
         "not a valid dataframe representation"),
    ],
)  # fmt: skip
def test_invalid_json_payloads_say_what_is_wrong(payload: object, expected: str) -> None:
    assert expected in bad_request(payload)


def test_malformed_json_and_bad_utf8() -> None:
    with pytest.raises(MlflowException, match="valid JSON formatted string") as info:
        parse_json_input(b'{"dataframe_split": ', XY)
    assert info.value.error_code == BAD_REQUEST
    with pytest.raises(MlflowException, match="valid JSON formatted string"):
        parse_json_input(b"\xff\xfe{}", XY)


def test_deeply_nested_json_is_refused_but_brackets_in_strings_are_fine() -> None:
    deep = "[" * (MAX_JSON_DEPTH + 5) + "]" * (MAX_JSON_DEPTH + 5)
    with pytest.raises(MlflowException, match="nested deeper"):
        parse_json_input(json.dumps({"inputs": "x"})[:-1].encode() + b", \"z\": " +
                         deep.encode() + b"}", XY)  # fmt: skip
    text_with_brackets = "[" * (MAX_JSON_DEPTH * 2)
    parsed = parse({"inputs": {"s": [text_with_brackets]}}, None)
    assert parsed.data["s"].tolist() == [text_with_brackets]


def test_unified_llm_payload_is_passed_through() -> None:
    parsed = parse({"messages": [{"role": "user", "content": "hi"}], "k": 3, "temperature": 1})
    assert parsed.unwrapped is True
    assert parsed.params == {"k": 3}
    assert parsed.data == {"messages": [{"role": "user", "content": "hi"}], "temperature": 1}


def test_binary_and_datetime_columns() -> None:
    metadata = EchoMetadata(Schema([ColSpec("binary", "b"), ColSpec("datetime", "t")]))
    encoded = base64.b64encode(b"\x00\x01").decode()
    frame = parse({"dataframe_records": [{"b": encoded, "t": "2024-01-02T03:04:05"}]},
                  metadata).data  # fmt: skip
    assert frame["b"].tolist() == [b"\x00\x01"]
    assert str(frame["t"].dtype) == "datetime64[ns]"


def test_type_hint_signature_needs_inputs() -> None:
    class HintMetadata(EchoMetadata):
        def _is_signature_from_type_hint(self) -> bool:
            return True

    metadata = HintMetadata(None)
    assert parse({"inputs": ["a", "b"]}, metadata).data == ["a", "b"]
    with pytest.raises(MlflowException, match="'inputs' key") as info:
        parse({"dataframe_records": []}, metadata)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_csv_uses_schema_dtypes_and_reports_parse_errors() -> None:
    frame = parse_csv_input(b"x,y\n1,2\n3,4\n", XY_SCHEMA)
    assert frame.dtypes.to_dict() == {"x": np.float64, "y": np.int64}
    assert parse_csv_input("a\nfoo\n").to_dict(orient="list") == {"a": ["foo"]}
    with pytest.raises(MlflowException, match="Failed to parse input as a Pandas DataFrame"):
        parse_csv_input(b"x,y\nabc,2\n", XY_SCHEMA)
    with pytest.raises(MlflowException, match="valid UTF-8"):
        parse_csv_input(b"x\n\xff\n")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("application/json", "application/json"),
        ("application/json; charset=UTF-8", "application/json"),
        ("TEXT/CSV", "text/csv"),
        ("application/vnd.apache.parquet", "application/vnd.apache.parquet"),
    ],
)
def test_accepted_content_types(header: str, expected: str) -> None:
    assert parse_content_type(header) == expected


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "no Content-Type header"),
        ("text/plain", "only supports the following content types"),
        ("application/json; charset=latin-1", "only supports UTF-8"),
        ("application/json; format=pandas-split", "Unrecognized content type parameters: format"),
    ],
)
def test_refused_content_types(header: str | None, expected: str) -> None:
    with pytest.raises(UnsupportedContentType, match=expected):
        parse_content_type(header)
