"""Run inputs and outputs: datasets a run used, logged models it used or produced."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dataset:
    """A dataset, identified within an experiment by its name and digest."""

    name: str
    digest: str
    source_type: str = ""
    source: str = ""
    schema: str | None = None
    profile: str | None = None


@dataclass(frozen=True, slots=True)
class InputTag:
    """A tag on a run's use of a dataset (e.g. ``mlflow.data.context`` = ``training``)."""

    key: str
    value: str


@dataclass(frozen=True, slots=True)
class DatasetInput:
    """A dataset used by a run, with the tags of that use."""

    dataset: Dataset
    tags: tuple[InputTag, ...] = ()


@dataclass(frozen=True, slots=True)
class LoggedModelInput:
    """A logged model used by a run."""

    model_id: str


@dataclass(frozen=True, slots=True)
class LoggedModelOutput:
    """A logged model produced by a run, at a training step."""

    model_id: str
    step: int = 0
