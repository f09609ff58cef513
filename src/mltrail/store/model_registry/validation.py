"""Registry input rules (names, versions, stages, aliases, tags), shared by every registry store."""

from __future__ import annotations

import posixpath
import re
from typing import Any

from mltrail.entities import ModelVersionStages
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.utils.validation import validate_key

MODEL_NAME_MAX_LENGTH = 256
TAG_VALUE_MAX_LENGTH = 100_000
ALIAS_MAX_LENGTH = 255
_ALIAS = re.compile(r"^[\w\-]*$")
_RESERVED_VERSION_ALIAS = re.compile(r"^[vV]\d+$")


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def validate_model_name(name: Any, what: str = "name") -> str:
    """A registered model name: non-empty, no '/' or ':', not a path that normalises away."""
    if not isinstance(name, str) or not name.strip():
        raise _invalid(
            f"Registered model {what} must be a non-empty string, got {name!r}. "
            "Pass a name such as 'iris-classifier'."
        )
    if "/" in name or ":" in name:
        raise _invalid(
            f"Invalid registered model {what} {name!r}: names must not contain '/' or ':'."
        )
    if name in (".", "..") or posixpath.normpath(name) != name or "\x00" in name:
        raise _invalid(
            f"Invalid registered model {what} {name!r}: names are used as paths and must not "
            "resolve to another path (no '.', '..' or NUL)."
        )
    if len(name) > MODEL_NAME_MAX_LENGTH:
        raise _invalid(
            f"Invalid registered model {what}: {len(name)} characters, at most "
            f"{MODEL_NAME_MAX_LENGTH}."
        )
    return name


def parse_version(version: Any) -> int:
    """A version number given as int or decimal string ("3")."""
    if isinstance(version, bool):
        version = None
    if isinstance(version, int):
        return version
    text = str(version).strip() if version is not None else ""
    if not re.fullmatch(r"[+-]?\d{1,18}", text):
        raise _invalid(f"Parameter 'version' must be an integer, got '{version}'.")
    return int(text)


def canonical_stage(stage: Any) -> str:
    """``stage`` in its stored spelling (``'staging'`` -> ``'Staging'``)."""
    try:
        return ModelVersionStages.get_canonical_stage(stage)
    except ValueError as e:
        raise _invalid(str(e)) from None


def validate_tag(kind: str, key: Any, value: Any) -> tuple[str, str]:
    """A registry tag: key rules as for run tags, value a string of at most 100,000 chars."""
    validate_key(kind, key)
    if value is None:
        raise _invalid(f"Invalid value None for {kind} '{key}': the value must be a string.")
    value = value if isinstance(value, str) else str(value)
    if len(value) > TAG_VALUE_MAX_LENGTH:
        raise _invalid(
            f"The value of {kind} '{key}' has {len(value)} characters, which exceeds the "
            f"maximum length of {TAG_VALUE_MAX_LENGTH} characters."
        )
    return key, value


def validate_alias(alias: Any) -> str:
    """An alias: letters, digits, '_' and '-', 1..255 characters, not reserved."""
    if not isinstance(alias, str) or not alias or not _ALIAS.match(alias):
        raise _invalid(
            f"Invalid alias name {alias!r}: aliases are non-empty and may only contain "
            "letters, digits, underscores (_) and dashes (-)."
        )
    if len(alias) > ALIAS_MAX_LENGTH:
        raise _invalid(f"Invalid alias name: {len(alias)} characters, at most {ALIAS_MAX_LENGTH}.")
    if alias.lower() == "latest" or _RESERVED_VERSION_ALIAS.match(alias):
        raise _invalid(
            f"'{alias}' is a reserved alias: 'latest' and 'v<number>' already name versions "
            "(models:/name/latest, models:/name/3). Choose another alias, e.g. 'champion'."
        )
    return alias
