"""Parse REST requests into typed values, following MLflow's parsing rules.

GET parameters come from the query string: repeated fields are repeated keys (``?a=1&a=2``),
other fields take the first value, bools are ``true``/``false`` in any case. POST/PUT bodies
must be ``application/json``; PATCH/DELETE bodies are read without a Content-Type check. An
empty body is ``{}``, a JSON string holding JSON is decoded a second time, unknown keys are
ignored, and lowerCamelCase spellings are accepted for optional fields. Every value is
checked against its declared type and bounded (string lengths, list lengths, integer ranges).
Every problem is an ``INVALID_PARAMETER_VALUE`` MlflowException (HTTP 400).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.messages import (
    BOOL,
    DOUBLE,
    INT32,
    INT64,
    STRING,
    EnumType,
    Field,
    Message,
)

_API_DOCS_HINT = "See the API docs for more information about request parameters."
_INT_RANGES = {INT64: (-(2**63), 2**63 - 1), INT32: (-(2**31), 2**31 - 1)}
JSON_METHODS_WITH_CONTENT_TYPE = frozenset({"POST", "PUT"})


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def missing_parameter(path: str) -> MlflowException:
    return _invalid(f"Missing value for required parameter '{path}'. {_API_DOCS_HINT}")


def _wrong_value(path: str, value: Any, expected: str) -> MlflowException:
    shown = repr(value) if isinstance(value, str) else json.dumps(value)[:200]
    return _invalid(
        f"Invalid value {shown} for parameter '{path}' supplied. Hint: Value was of type "
        f"'{type(value).__name__}', expected {expected}. {_API_DOCS_HINT}"
    )


# ---- request bodies and query strings ----------------------------------------------------------
def decode_json_body(body: bytes, method: str, content_type: str | None) -> dict[str, Any]:
    """The JSON object of a request body (``{}`` when empty)."""
    if method.upper() in JSON_METHODS_WITH_CONTENT_TYPE:
        if not content_type:
            raise _invalid("Bad Request. Content-Type header is missing.")
        media_type = content_type.split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise _invalid(
                f"Bad Request. Content-Type must be 'application/json', got '{media_type}'."
            )
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
        if isinstance(parsed, str):  # legacy clients double-encode the body
            parsed = json.loads(parsed) if parsed.strip() else {}
    except (ValueError, RecursionError) as e:
        raise _invalid(f"Malformed JSON in request body: {e}") from None
    if not isinstance(parsed, dict):
        raise _invalid(
            f"The request body must be a JSON object, got {type(parsed).__name__}. {_API_DOCS_HINT}"
        )
    return parsed


def group_query(items: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Query parameters as ``{key: [values in order]}``."""
    grouped: dict[str, list[str]] = {}
    for key, value in items:
        grouped.setdefault(key, []).append(value)
    return grouped


def parse_query(message: Message, query: Mapping[str, list[str]]) -> dict[str, Any]:
    """Typed values of ``message``'s fields from a grouped query string."""
    values: dict[str, Any] = {}
    for field in message.fields:
        raw = _lookup(query, field)
        if raw is None or isinstance(field.type, Message):
            continue
        if field.repeated:
            _check_items(field.name, raw, field)
            values[field.name] = [
                _scalar_from_text(f"{field.name}[{i}]", item, field) for i, item in enumerate(raw)
            ]
        else:
            values[field.name] = _scalar_from_text(field.name, raw[0], field)
    _check_required(message, values, "")
    return values


