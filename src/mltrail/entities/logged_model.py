"""Logged models: what MLflow 3's ``log_model`` records (a model with its own artifacts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from mltrail.entities.metric import Metric


class LoggedModelStatus:
    """Status names and numbers as in MLflow's protocol."""

    UNSPECIFIED = "LOGGED_MODEL_STATUS_UNSPECIFIED"
    PENDING = "LOGGED_MODEL_PENDING"
    READY = "LOGGED_MODEL_READY"
    UPLOAD_FAILED = "LOGGED_MODEL_UPLOAD_FAILED"
    NUMBERS: ClassVar[dict[str, int]] = {UNSPECIFIED: 0, PENDING: 1, READY: 2, UPLOAD_FAILED: 3}
    NAMES: ClassVar[dict[int, str]] = {number: name for name, number in NUMBERS.items()}


@dataclass(frozen=True, slots=True)
class LoggedModel:
    model_id: str
    experiment_id: str
    name: str
    artifact_location: str
    creation_timestamp: int
    last_updated_timestamp: int
    status: str = LoggedModelStatus.PENDING
    lifecycle_stage: str = "active"
    model_type: str | None = None
    source_run_id: str | None = None
    status_message: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    metrics: tuple[Metric, ...] = ()

    @property
    def model_uri(self) -> str:
        """``models:/<model_id>``, the URI that loads this model."""
        return f"models:/{self.model_id}"
