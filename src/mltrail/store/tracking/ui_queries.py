"""Queries the web UI needs, as store-level values: the runs table, the column catalogue of
experiments and chart-sized metric histories.

This module holds the result types and the validation shared by every implementation (the
generic ones in ``ui_generic`` and the SQL ones in ``sql/run_table`` and
``sql/reduced_history``), so each implementation receives already bounded requests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mltrail.entities import ViewType
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.utils.validation import parse_experiment_id

TABLE_MAX_EXPERIMENTS = 50
TABLE_MAX_RESULTS = 5000
TABLE_MAX_RESULTS_DEFAULT = 1000
TABLE_MAX_KEYS = 500
TABLE_MAX_ORDER_BY = 10
KEY_MAX_LENGTH = 250
FILTER_MAX_LENGTH = 100_000
COLUMNS_MAX_KEYS = 20_000
HISTORY_MAX_BUCKETS = 4000
HISTORY_MAX_SPECIAL = 1000
X_AXES = ("step", "timestamp")
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Tags the table shows as attributes of every run.
PARENT_RUN_TAG = "mlflow.parentRunId"
SOURCE_NAME_TAG = "mlflow.source.name"
SOURCE_TYPE_TAG = "mlflow.source.type"
GIT_COMMIT_TAG = "mlflow.source.git.commit"
LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history"
ATTRIBUTE_TAGS = (PARENT_RUN_TAG, SOURCE_NAME_TAG, SOURCE_TYPE_TAG, GIT_COMMIT_TAG)


def invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


# ---- results --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TableRun:
    """One row of the runs table: the run's attributes plus only the requested keys."""

    run_id: str
    run_name: str
    experiment_id: str
    status: str
    start_time: int | None
    end_time: int | None
    lifecycle_stage: str
    user_id: str
    parent_run_id: str | None
    source_name: str
    source_type: str
    git_commit: str
    has_model: bool
    params: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, float] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RunsTablePage:
    runs: list[TableRun]
    token: str | None = None
    total_count: int | None = None  # only on the first page


@dataclass(frozen=True, slots=True)
class ExperimentColumns:
    params: list[str]
    metrics: list[str]
    tags: list[str]
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class ReducedHistory:
    """A metric series reduced for a chart (see ``ui/src/api/types.ts`` ReducedHistory).

    ``points``: (step, timestamp, value) when not reduced; ``buckets``: (x_first, x_last,
    min, max, mean, count) over finite values; ``special``: (x, value) of non-finite points.
    """

    run_id: str
    metric_key: str
    x_axis: str
    total_points: int
    window_points: int
    x_range: tuple[int, int] | None
    reduced: bool
    points: list[tuple[int, int, float]] = field(default_factory=list)
    buckets: list[tuple[int, int, float, float, float, int]] = field(default_factory=list)
    special: list[tuple[int, float]] = field(default_factory=list)


# ---- validated requests ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TableRequest:
    experiment_ids: tuple[int, ...]
    filter_string: str
    run_view_type: int
    max_results: int
    order_by: tuple[str, ...]
    page_token: str | None
    param_keys: tuple[str, ...]
    metric_keys: tuple[str, ...]
    tag_keys: tuple[str, ...]


def experiment_ids_in_range(experiment_ids: Any) -> tuple[int, ...]:
    """1..50 distinct experiment ids (strings or ints), as ints in the given order."""
    if isinstance(experiment_ids, str | int):
        experiment_ids = [experiment_ids]
    if not isinstance(experiment_ids, Sequence) or not experiment_ids:
        raise invalid("Parameter 'experiment_ids' must list at least one experiment id.")
    if len(experiment_ids) > TABLE_MAX_EXPERIMENTS:
        raise invalid(
            f"Parameter 'experiment_ids' has {len(experiment_ids)} values, at most "
            f"{TABLE_MAX_EXPERIMENTS} are allowed."
        )
    return tuple(dict.fromkeys(parse_experiment_id(eid) for eid in experiment_ids))


def _keys(name: str, keys: Any) -> tuple[str, ...]:
    if keys is None:
        return ()
    if isinstance(keys, str) or not isinstance(keys, Sequence):
        raise invalid(f"Parameter '{name}' must be a list of key strings.")
    if len(keys) > TABLE_MAX_KEYS:
        raise invalid(
            f"Parameter '{name}' has {len(keys)} keys, at most {TABLE_MAX_KEYS} are allowed."
        )
    for key in keys:
        if not isinstance(key, str) or not key:
            raise invalid(f"Parameter '{name}' must hold non-empty strings, got {key!r}.")
        if len(key) > KEY_MAX_LENGTH:
            raise invalid(
                f"A key in '{name}' has {len(key)} characters, at most {KEY_MAX_LENGTH} are "
                "allowed."
            )
    return tuple(dict.fromkeys(keys))


