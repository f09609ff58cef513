"""Turning what users pass into the entities the store takes: numbers, strings, statuses, batches.

The client converts (``str()`` for params and tags, ``float()`` for metric values, defaults
for timestamp and step); the store validates keys, lengths and states.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

from mltrail.entities import ExperimentTag, Metric, Param, RunStatus, RunTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.utils.time import now_millis


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def metric_value(key: str, value: Any) -> float:
    """``value`` as a float: Python and numpy numbers, one-element arrays and tensors."""
    if type(value) is float:
        return value
    candidate = value
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "size", 1) in (1, None) and not isinstance(value, str):
        try:
            candidate = item()  # numpy scalars and arrays, torch/tf tensors
        except Exception:
            candidate = value
    try:
        return float(candidate)
    except (TypeError, ValueError):
        raise _invalid(
            f"Got invalid value {value!r} for metric {key!r}: a metric value must be a number "
            "(int, float or a numpy scalar). Log text with log_param or set_tag instead."
        ) from None


def metric_step(key: str, step: Any) -> int:
    if step is None:
        return 0
    if isinstance(step, numbers.Integral):
        return int(step)
    if isinstance(step, numbers.Real) and math.isfinite(step) and float(step).is_integer():
        return int(float(step))
    raise _invalid(f"Got invalid step {step!r} for metric {key!r}: the step must be an integer.")


def metric_timestamp(key: str, timestamp: Any) -> int:
    if timestamp is None:
        return now_millis()
    is_number = isinstance(timestamp, numbers.Real) and not isinstance(timestamp, bool)
    if is_number and math.isfinite(timestamp):
        return int(timestamp)
    raise _invalid(
        f"Got invalid timestamp {timestamp!r} for metric {key!r}: the timestamp must be an "
        "integer number of milliseconds since the epoch."
    )


def make_metric(
    key: str,
    value: Any,
    timestamp: Any = None,
    step: Any = None,
    *,
    model_id: str | None = None,
    dataset_name: str | None = None,
    dataset_digest: str | None = None,
) -> Metric:
    return Metric(
        key=key,
        value=metric_value(key, value),
        timestamp=metric_timestamp(key, timestamp),
        step=metric_step(key, step),
        model_id=model_id,
        dataset_name=dataset_name,
        dataset_digest=dataset_digest,
    )


def param(key: str, value: Any) -> Param:
    return Param(key, str(value))


def run_tag(key: str, value: Any) -> RunTag:
    return RunTag(key, str(value))


def experiment_tags(tags: Mapping[str, Any] | None) -> list[ExperimentTag]:
    return [ExperimentTag(key, str(value)) for key, value in (tags or {}).items()]


def run_tags(tags: Mapping[str, Any] | None) -> list[RunTag]:
    return [RunTag(key, str(value)) for key, value in (tags or {}).items()]


def run_status(status: str | int) -> int:
    """A status name (``"FINISHED"``) or number as the RunStatus number."""
    if isinstance(status, int) and not isinstance(status, bool):
        if status in RunStatus.all_status():
            return status
    elif isinstance(status, str):
        try:
            return RunStatus.from_string(status.upper())
        except ValueError:
            pass
    names = ", ".join(RunStatus.to_string(s) for s in RunStatus.all_status())
    raise _invalid(f"Invalid run status {status!r}. Use one of: {names}.")


def experiment_id(value: Any) -> str:
    """Experiment ids are strings; ints are accepted for backward compatibility."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _invalid(
        f"Invalid experiment id {value!r} of type {type(value).__name__}: pass the id as a "
        "string such as '1'."
    )
