"""The model registry search grammars: registered-models/search and model-versions/search.

Prompts (models or versions tagged ``mlflow.prompt.is_prompt`` = ``'true'``) live in the same
tables; a model without that tag counts as ``'false'``, and prompts are left out of results
unless the filter asks for them (:func:`selects_prompts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from mltrail.search.ast import Comparison, OrderKey
from mltrail.search.grammar import (
    LIST_OPS,
    NUMERIC_OPS,
    STRING_OPS,
    EntityRule,
    Grammar,
    KeyRule,
    ValueKind,
)
from mltrail.search.parser import parse_filter, parse_order_by

PROMPT_TAG = "mlflow.prompt.is_prompt"
#: The value a model or version without the prompt tag is compared as.
PROMPT_TAG_MISSING_VALUE = "false"

_STRING = KeyRule(ValueKind.STRING, STRING_OPS)
_STRING_OR_LIST = KeyRule(ValueKind.STRING, STRING_OPS | LIST_OPS)
_ANY_ORDER = KeyRule(ValueKind.STRING, frozenset())
_PREFIXES = {"attribute": "attribute", "tag": "tag", "tags": "tag"}
_TAG = EntityRule("tag", "tag", "tags", any_key=_STRING)

# ---- registered models ----------------------------------------------------------------------
_MODEL_ATTRIBUTE = EntityRule("attribute", "attribute", keys={"name": _STRING_OR_LIST})
_MODEL_ORDER = EntityRule(
    "attribute",
    "attribute",
    keys=dict.fromkeys(("name", "last_updated_timestamp"), _ANY_ORDER),
    aliases={"timestamp": "last_updated_timestamp"},
)
REGISTERED_MODEL_GRAMMAR = Grammar(
    subject="registered models",
    prefixes=_PREFIXES,
    entities={e.name: e for e in (_MODEL_ATTRIBUTE, _TAG)},
    order_entities={e.name: e for e in (_MODEL_ORDER,)},
)

# ---- model versions -------------------------------------------------------------------------
_VERSION_ATTRIBUTE = EntityRule(
    "attribute",
    "attribute",
    keys={
        "name": _STRING_OR_LIST,
        "run_id": _STRING_OR_LIST,
        "source_path": _STRING,
        "version_number": KeyRule(ValueKind.INTEGER, NUMERIC_OPS, bounded=True),
    },
)
_VERSION_ORDER = EntityRule(
    "attribute",
    "attribute",
    keys=dict.fromkeys(
        ("name", "version_number", "creation_timestamp", "last_updated_timestamp"), _ANY_ORDER
    ),
)
MODEL_VERSION_GRAMMAR = Grammar(
    subject="model versions",
    prefixes=_PREFIXES,
    entities={e.name: e for e in (_VERSION_ATTRIBUTE, _TAG)},
    order_entities={e.name: e for e in (_VERSION_ORDER,)},
)


def parse_registered_model_filter(filter_string: str | None) -> tuple[Comparison, ...]:
    """Parse a registered-models/search filter such as ``name LIKE 'iris%'``."""
    return parse_filter(REGISTERED_MODEL_GRAMMAR, filter_string)


def parse_registered_model_order_by(order_by: Sequence[str] | None) -> tuple[OrderKey, ...]:
    """Parse registered-models/search order_by elements (``timestamp`` means last update)."""
    return parse_order_by(REGISTERED_MODEL_GRAMMAR, order_by)


def parse_model_version_filter(filter_string: str | None) -> tuple[Comparison, ...]:
    """Parse a model-versions/search filter such as ``name = 'm' AND version_number > 2``."""
    return parse_filter(MODEL_VERSION_GRAMMAR, filter_string)


def parse_model_version_order_by(order_by: Sequence[str] | None) -> tuple[OrderKey, ...]:
    """Parse model-versions/search order_by elements."""
    return parse_order_by(MODEL_VERSION_GRAMMAR, order_by)


def registered_model_order_with_defaults(order_keys: Sequence[OrderKey]) -> tuple[OrderKey, ...]:
    """The requested keys (default ``name ASC``), then ``name ASC`` unless name is used."""
    keys = list(order_keys) or [OrderKey("attribute", "name", ascending=True)]
    if not any(k.key == "name" for k in keys):
        keys.append(OrderKey("attribute", "name", ascending=True))
    return tuple(keys)


def model_version_order_with_defaults(order_keys: Sequence[OrderKey]) -> tuple[OrderKey, ...]:
    """The requested keys (default ``last_updated_timestamp DESC, name ASC,
    version_number DESC``), then the tie-breakers ``name ASC``, ``version_number DESC``."""
    keys = list(order_keys) or [
        OrderKey("attribute", "last_updated_timestamp", ascending=False),
        OrderKey("attribute", "name", ascending=True),
        OrderKey("attribute", "version_number", ascending=False),
    ]
    used = {k.key for k in keys}
    if "name" not in used:
        keys.append(OrderKey("attribute", "name", ascending=True))
    if "version_number" not in used:
        keys.append(OrderKey("attribute", "version_number", ascending=False))
    return tuple(keys)


def is_prompt_clause(comparison: Comparison) -> bool:
    return comparison.entity == "tag" and comparison.key == PROMPT_TAG


def selects_prompts(comparisons: Sequence[Comparison]) -> bool:
    """True when the filter asks for prompts (prompt tag ``= 'true'`` or ``!= 'false'``);
    otherwise searches leave prompts out."""
    return any(
        is_prompt_clause(c)
        and (
            (c.op == "=" and str(c.value).lower() == "true")
            or (c.op == "!=" and str(c.value).lower() == "false")
        )
        for c in comparisons
    )
