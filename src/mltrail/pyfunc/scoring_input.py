"""Parse scoring requests (``/invocations`` bodies, ``models predict`` files) into model input.

JSON bodies hold exactly one of ``dataframe_split``, ``dataframe_records``, ``instances`` or
``inputs`` plus optional ``params``; bodies with ``messages``/``prompt``/``input`` are passed
through unparsed (unified LLM payloads). CSV bodies become a DataFrame read with the schema's
dtypes. Every problem is an ``MlflowException(BAD_REQUEST)`` whose message says what is wrong.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

from mltrail.exceptions import BAD_REQUEST, INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import AnyType, Array, DataType, Map, Object
from mltrail.types.schema import ColSpec, Schema, TensorSpec
from mltrail.types.values import enforce_value

CONTENT_TYPE_JSON = "application/json"
CONTENT_TYPE_CSV = "text/csv"
CONTENT_TYPE_PARQUET = "application/vnd.apache.parquet"
CONTENT_TYPES = (CONTENT_TYPE_CSV, CONTENT_TYPE_JSON, CONTENT_TYPE_PARQUET)

DF_SPLIT = "dataframe_split"
DF_RECORDS = "dataframe_records"
INSTANCES = "instances"
INPUTS = "inputs"
FORMAT_KEYS = (DF_SPLIT, DF_RECORDS, INSTANCES, INPUTS)
PARAMS_KEY = "params"
LLM_KEYS = ("messages", "prompt", "input")
MAX_JSON_DEPTH = 64

_REQUIRED_FORMAT = (
    "The input must be a JSON dictionary with exactly one of the input fields "
    "'dataframe_split', 'dataframe_records', 'instances' or 'inputs' (plus optional 'params')"
)
_PROTOCOL_NOTE = (
    "The scoring protocol of MLflow 2.0 and later expects e.g. "
    '{"dataframe_split": {"columns": [...], "data": [[...]]}}; the 1.x formats '
    '({"data": ...} or content-type parameters such as format=pandas-split) are not accepted.'
)


class InvalidInput(MlflowException):
    """A request the client must fix: always ``BAD_REQUEST`` (400)."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Invalid input. {message}", BAD_REQUEST)


class UnsupportedContentType(MlflowException):
    """A Content-Type the server cannot read (answered with 415)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, BAD_REQUEST)


@dataclass(frozen=True)
class ParsedInput:
    """Model input, inference params, and whether the reply is the bare prediction."""

    data: Any
    params: dict[str, Any] | None
    unwrapped: bool = False


def _preview(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


# --- content type ---------------------------------------------------------------------------


def parse_content_type(header: str | None) -> str:
    """The MIME type of an ``/invocations`` request, or an error saying what is accepted."""
    if not header:
        raise UnsupportedContentType(
            f"The request has no Content-Type header. Send one of {list(CONTENT_TYPES)} "
            "(e.g. 'Content-Type: application/json')."
        )
    mime, *parameters = (part.strip() for part in header.split(";"))
    values = {key.strip().lower(): value.strip() for key, _, value in
              (pair.partition("=") for pair in parameters if pair)}  # fmt: skip
    if values.get("charset", "utf-8").lower() != "utf-8":
        raise UnsupportedContentType(
            f"The scoring server only supports UTF-8, got charset {values['charset']!r}."
        )
    unknown = sorted(set(values) - {"charset"})
    if unknown:
        raise UnsupportedContentType(
            f"Unrecognized content type parameters: {', '.join(unknown)}. {_PROTOCOL_NOTE}"
        )
    mime = mime.lower()
    if mime not in CONTENT_TYPES:
        raise UnsupportedContentType(
            f"This predictor only supports the following content types: {list(CONTENT_TYPES)}. "
            f"Got {_preview(header, 100)!r}."
        )
    return mime


# --- JSON -----------------------------------------------------------------------------------


def _check_depth(text: bytes | str) -> None:
    """Refuse JSON nested deeper than ``MAX_JSON_DEPTH`` (cheap vectorised upper bound first)."""
    import numpy as np

    raw = text.encode("utf-8") if isinstance(text, str) else text
    codes = np.frombuffer(raw, dtype=np.uint8)
    if codes.size == 0:
        return
    opens = (codes == ord("[")) | (codes == ord("{"))
    closes = (codes == ord("]")) | (codes == ord("}"))
    steps = opens.astype(np.int32) - closes.astype(np.int32)
    if int(np.cumsum(steps).max()) <= MAX_JSON_DEPTH:
        return
    # Brackets inside strings may have inflated the bound: measure the parsed value exactly.
    try:
        value = json.loads(raw)
    except RecursionError:
        raise InvalidInput(f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError:
        return  # reported by the caller's own parse
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InvalidInput(f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, dict | list))


def decode_json_object(body: bytes | str) -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying why it is not one."""
    _check_depth(body)
    try:
        value = json.loads(body)
    except (ValueError, RecursionError) as exc:
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        raise InvalidInput(
            f"Ensure that input is a valid JSON formatted string. Error: '{exc}'. "
            f"Input: {_preview(text)!r}"
        ) from None
    if isinstance(value, dict):
        return value
    kind = "a list" if isinstance(value, list) else f"a JSON {type(value).__name__}"
    raise InvalidInput(f"{_REQUIRED_FORMAT}. Received {kind}.")


