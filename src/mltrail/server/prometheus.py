"""``/metrics`` in the Prometheus text format, without the prometheus_client dependency.

Request counters and latency histograms are per route template, method and status (the
histogram per route and method). Gauges count experiments, runs and logged models with cheap
COUNT queries, cached a few seconds. Each worker process keeps its own request metrics.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
COUNTS_CACHE_SECONDS = 5.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class RequestMetrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str, int], int] = {}
        self._histograms: dict[tuple[str, str], list[float]] = {}  # buckets..., sum, count

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            key = (route, method, status)
            self._counts[key] = self._counts.get(key, 0) + 1
            histogram = self._histograms.setdefault(
                (route, method), [0.0] * (len(LATENCY_BUCKETS) + 2)
            )
            for index, bound in enumerate(LATENCY_BUCKETS):
                if seconds <= bound:
                    histogram[index] += 1
            histogram[-2] += seconds
            histogram[-1] += 1

    def render(self) -> list[str]:
        with self._lock:
            counts = dict(self._counts)
            histograms = {k: list(v) for k, v in self._histograms.items()}
        lines = [
            "# HELP mltrail_http_requests_total HTTP requests served, by route, method, status.",
            "# TYPE mltrail_http_requests_total counter",
        ]
        for (route, method, status), count in sorted(counts.items()):
            lines.append(
                f'mltrail_http_requests_total{{route="{_label(route)}",method="{method}",'
                f'status="{status}"}} {count}'
            )
        lines += [
            "# HELP mltrail_http_request_duration_seconds Request latency, by route and method.",
            "# TYPE mltrail_http_request_duration_seconds histogram",
        ]
        for (route, method), values in sorted(histograms.items()):
            labels = f'route="{_label(route)}",method="{method}"'
            name = "mltrail_http_request_duration_seconds"
            for bound, hits in zip(LATENCY_BUCKETS, values, strict=False):
                lines.append(f'{name}_bucket{{{labels},le="{bound}"}} {int(hits)}')
            lines.append(f'{name}_bucket{{{labels},le="+Inf"}} {int(values[-1])}')
            lines.append(f"{name}_sum{{{labels}}} {values[-2]:.6f}")
            lines.append(f"{name}_count{{{labels}}} {int(values[-1])}")
        return lines


class EntityCounts:
    """Experiment, run and logged-model counts, refreshed at most every few seconds."""

    def __init__(self, count: Callable[[], dict[str, dict[str, int]]]) -> None:
        self._count = count
        self._lock = threading.Lock()
        self._cached: dict[str, dict[str, int]] = {}
        self._expires = 0.0

    def get(self) -> dict[str, dict[str, int]]:
        with self._lock:
            if time.monotonic() >= self._expires:
                self._cached = self._count()
                self._expires = time.monotonic() + COUNTS_CACHE_SECONDS
            return self._cached

    def render(self) -> list[str]:
        lines = []
        for name, by_stage in self.get().items():
            lines.append(f"# HELP mltrail_{name} Number of {name.replace('_', ' ')} stored.")
            lines.append(f"# TYPE mltrail_{name} gauge")
            for stage, count in sorted(by_stage.items()):
                lines.append(f'mltrail_{name}{{lifecycle_stage="{_label(stage)}"}} {count}')
        return lines


def count_entities(db: Any) -> dict[str, dict[str, int]]:
    """COUNT(*) per lifecycle stage of experiments, runs and logged models."""
    from sqlalchemy import func, select

    from mltrail.store.tracking.sql import schema

    tables = {
        "experiments": schema.experiments,
        "runs": schema.runs,
        "logged_models": schema.logged_models,
    }
    result: dict[str, dict[str, int]] = {}
    with db.read() as conn:
        for name, table in tables.items():
            query = select(table.c.lifecycle_stage, func.count()).group_by(table.c.lifecycle_stage)
            counts = {"active": 0, "deleted": 0}
            counts.update({str(stage): int(n) for stage, n in conn.execute(query)})
            result[name] = counts
    return result
