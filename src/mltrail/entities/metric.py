"""Key/value records logged to runs and experiments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Metric(NamedTuple):
    """One logged point of a metric. ``timestamp`` is milliseconds since the epoch.

    A named tuple rather than a dataclass: histories of hundreds of thousands of points are
    built in one go, and a tuple is immutable and about twice as cheap to create.
    """

    key: str
    value: float
    timestamp: int
    step: int = 0
    run_id: str | None = None
    dataset_name: str | None = None
    dataset_digest: str | None = None
    model_id: str | None = None

    def to_dictionary(self) -> dict[str, object]:
        return {
            "key": self.key,
            "value": self.value,
            "timestamp": self.timestamp,
            "step": self.step,
        }


@dataclass(frozen=True, slots=True)
class Param:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class RunTag:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class ExperimentTag:
    key: str
    value: str