def _view_type(value: Any) -> int:
    if value is None:
        return ViewType.ACTIVE_ONLY
    if isinstance(value, str):
        try:
            return ViewType.from_string(value.upper())
        except (ValueError, KeyError):
            pass
    elif value in (ViewType.ACTIVE_ONLY, ViewType.DELETED_ONLY, ViewType.ALL):
        return int(value)
    raise invalid(
        f"Invalid value {value!r} for parameter 'run_view_type': expected ACTIVE_ONLY, "
        "DELETED_ONLY or ALL."
    )


def table_request(
    experiment_ids: Any,
    filter_string: Any = "",
    run_view_type: Any = ViewType.ACTIVE_ONLY,
    max_results: Any = TABLE_MAX_RESULTS_DEFAULT,
    order_by: Any = None,
    page_token: Any = None,
    param_keys: Any = (),
    metric_keys: Any = (),
    tag_keys: Any = (),
) -> TableRequest:
    """The runs-table request checked and bounded (INVALID_PARAMETER_VALUE otherwise)."""
    if max_results is None:
        max_results = TABLE_MAX_RESULTS_DEFAULT
    if isinstance(max_results, bool) or not isinstance(max_results, int):
        raise invalid(f"Parameter 'max_results' must be an integer, got {max_results!r}.")
    if not 1 <= max_results <= TABLE_MAX_RESULTS:
        raise invalid(
            f"Invalid value {max_results} for parameter 'max_results': it must be between 1 "
            f"and {TABLE_MAX_RESULTS}."
        )
    filter_string = filter_string or ""
    if not isinstance(filter_string, str) or len(filter_string) > FILTER_MAX_LENGTH:
        raise invalid(f"Parameter 'filter' must be a string of at most {FILTER_MAX_LENGTH} chars.")
    orders = tuple(order_by or ())
    if len(orders) > TABLE_MAX_ORDER_BY:
        raise invalid(
            f"Parameter 'order_by' has {len(orders)} clauses, at most {TABLE_MAX_ORDER_BY} are "
            "allowed."
        )
    if any(not isinstance(clause, str) or len(clause) > 1000 for clause in orders):
        raise invalid("Each 'order_by' clause must be a string of at most 1000 characters.")
    if page_token is not None and not isinstance(page_token, str):
        raise invalid("Parameter 'page_token' must be a string.")
    return TableRequest(
        experiment_ids=experiment_ids_in_range(experiment_ids),
        filter_string=filter_string,
        run_view_type=_view_type(run_view_type),
        max_results=max_results,
        order_by=orders,
        page_token=page_token or None,
        param_keys=_keys("params", param_keys),
        metric_keys=_keys("metrics", metric_keys),
        tag_keys=_keys("tags", tag_keys),
    )


@dataclass(frozen=True, slots=True)
class HistoryRequest:
    run_id: str
    metric_key: str
    x_axis: str
    buckets: int
    x_min: int | None
    x_max: int | None


def _window_bound(name: str, value: Any, lower: bool) -> int | None:
    """An x bound as an int (x values are integers: ceil a lower bound, floor an upper one)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise invalid(f"Parameter '{name}' must be a number, got {value!r}.")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise invalid(f"Parameter '{name}' must be a finite number, got {value!r}.")
        value = math.ceil(value) if lower else math.floor(value)
    return max(INT64_MIN, min(INT64_MAX, int(value)))


def history_request(
    run_id: Any,
    metric_key: Any,
    x_axis: Any = "step",
    buckets: Any = None,
    x_min: Any = None,
    x_max: Any = None,
) -> HistoryRequest:
    """The reduced-history request checked and bounded (INVALID_PARAMETER_VALUE otherwise)."""
    if not isinstance(run_id, str) or not run_id or len(run_id) > 256:
        raise invalid("Parameter 'run_id' must be a run id (1 to 256 characters).")
    if not isinstance(metric_key, str) or not metric_key or len(metric_key) > KEY_MAX_LENGTH:
        raise invalid(
            f"Parameter 'metric_key' must be a metric key (1 to {KEY_MAX_LENGTH} characters)."
        )
    axis = x_axis or "step"
    if axis not in X_AXES:
        raise invalid(
            f"Invalid value {x_axis!r} for parameter 'x_axis': expected step or timestamp."
        )
    if isinstance(buckets, bool) or not isinstance(buckets, int):
        raise invalid(f"Parameter 'buckets' must be an integer, got {buckets!r}.")
    if not 1 <= buckets <= HISTORY_MAX_BUCKETS:
        raise invalid(
            f"Invalid value {buckets} for parameter 'buckets': it must be between 1 and "
            f"{HISTORY_MAX_BUCKETS}."
        )
    low = _window_bound("x_min", x_min, lower=True)
    high = _window_bound("x_max", x_max, lower=False)
    if x_min is not None and x_max is not None and float(x_min) > float(x_max):
        raise invalid(f"Parameter 'x_min' ({x_min}) must not be greater than 'x_max' ({x_max}).")
    return HistoryRequest(run_id, metric_key, axis, buckets, low, high)