def parse_json_input(body: bytes | str, metadata: Any = None) -> ParsedInput:
    """Split a JSON request into model input and params, parsed per the model's schema."""
    payload = decode_json_object(body)
    input_schema = _schema_of(metadata, "get_input_schema")
    if any(key in payload for key in LLM_KEYS):
        param_schema = _schema_of(metadata, "get_params_schema")
        declared = {spec.name for spec in param_schema.params} if param_schema else set()
        data = {k: v for k, v in payload.items() if k not in declared}
        llm_params = {k: v for k, v in payload.items() if k in declared}
        return ParsedInput(data, llm_params, unwrapped=True)
    params = payload.get(PARAMS_KEY)
    if params is not None and not isinstance(params, dict):
        raise InvalidInput(f"'params' must be a JSON object, got {type(params).__name__}.")
    formats = [key for key in FORMAT_KEYS if key in payload]
    if _signature_from_type_hint(metadata):
        if INPUTS not in payload:
            raise MlflowException(
                "The model's signature comes from type hints, so the request must be a JSON "
                f"object with an 'inputs' key. Found keys: {sorted(payload)}.",
                INVALID_PARAMETER_VALUE,
            )
        return ParsedInput(payload[INPUTS], params)
    if len(formats) != 1:
        raise MlflowException(
            f"{_REQUIRED_FORMAT}. Received dictionary with input fields: {formats} "
            f"(all keys: {sorted(payload)[:20]}). {_PROTOCOL_NOTE}",
            BAD_REQUEST,
        )
    key = formats[0]
    if key in (DF_SPLIT, DF_RECORDS):
        return ParsedInput(dataframe_from_json(payload[key], key, input_schema), params)
    if key == INSTANCES:
        return ParsedInput(parse_instances(payload[key], input_schema), params)
    return ParsedInput(cast_to_schema(payload[key], input_schema), params)


def _schema_of(metadata: Any, getter: str) -> Any:
    method = getattr(metadata, getter, None)
    return method() if callable(method) else None


def _signature_from_type_hint(metadata: Any) -> bool:
    check = getattr(metadata, "_is_signature_from_type_hint", None)
    return bool(check()) if callable(check) else False


# --- dataframe formats ----------------------------------------------------------------------


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "dictionary", list: "list"}
    return names.get(type(value), f"type {type(value).__name__}")


def dataframe_from_json(value: Any, key: str, schema: Schema | None) -> Any:
    """``dataframe_split`` / ``dataframe_records`` payload -> DataFrame cast to the schema."""
    import pandas as pd

    if key == DF_RECORDS:
        if not isinstance(value, list):
            raise InvalidInput(
                f"Dataframe records format must be a list of records. Got {_kind(value)}."
            )
        try:
            frame = pd.DataFrame(data=value)
        except Exception as exc:
            raise InvalidInput(
                f"Provided dataframe_records field is not a valid dataframe representation in "
                f"'records' format. Error: '{exc}'"
            ) from None
    else:
        if not isinstance(value, dict):
            raise InvalidInput(f"Dataframe split format must be a dictionary. Got {_kind(value)}.")
        keys = set(value)
        if "data" not in keys or keys - {"columns", "data", "index"}:
            raise InvalidInput(
                "Dataframe split format must have 'data' field and optionally 'columns' and "
                f"'index' fields. Got {sorted(keys)}."
            )
        try:
            frame = pd.DataFrame(
                index=value.get("index"), columns=value.get("columns"), data=value["data"]
            )
        except Exception as exc:
            raise InvalidInput(
                f"Provided dataframe_split field is not a valid dataframe representation in "
                f"'split' format. Error: '{exc}'"
            ) from None
    return frame if schema is None else cast_frame_to_schema(frame, schema)


