"""Whole-series chart reductions remembered per process (a small LRU).

A metric point is never updated (the primary key drops duplicates) and points leave a series
only when its run is purged, so the number of points of a series identifies its content: a
remembered reduction is served while one COUNT over the series' primary-key range (about a
fifth of the cost of reducing it) still finds the same number. Keys name the database, the
run id (never reused, unlike an integer key), the metric, the axis and the bucket count.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

Value = TypeVar("Value")
CacheKey = tuple[str, str, str, str, int]
CAPACITY = 64


class ReductionCache(Generic[Value]):
    def __init__(self, capacity: int = CAPACITY) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[CacheKey, tuple[int, Value]] = OrderedDict()
        self._lock = threading.Lock()

    def remembered_count(self, key: CacheKey) -> int | None:
        """The point count the entry for ``key`` was computed from (None: no entry)."""
        with self._lock:
            entry = self._entries.get(key)
            return None if entry is None else entry[0]

    def get(self, key: CacheKey, count: int) -> Value | None:
        """The entry for ``key`` if it was computed from ``count`` points (else it is dropped)."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] != count:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: CacheKey, count: int, value: Value) -> None:
        with self._lock:
            self._entries[key] = (count, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._capacity:
                self._entries.popitem(last=False)
