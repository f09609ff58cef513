"""The parsed form of search filters and order_by clauses: plain, hashable records.

Both back ends consume these: the SQL compiler (``store/tracking/sql/search_sql.py``) and the
in-memory evaluator (``search/evaluate.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

ComparisonValue = str | int | float | tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class Comparison:
    """One ``<entity>.<key> <op> <value>`` clause of a filter (clauses are AND-ed).

    ``entity`` is ``"metric"``, ``"param"``, ``"tag"``, ``"attribute"`` or ``"dataset"``;
    ``key`` is canonical (attribute aliases resolved); ``op`` is upper case; ``value`` is a
    number for numeric keys, a string for string keys, a tuple of strings for ``IN`` /
    ``NOT IN`` and ``None`` for ``IS NULL`` / ``IS NOT NULL``.
    """

    entity: str
    key: str
    op: str
    value: ComparisonValue


@dataclass(frozen=True, slots=True)
class OrderKey:
    """One order_by element: sort by ``entity``/``key``, ascending or descending."""

    entity: str
    key: str
    ascending: bool
