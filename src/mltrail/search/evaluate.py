"""Evaluate parsed filters and order keys in memory (for stores without SQL, e.g. files).

The semantics are those of the SQL compiler: a clause on a key the run lacks is false (also
``!=``), NaN metrics only satisfy ``!=``, string comparisons are case-sensitive (``ILIKE``
aside), and ordering puts rows with a value first, then NaN metrics, then rows lacking the key.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from mltrail.entities import Experiment, Run
from mltrail.search.ast import Comparison, OrderKey
from mltrail.search.experiments import experiment_order_with_defaults
from mltrail.search.like import like_to_regex
from mltrail.search.runs import run_order_with_defaults

T = TypeVar("T")

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_MISSING = object()
_DATA_CONTEXT_TAG = "mlflow.data.context"


# ---- runs -----------------------------------------------------------------------------------


def run_matches(run: Run, comparisons: Sequence[Comparison]) -> bool:
    """Whether ``run`` satisfies every comparison."""
    return all(_run_satisfies(run, c) for c in comparisons)


def sort_runs(runs: list[Run], order_keys: Sequence[OrderKey]) -> list[Run]:
    """A new list of ``runs`` in search order, default order and tie-breakers included."""
    return _sort(runs, run_order_with_defaults(order_keys), _run_sort_value)


def _run_satisfies(run: Run, comparison: Comparison) -> bool:
    entity, key, op = comparison.entity, comparison.key, comparison.op
    if entity == "dataset":
        return any(_compare(value, op, comparison.value) for value in _dataset_values(run, key))
    value = _run_value(run, entity, key)
    if op == "IS NULL":
        return value is _MISSING
    if op == "IS NOT NULL":
        return value is not _MISSING
    if value is _MISSING:
        return False
    if entity == "metric" and math.isnan(value):
        return op == "!="
    return _compare(value, op, comparison.value)


def _run_value(run: Run, entity: str, key: str) -> Any:
    """The run's value for an entity/key, ``_MISSING`` if it has none."""
    if entity == "metric":
        return run.data.metrics.get(key, _MISSING)
    if entity == "param":
        return run.data.params.get(key, _MISSING)
    if entity == "tag":
        return run.data.tags.get(key, _MISSING)
    value = getattr(run.info, key)
    return _MISSING if value is None else value


def _run_sort_value(run: Run, key: OrderKey) -> Any:
    return _run_value(run, key.entity, key.key)


def _dataset_values(run: Run, key: str) -> Iterable[str]:
    """The name, digest or context of each input dataset of ``run``."""
    for dataset_input in run.inputs.dataset_inputs:
        if key == "context":
            tags = getattr(dataset_input, "tags", None) or ()
            yield from (t.value for t in tags if t.key == _DATA_CONTEXT_TAG)
        else:
            yield getattr(dataset_input.dataset, key)


# ---- experiments ----------------------------------------------------------------------------


def experiment_matches(experiment: Experiment, comparisons: Sequence[Comparison]) -> bool:
    """Whether ``experiment`` satisfies every comparison."""
    return all(_experiment_satisfies(experiment, c) for c in comparisons)


def sort_experiments(
    experiments: list[Experiment], order_keys: Sequence[OrderKey]
) -> list[Experiment]:
    """A new list of ``experiments`` in search order, defaults and tie-breaker included."""
    return _sort(experiments, experiment_order_with_defaults(order_keys), _experiment_sort_value)


def _experiment_satisfies(experiment: Experiment, comparison: Comparison) -> bool:
    op = comparison.op
    value = _experiment_value(experiment, comparison.entity, comparison.key)
    if op == "IS NULL":
        return value is _MISSING
    if op == "IS NOT NULL":
        return value is not _MISSING
    if value is _MISSING:
        return False
    if comparison.key == "experiment_id" and comparison.entity == "attribute":
        target = comparison.value
        ids = tuple(int(v) for v in target) if isinstance(target, tuple) else int(str(target))
        return _compare(value, op, ids)
    return _compare(value, op, comparison.value)


def _experiment_value(experiment: Experiment, entity: str, key: str) -> Any:
    if entity == "tag":
        return experiment.tags.get(key, _MISSING)
    value = getattr(experiment, key)
    if key == "experiment_id":
        return int(value)
    return _MISSING if value is None else value


def _experiment_sort_value(experiment: Experiment, key: OrderKey) -> Any:
    return _experiment_value(experiment, key.entity, key.key)


# ---- shared ---------------------------------------------------------------------------------


def _compare(actual: Any, op: str, expected: Any) -> bool:
    if op in _COMPARE:
        return _COMPARE[op](actual, expected)
    if op == "LIKE":
        return like_to_regex(str(expected)).fullmatch(actual) is not None
    if op == "ILIKE":
        return like_to_regex(str(expected).lower()).fullmatch(actual.lower()) is not None
    if op == "IN":
        return actual in expected
    if op == "NOT IN":
        return actual not in expected
    raise ValueError(f"Unknown comparator {op!r}")


def _sort(
    items: list[T], keys: Sequence[OrderKey], value_of: Callable[[T, OrderKey], Any]
) -> list[T]:
    """Stable multi-key sort: one pass per key, from the least significant key to the most.

    Each pass keeps the items that have a value first (sorted), then NaN values, then the
    items lacking the key, whatever the direction.
    """
    ordered = list(items)
    for key in reversed(keys):
        present: list[tuple[Any, T]] = []
        nan: list[T] = []
        missing: list[T] = []
        for item in ordered:
            value = value_of(item, key)
            if value is _MISSING:
                missing.append(item)
            elif isinstance(value, float) and math.isnan(value):
                nan.append(item)
            else:
                present.append((value, item))
        present.sort(key=operator.itemgetter(0), reverse=not key.ascending)
        ordered = [item for _, item in present] + nan + missing
    return ordered
