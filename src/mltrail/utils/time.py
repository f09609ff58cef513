"""Clock helpers: every time in mltrail is an int of milliseconds since the Unix epoch."""

from __future__ import annotations

import time


def now_millis() -> int:
    """The current time in milliseconds since the epoch."""
    return time.time_ns() // 1_000_000
