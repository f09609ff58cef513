"""The runs/search grammar: filter and order_by strings for runs, and their default order."""

from __future__ import annotations

from collections.abc import Sequence

from mltrail.search.ast import Comparison, OrderKey
from mltrail.search.grammar import (
    LIST_OPS,
    NULL_OPS,
    NUMERIC_OPS,
    STRING_OPS,
    EntityRule,
    Grammar,
    KeyRule,
    ValueKind,
)
from mltrail.search.parser import parse_filter, parse_order_by

_STRING = KeyRule(ValueKind.STRING, STRING_OPS)
_STRING_OR_LIST = KeyRule(ValueKind.STRING, STRING_OPS | LIST_OPS)
_TIMESTAMP = KeyRule(ValueKind.NUMBER, NUMERIC_OPS, bounded=True)
_ANY_ORDER = KeyRule(ValueKind.STRING, frozenset())  # order_by only needs the key

_METRIC = EntityRule("metric", "metric", "metrics", any_key=KeyRule(ValueKind.NUMBER, NUMERIC_OPS))
_PARAM = EntityRule(
    "param", "param", "params", any_key=KeyRule(ValueKind.STRING, STRING_OPS | NULL_OPS)
)
_TAG = EntityRule("tag", "tag", "tags", any_key=KeyRule(ValueKind.STRING, STRING_OPS | NULL_OPS))
_START_TIME_ALIASES = {"created": "start_time", "Created": "start_time"}
_ATTRIBUTE = EntityRule(
    "attribute",
    "attribute",
    "attributes",
    keys={
        "run_id": _STRING_OR_LIST,
        "run_name": _STRING,
        "status": _STRING,
        "user_id": _STRING,
        "artifact_uri": _STRING,
        "start_time": _TIMESTAMP,
        "end_time": _TIMESTAMP,
    },
    aliases={
        "run name": "run_name",
        "Run name": "run_name",
        "Run Name": "run_name",
        **_START_TIME_ALIASES,
    },
)
_DATASET = EntityRule(
    "dataset",
    "dataset",
    "dataset",
    keys={"name": _STRING_OR_LIST, "digest": _STRING_OR_LIST, "context": _STRING_OR_LIST},
)
_ORDER_ATTRIBUTE = EntityRule(
    "attribute",
    "attribute",
    "attributes",
    keys=dict.fromkeys(
        ("start_time", "end_time", "status", "run_name", "run_id", "user_id", "artifact_uri"),
        _ANY_ORDER,
    ),
    aliases=_START_TIME_ALIASES,
)

RUN_GRAMMAR = Grammar(
    subject="runs",
    prefixes={
        "metric": "metric",
        "metrics": "metric",
        "param": "param",
        "params": "param",
        "parameter": "param",
        "parameters": "param",
        "tag": "tag",
        "tags": "tag",
        "attribute": "attribute",
        "attributes": "attribute",
        "attr": "attribute",
        "run": "attribute",
        "dataset": "dataset",
        "datasets": "dataset",
    },
    entities={e.name: e for e in (_METRIC, _PARAM, _TAG, _ATTRIBUTE, _DATASET)},
    order_entities={e.name: e for e in (_METRIC, _PARAM, _TAG, _ORDER_ATTRIBUTE)},
)

_START_TIME_DESC = OrderKey("attribute", "start_time", ascending=False)
_RUN_ID_ASC = OrderKey("attribute", "run_id", ascending=True)


def parse_run_filter(filter_string: str | None) -> tuple[Comparison, ...]:
    """Parse a runs/search filter such as ``metrics.acc > 0.9 and params.model = 'rf'``."""
    return parse_filter(RUN_GRAMMAR, filter_string)


def parse_run_order_by(order_by: Sequence[str] | None) -> tuple[OrderKey, ...]:
    """Parse runs/search order_by elements such as ``["metrics.acc DESC", "start_time"]``."""
    return parse_order_by(RUN_GRAMMAR, order_by)


def run_order_with_defaults(order_keys: Sequence[OrderKey]) -> tuple[OrderKey, ...]:
    """The full run order: the requested keys (default ``start_time DESC``), then the
    tie-breakers ``start_time DESC`` (unless already used) and ``run_id ASC``."""
    keys = list(order_keys) or [_START_TIME_DESC]
    if not any(k.entity == "attribute" and k.key == "start_time" for k in keys):
        keys.append(_START_TIME_DESC)
    keys.append(_RUN_ID_ASC)
    return tuple(keys)
