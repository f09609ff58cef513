"""Runs: one execution of training code, with its info and its logged data."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mltrail.entities.dataset import DatasetInput, LoggedModelInput, LoggedModelOutput
from mltrail.entities.lifecycle import RunStatus
from mltrail.entities.metric import Metric, Param, RunTag


@dataclass(frozen=True, slots=True)
class RunInfo:
    run_id: str
    experiment_id: str
    run_name: str
    user_id: str
    status: str
    start_time: int | None
    end_time: int | None
    artifact_uri: str
    lifecycle_stage: str

    @property
    def run_uuid(self) -> str:
        return self.run_id

    def _copy_with_overrides(self, **changes: Any) -> RunInfo:
        if "status" in changes and isinstance(changes["status"], int):
            changes["status"] = RunStatus.to_string(changes["status"])
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class RunData:
    """What a run has logged: the latest value of each metric, its params and tags.

    ``metrics``, ``params`` and ``tags`` are dicts, as in MLflow; the latest metric points
    themselves (with step and timestamp) are in ``latest_metrics``.
    """

    latest_metrics: tuple[Metric, ...] = ()
    params: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_lists(
        cls,
        metrics: list[Metric] | None = None,
        params: list[Param] | None = None,
        tags: list[RunTag] | None = None,
    ) -> RunData:
        return cls(
            tuple(metrics or ()),
            {p.key: p.value for p in params or ()},
            {t.key: t.value for t in tags or ()},
        )

    @property
    def metrics(self) -> dict[str, float]:
        return {m.key: m.value for m in self.latest_metrics}

    @property
    def _metric_objs(self) -> list[Metric]:
        return list(self.latest_metrics)


@dataclass(frozen=True, slots=True)
class RunInputs:
    dataset_inputs: tuple[DatasetInput, ...] = ()
    model_inputs: tuple[LoggedModelInput, ...] = ()


@dataclass(frozen=True, slots=True)
class RunOutputs:
    model_outputs: tuple[LoggedModelOutput, ...] = ()


@dataclass(frozen=True, slots=True)
class Run:
    info: RunInfo
    data: RunData = field(default_factory=RunData)
    inputs: RunInputs = field(default_factory=RunInputs)
    outputs: RunOutputs = field(default_factory=RunOutputs)
