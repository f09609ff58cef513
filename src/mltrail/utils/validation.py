"""Validation of user-supplied names, values and limits, with MLflow's rules and messages.

Every check raises ``MlflowException`` with ``INVALID_PARAMETER_VALUE`` and a message that
says what is wrong and how to fix it. Pure Python, no storage knowledge: stores call these
before they touch the database.
"""

from __future__ import annotations

import functools
import logging
import numbers
import os
import posixpath
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

_logger = logging.getLogger(__name__)

KEY_MAX_LENGTH = 250
PARAM_VALUE_MAX_LENGTH = 6000
RUN_TAG_VALUE_MAX_LENGTH = 8000
EXPERIMENT_TAG_VALUE_MAX_LENGTH = 20000
EXPERIMENT_NAME_MAX_LENGTH = 500
RUN_NAME_MAX_LENGTH = 250
USER_ID_MAX_LENGTH = 256
DEFAULT_ARTIFACT_LOCATION_MAX_LENGTH = 2048
MAX_METRICS_PER_BATCH = 1000
MAX_PARAMS_PER_BATCH = 100
MAX_TAGS_PER_BATCH = 100
MAX_ENTITIES_PER_BATCH = 1000
SEARCH_MAX_RESULTS_THRESHOLD = 50000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

_KEY_CHARS = re.compile(r"^[/\w.\- :]*$")
_RUN_ID = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")
_KEY_CHARS_HINT = (
    "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), "
    "spaces ( ), colon(:) and slashes (/)."
)


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def truncate_long_values() -> bool:
    """Whether over-long param/tag values are truncated (``MLFLOW_TRUNCATE_LONG_VALUES``)."""
    return os.environ.get("MLFLOW_TRUNCATE_LONG_VALUES", "true").strip().lower() in (
        "true",
        "1",
        "yes",
        "on",
    )


# ---- keys ---------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8192)
def key_problem(key: str) -> str | None:
    """Why ``key`` is not a valid metric/param/tag key, or None. Cached: keys repeat a lot."""
    if not key:
        return "a key must be a non-empty string."
    if len(key) > KEY_MAX_LENGTH:
        return (
            f"it has {len(key)} characters, which exceeds the maximum length of "
            f"{KEY_MAX_LENGTH} characters."
        )
    if _KEY_CHARS.match(key) is None:
        return _KEY_CHARS_HINT
    normalized = posixpath.normpath(key)
    if normalized != key or normalized == "." or key.startswith(("..", "/")):
        return (
            "Names may be treated as files in certain cases, and must not resolve to other "
            f"names when treated as such. This name would resolve to '{normalized}'."
        )
    return None


def validate_key(kind: str, key: Any) -> str:
    """Check a metric/param/tag key (``kind`` names it in the message) and return it."""
    if not isinstance(key, str):
        raise _invalid(
            f"Invalid {kind} key {key!r}: a key must be a string, got {type(key).__name__}."
        )
    problem = key_problem(key)
    if problem is not None:
        shown = key if len(key) <= 60 else key[:60] + "..."
        raise _invalid(f"Invalid {kind} key '{shown}': {problem}")
    return key


