"""Tables that describe one search grammar: prefixes, keys, value types and comparators.

The parser (``parser.py``) is generic; each searchable API (runs, experiments, and later
registered models and model versions) is one ``Grammar`` value built from these tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

_PLAIN_KEY = re.compile(r"[^\W\d][\w.]*|<key>")

# Comparator sets, upper case.
NUMERIC_OPS = frozenset({"=", "!=", ">", ">=", "<", "<="})
STRING_OPS = frozenset({"=", "!=", "LIKE", "ILIKE"})
LIST_OPS = frozenset({"IN", "NOT IN"})
NULL_OPS = frozenset({"IS NULL", "IS NOT NULL"})


class ValueKind(Enum):
    NUMBER = "a number"  # unquoted int or float: 0.5, -1, 1e-3
    INTEGER = "an integer"  # unquoted integer
    STRING = "a quoted string"  # 'text' or "text"
    INTEGER_STRING = "a quoted integer"  # '12' (ids)


@dataclass(frozen=True, slots=True)
class KeyRule:
    """What a key accepts: the type of its value and its comparators.

    ``bounded`` numbers must fit a signed 64-bit integer (timestamps stored as BIGINT).
    """

    value: ValueKind
    ops: frozenset[str]
    bounded: bool = False


@dataclass(frozen=True, slots=True)
class EntityRule:
    """The keys of one entity (e.g. ``metric``).

    ``any_key`` accepts every key (metrics, params, tags); otherwise only ``keys`` are valid,
    and ``aliases`` maps other spellings to their canonical key.
    """

    name: str  # canonical entity name used in Comparison.entity
    label: str  # how messages call it ("metric", "attribute", ...)
    display_prefix: str = ""  # prefix shown in hints ("metrics"); "" shows bare keys
    any_key: KeyRule | None = None
    keys: Mapping[str, KeyRule] = field(default_factory=dict)
    aliases: Mapping[str, str] = field(default_factory=dict)

    def canonical_key(self, key: str) -> str | None:
        """The canonical key for ``key``, or None if this entity has no such key."""
        if self.any_key is not None:
            return key
        key = self.aliases.get(key, key)
        return key if key in self.keys else None

    def rule(self, canonical_key: str) -> KeyRule:
        return self.any_key if self.any_key is not None else self.keys[canonical_key]

    def valid_keys(self) -> list[str]:
        return sorted({*self.keys, *self.aliases})

    def show(self, key: str) -> str:
        """How to write ``key`` of this entity in a filter (``metrics.acc``)."""
        if not _PLAIN_KEY.fullmatch(key):
            key = f"`{key}`"
        return f"{self.display_prefix}.{key}" if self.display_prefix else key


@dataclass(frozen=True, slots=True)
class Grammar:
    """Everything the parser needs to know about one API's filter and order_by strings."""

    subject: str  # "runs", "experiments": used in messages
    prefixes: Mapping[str, str]  # entity prefix (before the first '.') -> entity name
    entities: Mapping[str, EntityRule]  # entity name -> its rule, for filters
    order_entities: Mapping[str, EntityRule]  # entity name -> its rule, for order_by
    default_entity: str = "attribute"  # entity of an identifier without prefix
    upper_case_keywords_only: bool = False  # comparators like LIKE must be upper case

    def example_key(self) -> str:
        """A valid identifier to show in hints."""
        if "param" in self.entities:
            return "params.model"
        return "name"