def pandas_dtype(value_type: Any) -> Any:
    """The pandas dtype a column of ``value_type`` is read as (``object`` for text/bytes)."""
    import numpy as np

    if isinstance(value_type, DataType):
        if value_type in (DataType.string, DataType.binary):
            return np.dtype(object)
        return value_type.to_numpy()
    return value_type


def _column_types(frame: Any, schema: Schema) -> list[tuple[Any, Any]]:
    if schema.has_input_names():
        return list(zip(schema.input_names(), schema.input_types(), strict=True))
    types = schema.input_types()
    if schema.is_tensor_spec():
        return [(column, types[0]) for column in frame.columns]
    count = min(len(types), len(frame.columns))
    return list(zip(frame.columns[:count], types[:count], strict=True))


def cast_frame_to_schema(frame: Any, schema: Schema) -> Any:
    """Convert the frame's columns to the schema's types; 400 naming the column on failure."""
    import pandas as pd

    present = set(frame.columns)
    for column, value_type in _column_types(frame, schema):
        if column not in present:
            continue  # missing columns are reported by schema enforcement at predict time
        try:
            frame[column] = _cast_column(frame[column], value_type, schema)
        except Exception as exc:
            target = pandas_dtype(value_type)
            raise InvalidInput(
                "Data is not compatible with model signature. Failed to convert column "
                f"{column} to type '{target}'. Error: '{exc!r}'"
            ) from None
    assert isinstance(frame, pd.DataFrame)
    return frame


def _cast_column(values: Any, value_type: Any, schema: Schema) -> Any:
    import numpy as np
    import pandas as pd

    if value_type == DataType.binary:
        return values.map(lambda x: base64.decodebytes(bytes(x, "utf8")))
    if isinstance(value_type, np.dtype) and value_type == np.dtype(bytes):
        return values.map(lambda x: bytes(x, "utf8"))
    if schema.is_tensor_spec() and len(values) and isinstance(values.iloc[0], list):
        return values  # multi-dimensional cells are shaped by tensor enforcement
    if isinstance(value_type, Array | Object | Map):
        return values.map(lambda x: enforce_value(x, value_type))
    if isinstance(value_type, AnyType):
        return values
    if value_type == DataType.datetime:
        parsed = pd.to_datetime(values)
        if (
            pd.api.types.is_datetime64_any_dtype(parsed)
            and getattr(parsed.dt, "unit", "ns") != "ns"
        ):
            parsed = parsed.dt.as_unit("ns")
        return parsed
    target = pandas_dtype(value_type)
    if target == np.dtype(object) and isinstance(values.dtype, pd.StringDtype):
        return values
    return values.astype(target)


# --- tensor-serving formats -----------------------------------------------------------------


def _convert(data: Any, spec: Any) -> Any:
    """One ``inputs``/``instances`` value converted to what ``spec`` declares."""
    import numpy as np

    try:
        if spec is None:
            return np.array(data)
        if isinstance(spec, TensorSpec):
            return np.array(data, dtype=spec.type)
        assert isinstance(spec, ColSpec)
        value_type = spec.type
        if isinstance(value_type, DataType):
            if isinstance(data, list | np.ndarray):
                return np.array(data, value_type.to_numpy())
            return np.array([data], value_type.to_numpy())[0]
        if isinstance(value_type, Array):
            return np.array(enforce_value(data, value_type))
        if isinstance(value_type, Object | Map):
            return enforce_value(data, value_type)
        return data
    except MlflowException as exc:
        raise InvalidInput(exc.message) from None
    except Exception as exc:
        name = f" for input {spec.name!r}" if getattr(spec, "name", None) is not None else ""
        raise InvalidInput(f"Failed to convert {_preview(repr(data))}{name}: {exc}") from None