# ---- values -------------------------------------------------------------------------------------
def _string_value(kind: str, key: str, value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        raise _invalid(f"Invalid value None for {kind} '{key}': the value must be a string.")
    return str(value)


def _limit_length(kind: str, key: str, value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    if truncate_long_values():
        _logger.warning(
            "The value of %s '%s' has %d characters and was truncated to %d characters.",
            kind,
            key,
            len(value),
            limit,
        )
        return value[:limit]
    raise _invalid(
        f"The value of {kind} '{key}' has {len(value)} characters, which exceeds the maximum "
        f"length of {limit} characters. Shorten it, or set MLFLOW_TRUNCATE_LONG_VALUES=true to "
        "have it truncated."
    )


def param_value(key: str, value: Any) -> str:
    """A param value as stored: a string of at most 6000 characters (truncated or error)."""
    return _limit_length("param", key, _string_value("param", key, value), PARAM_VALUE_MAX_LENGTH)


def run_tag_value(key: str, value: Any) -> str:
    """A run tag value as stored: a string of at most 8000 characters (truncated or error)."""
    return _limit_length("tag", key, _string_value("tag", key, value), RUN_TAG_VALUE_MAX_LENGTH)


def experiment_tag_value(key: str, value: Any) -> str:
    """An experiment tag value: a string of at most 20000 characters (never truncated)."""
    value = _string_value("experiment tag", key, value)
    if len(value) > EXPERIMENT_TAG_VALUE_MAX_LENGTH:
        raise _invalid(
            f"The value of experiment tag '{key}' has {len(value)} characters, which exceeds "
            f"the maximum length of {EXPERIMENT_TAG_VALUE_MAX_LENGTH} characters."
        )
    return value


def metric_value(key: str, value: Any, timestamp: Any) -> float:
    """A metric value as a float; NaN and infinities are allowed, bools and strings are not."""
    kind = type(value)
    if kind is float:
        return value
    if kind is not bool and isinstance(value, numbers.Real) and not _is_numpy_bool(value):
        try:
            return float(value)
        except (OverflowError, ValueError):
            pass
    raise _invalid(
        f"Invalid value {value!r} for metric '{key}' (timestamp={timestamp}): the value must "
        "be a number (a 64-bit floating point value; NaN and infinity are allowed)."
    )


def _is_numpy_bool(value: Any) -> bool:
    return type(value).__name__ == "bool_"


def _int64(value: Any) -> int | None:
    if type(value) is int or (
        isinstance(value, numbers.Integral)
        and not isinstance(value, bool)
        and not _is_numpy_bool(value)
    ):
        value = int(value)
        if INT64_MIN <= value <= INT64_MAX:
            return value
    return None


def metric_timestamp(key: str, timestamp: Any) -> int:
    """A metric timestamp: an int64 of milliseconds, >= 0."""
    result = _int64(timestamp)
    if result is None or result < 0:
        raise _invalid(
            f"Invalid timestamp {timestamp!r} for metric '{key}': the timestamp must be a "
            "non-negative 64-bit integer (milliseconds since the epoch)."
        )
    return result


def metric_step(key: str, step: Any) -> int:
    """A metric step: an int64 (None means 0)."""
    if step is None:
        return 0
    result = _int64(step)
    if result is None:
        raise _invalid(
            f"Invalid step {step!r} for metric '{key}': the step must be a 64-bit integer."
        )
    return result


# ---- batches ------------------------------------------------------------------------------------
def validate_batch_sizes(metric_count: int, param_count: int, tag_count: int) -> None:
    """MLflow's log-batch limits: 1000 metrics, 100 params, 100 tags, 1000 in total."""
    for kind, count, limit in (
        ("metrics", metric_count, MAX_METRICS_PER_BATCH),
        ("params", param_count, MAX_PARAMS_PER_BATCH),
        ("tags", tag_count, MAX_TAGS_PER_BATCH),
    ):
        if count > limit:
            raise _invalid(
                f"A batch logging request can contain at most {limit} {kind}. Got {count} "
                f"{kind}. Please split up {kind} across multiple requests and try again."
            )
    total = metric_count + param_count + tag_count
    if total > MAX_ENTITIES_PER_BATCH:
        raise _invalid(
            f"A batch logging request can contain at most {MAX_ENTITIES_PER_BATCH} metrics, "
            f"params, and tags. Got {total} metrics, params, and tags. Please split up metrics, "
            "params, and tags across multiple requests and try again."
        )


def validate_no_duplicate_param_keys(keys: Sequence[str]) -> None:
    if len(set(keys)) == len(keys):
        return
    counts = Counter(keys)
    duplicates = sorted(k for k, n in counts.items() if n > 1)
    raise _invalid(
        f"Duplicate parameter keys have been submitted: {duplicates}. Please ensure the request "
        "contains only one param value per param key."
    )


# ---- ids and names ------------------------------------------------------------------------------
def parse_experiment_id(experiment_id: Any) -> int:
    """An experiment id (string or int at the API boundary) as an int."""
    if type(experiment_id) is int:
        return experiment_id
    try:
        if isinstance(experiment_id, str) and experiment_id.strip() == experiment_id:
            return int(experiment_id)
    except ValueError:
        pass
    raise _invalid(
        f"Invalid experiment ID '{experiment_id}'. Experiment ID must be a valid integer."
    )


def validate_run_id(run_id: Any) -> str:
    if not isinstance(run_id, str) or _RUN_ID.match(run_id) is None:
        raise _invalid(
            f"Invalid run ID {run_id!r}: a run ID is a string of letters, digits, '_' and '-' "
            "(at most 256 characters) that starts with a letter or digit."
        )
    return run_id


def validate_experiment_name(name: Any) -> str:
    if not isinstance(name, str) or not name.strip():
        raise _invalid(f"Invalid experiment name: {name!r}. Expected a non-empty string.")
    if len(name) > EXPERIMENT_NAME_MAX_LENGTH:
        raise _invalid(
            f"The experiment name has {len(name)} characters, which exceeds the maximum length "
            f"of {EXPERIMENT_NAME_MAX_LENGTH} characters."
        )
    return name


def validate_run_name(name: Any) -> str:
    if not isinstance(name, str):
        raise _invalid(f"Invalid run name {name!r}: expected a string.")
    if len(name) > RUN_NAME_MAX_LENGTH:
        raise _invalid(
            f"The run name has {len(name)} characters, which exceeds the maximum length of "
            f"{RUN_NAME_MAX_LENGTH} characters."
        )
    return name


def validate_user_id(user_id: Any) -> str:
    if user_id is None:
        return ""
    if not isinstance(user_id, str):
        raise _invalid(f"Invalid user ID {user_id!r}: expected a string.")
    if len(user_id) > USER_ID_MAX_LENGTH:
        raise _invalid(
            f"The user ID has {len(user_id)} characters, which exceeds the maximum length of "
            f"{USER_ID_MAX_LENGTH} characters."
        )
    return user_id


def validate_artifact_location(location: Any) -> str:
    """An experiment's artifact location: no ``runs:`` URI, no fragment or query, <= 2048."""
    if not isinstance(location, str):
        raise _invalid(f"Invalid artifact location {location!r}: expected a string.")
    limit = int(
        os.environ.get("MLFLOW_ARTIFACT_LOCATION_MAX_LENGTH", DEFAULT_ARTIFACT_LOCATION_MAX_LENGTH)
    )
    if len(location) > limit:
        raise _invalid(
            f"The artifact location has {len(location)} characters, which exceeds the maximum "
            f"length of {limit} characters."
        )
    parsed = urlparse(location)
    if parsed.scheme == "runs":
        raise _invalid(
            f"Invalid artifact location '{location}': an experiment's artifact location cannot "
            "be a runs:/ URI. Use a directory path or a storage URI such as s3://bucket/path."
        )
    if parsed.fragment or parsed.query or parsed.params:
        raise _invalid(
            f"Invalid artifact location '{location}': it must not contain a URI fragment (#...) "
            "or query parameters (?...)."
        )
    return location


def validate_max_results(max_results: Any, limit: int = SEARCH_MAX_RESULTS_THRESHOLD) -> int:
    value = _int64(max_results)
    if value is None or value < 1:
        raise _invalid(
            f"Invalid value {max_results!r} for parameter 'max_results' supplied. It must be "
            "a positive integer."
        )
    if value > limit:
        raise _invalid(
            f"Invalid value {max_results} for parameter 'max_results' supplied. It must be at "
            f"most {limit}."
        )
    return value
