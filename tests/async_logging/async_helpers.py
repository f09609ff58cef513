"""Stores the asynchronous logger writes to (a recording store with MLflow's batch rules, and
the real SQLite store once it exists) and small builders for test data."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from mltrail.entities import Metric, Param, RunTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException


class Backend(Protocol):
    def new_run(self) -> str: ...
    def log_batch(
        self, run_id: str, metrics: list[Metric], params: list[Param], tags: list[RunTag]
    ) -> None: ...
    def history(self, run_id: str, key: str) -> list[tuple[int, float]]: ...
    def params(self, run_id: str) -> dict[str, str]: ...


class RecordingStore:
    """In-memory store enforcing MLflow's log_batch rules: batch limits, no duplicate param
    keys in one batch, params may not change; all-or-nothing per call. ``delay`` makes it slow."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.calls: list[tuple[str, list[Metric], list[Param], list[RunTag]]] = []
        self._metrics: dict[str, list[Metric]] = {}
        self._params: dict[str, dict[str, str]] = {}
        self._tags: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()

    def new_run(self) -> str:
        return uuid.uuid4().hex

    def log_batch(
        self, run_id: str, metrics: list[Metric], params: list[Param], tags: list[RunTag]
    ) -> None:
        if self.delay:
            time.sleep(self.delay)
        if len(metrics) > 1000 or len(params) > 100 or len(tags) > 100:
            raise MlflowException("batch limits exceeded", INVALID_PARAMETER_VALUE)
        if len(metrics) + len(params) + len(tags) > 1000:
            raise MlflowException("batch total exceeded", INVALID_PARAMETER_VALUE)
        if len({p.key for p in params}) != len(params):
            raise MlflowException("Duplicate parameter keys", INVALID_PARAMETER_VALUE)
        with self._lock:
            known = self._params.setdefault(run_id, {})
            for param in params:
                if known.get(param.key, param.value) != param.value:
                    raise MlflowException(
                        f"Changing param values is not allowed. Param with key='{param.key}' "
                        f"was already logged with value='{known[param.key]}' for run ID="
                        f"'{run_id}'. Attempted logging new value '{param.value}'.",
                        INVALID_PARAMETER_VALUE,
                    )
            self.calls.append((run_id, list(metrics), list(params), list(tags)))
            self._metrics.setdefault(run_id, []).extend(metrics)
            known.update({p.key: p.value for p in params})
            self._tags.setdefault(run_id, {}).update({t.key: t.value for t in tags})

    def history(self, run_id: str, key: str) -> list[tuple[int, float]]:
        return [(m.step, m.value) for m in self._metrics.get(run_id, []) if m.key == key]

    def params(self, run_id: str) -> dict[str, str]:
        return dict(self._params.get(run_id, {}))

    def tags(self, run_id: str) -> dict[str, str]:
        return dict(self._tags.get(run_id, {}))


class SqliteBackend:
    """The real SQL store on a SQLite file (available once the SQL store is written)."""

    def __init__(self, tmp_path: Path) -> None:
        from mltrail.store.tracking.sql import SqlTrackingStore  # type: ignore[attr-defined]

        self.store = SqlTrackingStore(
            f"sqlite:///{tmp_path / 'mlflow.db'}", str(tmp_path / "artifacts")
        )
        self.experiment_id = self.store.create_experiment(f"async-{uuid.uuid4().hex[:8]}")

    def new_run(self) -> str:
        run = self.store.create_run(self.experiment_id, "tester", int(time.time() * 1000), [], None)
        return run.info.run_id

    def log_batch(
        self, run_id: str, metrics: list[Metric], params: list[Param], tags: list[RunTag]
    ) -> None:
        self.store.log_batch(run_id, metrics, params, tags)

    def history(self, run_id: str, key: str) -> list[tuple[int, float]]:
        points = self.store.get_metric_history(run_id, key)
        return [(m.step, m.value) for m in sorted(points, key=lambda m: (m.timestamp, m.step))]

    def params(self, run_id: str) -> dict[str, str]:
        return dict(self.store.get_run(run_id).data.params)


def sql_store_available() -> bool:
    try:
        from mltrail.store.tracking.sql import SqlTrackingStore  # type: ignore[attr-defined]  # noqa: F401
    except ImportError:
        return False
    return True


def metric(key: str, step: int, value: float | None = None) -> Metric:
    return Metric(key, float(step) if value is None else value, 1_700_000_000_000 + step, step)


def metrics(key: str, steps: Sequence[int]) -> list[Metric]:
    return [metric(key, s) for s in steps]
