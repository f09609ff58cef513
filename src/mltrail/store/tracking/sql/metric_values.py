"""Metric values as stored: a finite double plus a ``special`` flag for NaN and infinities.

NaN is stored as 0 and the infinities as the largest finite doubles, so every backend can
store them and ``ORDER BY value`` keeps them in order; reading restores the exact value.
Like MLflow, the latest-metric comparison treats a NaN point as having value 0.
"""

from __future__ import annotations

import sys

from mltrail.store.tracking.sql.schema import FINITE, NAN, NEG_INF, POS_INF

MAX_DOUBLE = sys.float_info.max
SPECIAL_VALUES: dict[int, float] = {
    NAN: float("nan"),
    POS_INF: float("inf"),
    NEG_INF: float("-inf"),
}


def encode(value: float) -> tuple[float, int]:
    """``(stored value, special flag)`` for a metric value."""
    if value - value == 0.0:  # finite (inf - inf and nan - nan are nan)
        return value, FINITE
    if value != value:
        return 0.0, NAN
    return (MAX_DOUBLE, POS_INF) if value > 0 else (-MAX_DOUBLE, NEG_INF)


def decode(stored: float, special: int) -> float:
    """The metric value for a stored ``(value, special)`` pair."""
    return stored if special == FINITE else SPECIAL_VALUES[special]
