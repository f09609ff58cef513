"""SQL LIKE patterns: ``%`` matches any sequence, ``_`` one character, ``\\`` escapes.

One parse of the pattern feeds every back end: a Python regex (in-memory evaluation), a
SQLite GLOB pattern (SQLite's LIKE ignores case) and a normalised LIKE pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

ANY, ONE = object(), object()  # the two wildcards; every other part is a literal character


def like_parts(pattern: str) -> list[object | str]:
    """The pattern as wildcards and literal characters. A trailing lone ``\\`` is literal."""
    parts: list[object | str] = []
    chars = iter(pattern)
    for char in chars:
        if char == "\\":
            parts.append(next(chars, "\\"))
        elif char == "%":
            parts.append(ANY)
        elif char == "_":
            parts.append(ONE)
        else:
            parts.append(char)
    return parts


def normalized_like(pattern: str) -> str:
    """An equivalent pattern that is well formed for backslash-escaping LIKE (PostgreSQL,
    MySQL, SQLite with ``ESCAPE '\\'``): special literals escaped, no dangling escape."""
    return _render(pattern, "%", "_", lambda c: "\\" + c if c in "%_\\" else c)


def like_to_glob(pattern: str) -> str:
    """The SQLite GLOB pattern (case-sensitive) that matches exactly what ``pattern`` does."""
    return _render(pattern, "*", "?", lambda c: f"[{c}]" if c in "*?[" else c)


@lru_cache(maxsize=256)
def like_to_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex to ``fullmatch`` against values."""
    return re.compile(_render(pattern, ".*", ".", re.escape), re.DOTALL)


def _render(pattern: str, any_text: str, one_text: str, literal: Callable[[str], str]) -> str:
    return "".join(
        any_text if part is ANY else one_text if part is ONE else literal(str(part))
        for part in like_parts(pattern)
    )