def cast_to_schema(data: Any, schema: Schema | None) -> Any:
    """``inputs`` payload (columnar dict, list of rows, list or scalar) -> numpy/dict input."""
    import numpy as np

    types = schema.input_dict() if schema is not None and schema.has_input_names() else {}
    if schema is not None:
        if (
            len(types) == 1
            and isinstance(data, list)
            and not any(isinstance(x, dict) for x in data)
        ):
            data = {next(iter(types)): data}
        elif not schema.has_input_names() and not (isinstance(data, list) or np.isscalar(data)):
            raise InvalidInput(
                "Failed to parse input data. This model contains an un-named model signature "
                "which expects a single n-dimensional array or a single value as input, "
                f"however, an input of type {type(data).__name__} was found."
            )
    if isinstance(data, dict):
        return {col: _convert(value, types.get(col)) for col, value in data.items()}
    first = schema.inputs[0] if schema is not None else None
    if isinstance(data, list) and data and all(isinstance(x, dict) for x in data):
        return [{c: _convert(v, types.get(c)) for c, v in row.items()} for row in data]
    return _convert(data, first)


def parse_instances(data: Any, schema: Schema | None) -> Any:
    """``instances`` payload (rows) -> dict of column arrays, or an array."""
    import numpy as np

    if isinstance(data, list) and data and isinstance(data[0], dict):
        types = schema.input_dict() if schema is not None and schema.has_input_names() else {}
        columns: dict[str, list[Any]] = {}
        for row in data:
            if not isinstance(row, dict):
                raise InvalidInput("Every row of 'instances' must be a JSON object.")
            for col, value in row.items():
                columns.setdefault(col, []).append(_convert(value, types.get(col)))
        parsed: Any = {col: np.array(values) for col, values in columns.items()}
    else:
        parsed = cast_to_schema(data, schema)
    if isinstance(parsed, dict):
        _check_equal_lengths(parsed, schema)
    return parsed


def _check_equal_lengths(columns: dict[str, Any], schema: Schema | None) -> None:
    import numpy as np

    sized = {k: v for k, v in columns.items() if isinstance(v, list | np.ndarray)}
    if schema is not None and schema.has_input_names():
        not_arrays = {n for n, s in schema.input_dict().items() if not isinstance(s.type, Array)}
        names = [n for n in schema.required_input_names() if n in not_arrays and n in sized]
    else:
        names = list(sized)
    lengths = {name: len(sized[name]) for name in names}
    if len(set(lengths.values())) > 1:
        raise InvalidInput(
            f"The length of values for each input/column name are not the same: {lengths}."
        )


# --- CSV and Parquet ------------------------------------------------------------------------


def parse_csv_input(body: bytes | str, schema: Schema | None = None) -> Any:
    """A CSV body (header line first) -> DataFrame read with the schema's dtypes."""
    import io

    import pandas as pd

    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"Ensure that input is a valid UTF-8 encoded string. Error: '{exc}'"
        ) from None
    dtypes = None
    if (
        schema is not None
        and not schema.is_tensor_spec()
        and all(isinstance(t, DataType) for t in schema.input_types())
    ):
        dtypes = {
            n: pandas_dtype(t)
            for n, t in zip(schema.input_names(), schema.input_types(), strict=True)
            if t != DataType.datetime
        }
    try:
        return pd.read_csv(io.StringIO(text), dtype=dtypes)
    except Exception as exc:
        raise MlflowException(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid "
            "CSV-formatted Pandas DataFrame produced using the pandas.DataFrame.to_csv() "
            f"method. Error: '{exc}'",
            BAD_REQUEST,
        ) from None


def parse_parquet_input(body: bytes) -> Any:
    """A Parquet body -> DataFrame (needs pyarrow or fastparquet)."""
    import io

    import pandas as pd

    try:
        return pd.read_parquet(io.BytesIO(body))
    except ImportError as exc:
        raise MlflowException(
            f"Parquet input needs pyarrow installed in the serving environment ({exc}). "
            "Send JSON or CSV instead.",
            BAD_REQUEST,
        ) from None
    except Exception as exc:
        raise MlflowException(
            "Failed to parse input as a Pandas DataFrame. Ensure that the input is a valid "
            f"Parquet file written with pandas.DataFrame.to_parquet(). Error: '{exc}'",
            BAD_REQUEST,
        ) from None


def parse_request_body(body: bytes, mime_type: str, metadata: Any = None) -> ParsedInput:
    """Dispatch on the (already validated) MIME type."""
    if mime_type == CONTENT_TYPE_JSON:
        return parse_json_input(body, metadata)
    if mime_type == CONTENT_TYPE_CSV:
        return ParsedInput(parse_csv_input(body, _schema_of(metadata, "get_input_schema")), None)
    return ParsedInput(parse_parquet_input(body), None)