def parse_json(message: Message, body: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of ``message``'s fields from a decoded JSON object."""
    return _parse_object(message, body, "")


# ---- JSON objects -------------------------------------------------------------------------------
def _parse_object(message: Message, body: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in message.fields:
        raw = _lookup(body, field)
        if raw is None:
            continue
        path = prefix + field.name
        if field.repeated:
            if not isinstance(raw, list):
                raise _wrong_value(path, raw, "a JSON array")
            _check_items(path, raw, field)
            values[field.name] = [
                _json_value(f"{path}[{i}]", item, field) for i, item in enumerate(raw)
            ]
        else:
            values[field.name] = _json_value(path, raw, field)
    _check_required(message, values, prefix)
    return values


def _json_value(path: str, raw: Any, field: Field) -> Any:
    kind = field.type
    if isinstance(kind, Message):
        if not isinstance(raw, dict):
            raise _wrong_value(path, raw, "a JSON object")
        return _parse_object(kind, raw, path + ".")
    if isinstance(kind, EnumType):
        return _enum_value(path, raw, kind)
    if kind == STRING:
        if not isinstance(raw, str):
            raise _wrong_value(path, raw, "a string")
        return _bounded_string(path, raw, field)
    if kind in _INT_RANGES:
        return _integer(path, raw, kind)
    if kind == DOUBLE:
        return _double(path, raw)
    if kind == BOOL:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            return _bool_from_text(path, raw)
        raise _wrong_value(path, raw, "a boolean")
    raise AssertionError(f"unknown field type {kind!r}")


# ---- scalars ------------------------------------------------------------------------------------
def _scalar_from_text(path: str, text: str, field: Field) -> Any:
    kind = field.type
    if isinstance(kind, EnumType):
        return _enum_value(path, text, kind)
    if kind == STRING:
        return _bounded_string(path, text, field)
    if kind in _INT_RANGES:
        return _integer(path, text, str(kind))
    if kind == DOUBLE:
        return _double(path, text)
    if kind == BOOL:
        return _bool_from_text(path, text)
    raise AssertionError(f"unknown field type {kind!r}")


def _bounded_string(path: str, value: str, field: Field) -> str:
    if len(value) > field.max_length:
        raise _invalid(
            f"Parameter '{path}' is too long: {len(value)} characters, at most "
            f"{field.max_length} are allowed."
        )
    return value


def _integer(path: str, raw: Any, kind: str) -> int:
    value: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        digits = text[1:] if text[:1] in "+-" else text
        if digits.isdigit() and digits.isascii() and len(digits) <= 20:
            value = int(text)
    if value is None:
        raise _wrong_value(path, raw, f"an integer ({kind})")
    low, high = _INT_RANGES[kind]
    if not low <= value <= high:
        raise _invalid(f"Parameter '{path}' is out of range: {value} is not a valid {kind}.")
    return value


def _double(path: str, raw: Any) -> float:
    """A JSON number, or a string: "NaN", "Infinity", "-Infinity" or a decimal number."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise _wrong_value(path, raw, "a number")
    if isinstance(raw, str) and len(raw) > 64:
        raise _wrong_value(path, raw[:64] + "...", "a number")
    try:
        return float(raw)
    except (ValueError, OverflowError):
        raise _wrong_value(path, raw, "a number or 'NaN'/'Infinity'/'-Infinity'") from None


def _bool_from_text(path: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    raise _wrong_value(path, text, "'true' or 'false'")


def _enum_value(path: str, raw: Any, enum: EnumType) -> str:
    """The enum value's name (numbers are mapped to their name)."""
    if isinstance(raw, str):
        text = raw.strip()
        if text.upper() in enum.values:
            return text.upper()
        if text.lstrip("-").isdigit() and len(text) < 10:
            raw = int(text)
    if isinstance(raw, int) and not isinstance(raw, bool):
        name = enum.name_of(raw)
        if name is not None:
            return name
    raise _invalid(
        f"Invalid value {raw!r} for parameter '{path}': expected one of "
        f"{', '.join(enum.values)}. {_API_DOCS_HINT}"
    )


# ---- shared checks ------------------------------------------------------------------------------
def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _lookup(source: Mapping[str, Any], field: Field) -> Any:
    """The raw value of ``field`` (snake_case, or camelCase for optional fields)."""
    value = source.get(field.name)
    if field.required:
        return value
    alias = camel_case(field.name)
    if alias != field.name and alias in source:
        if field.name in source:
            raise _invalid(
                f"Parameter '{field.name}' was given twice, as '{field.name}' and '{alias}'. "
                "Send only one spelling."
            )
        return source[alias]
    return value


def _check_items(path: str, items: list[Any], field: Field) -> None:
    if len(items) > field.max_items:
        raise _invalid(
            f"Parameter '{path}' has {len(items)} values, at most {field.max_items} are allowed."
        )


def _is_missing(value: Any) -> bool:
    return value is None or value == "" or value == []


def _check_required(message: Message, values: dict[str, Any], prefix: str) -> None:
    for field in message.fields:
        if field.required and _is_missing(values.get(field.name)):
            raise missing_parameter(prefix + field.name)
    if message.one_of_required and all(
        _is_missing(values.get(name)) for name in message.one_of_required
    ):
        raise missing_parameter(prefix + message.one_of_required[0])
