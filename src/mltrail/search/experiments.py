"""The experiments/search grammar: filter and order_by strings for experiments."""

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

_TIMESTAMP = KeyRule(ValueKind.INTEGER, NUMERIC_OPS, bounded=True)
_ANY_ORDER = KeyRule(ValueKind.STRING, frozenset())

_ATTRIBUTE = EntityRule(
    "attribute",
    "attribute",
    keys={
        "name": KeyRule(ValueKind.STRING, STRING_OPS),
        "experiment_id": KeyRule(ValueKind.INTEGER_STRING, frozenset({"=", "!="}) | LIST_OPS),
        "creation_time": _TIMESTAMP,
        "last_update_time": _TIMESTAMP,
    },
)
_TAG = EntityRule("tag", "tag", "tags", any_key=KeyRule(ValueKind.STRING, STRING_OPS | NULL_OPS))
_ORDER_ATTRIBUTE = EntityRule(
    "attribute",
    "attribute",
    keys=dict.fromkeys(("name", "experiment_id", "creation_time", "last_update_time"), _ANY_ORDER),
)

EXPERIMENT_GRAMMAR = Grammar(
    subject="experiments",
    prefixes={"attribute": "attribute", "tag": "tag", "tags": "tag"},
    entities={e.name: e for e in (_ATTRIBUTE, _TAG)},
    order_entities={e.name: e for e in (_ORDER_ATTRIBUTE,)},
    upper_case_keywords_only=True,
)

_DEFAULT_ORDER = (
    OrderKey("attribute", "creation_time", ascending=False),
    OrderKey("attribute", "experiment_id", ascending=True),
)


def parse_experiment_filter(filter_string: str | None) -> tuple[Comparison, ...]:
    """Parse an experiments/search filter such as ``name LIKE 'exp-%' AND tags.team = 'x'``."""
    return parse_filter(EXPERIMENT_GRAMMAR, filter_string)


def parse_experiment_order_by(order_by: Sequence[str] | None) -> tuple[OrderKey, ...]:
    """Parse experiments/search order_by elements such as ``["name ASC"]``."""
    return parse_order_by(EXPERIMENT_GRAMMAR, order_by)


def experiment_order_with_defaults(order_keys: Sequence[OrderKey]) -> tuple[OrderKey, ...]:
    """The full experiment order: the requested keys (default ``creation_time DESC,
    experiment_id ASC``), then ``experiment_id DESC`` unless experiment_id is already used."""
    keys = list(order_keys) or list(_DEFAULT_ORDER)
    if not any(k.key == "experiment_id" for k in keys):
        keys.append(OrderKey("attribute", "experiment_id", ascending=False))
    return tuple(keys)
