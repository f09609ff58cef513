"""Model registry records: registered models, their versions, tags, aliases and stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar


class ModelVersionStatus:
    """Version status names and numbers as in MLflow's protocol."""

    PENDING_REGISTRATION = "PENDING_REGISTRATION"
    FAILED_REGISTRATION = "FAILED_REGISTRATION"
    READY = "READY"
    NUMBERS: ClassVar[dict[str, int]] = {
        PENDING_REGISTRATION: 1,
        FAILED_REGISTRATION: 2,
        READY: 3,
    }
    NAMES: ClassVar[dict[int, str]] = {number: name for name, number in NUMBERS.items()}

    @classmethod
    def to_string(cls, status: int) -> str:
        try:
            return cls.NAMES[status]
        except KeyError:
            raise ValueError(f"Unknown model version status {status!r}") from None

    @classmethod
    def from_string(cls, name: str) -> int:
        try:
            return cls.NUMBERS[name]
        except KeyError:
            raise ValueError(
                f"Unknown model version status {name!r}; expected one of {sorted(cls.NUMBERS)}"
            ) from None


class ModelVersionStages:
    """The four registry stages; input is matched case-insensitively and canonicalised."""

    NONE = "None"
    STAGING = "Staging"
    PRODUCTION = "Production"
    ARCHIVED = "Archived"
    ALL_STAGES: ClassVar[list[str]] = [NONE, STAGING, PRODUCTION, ARCHIVED]
    DEFAULT_STAGES_FOR_GET_LATEST_VERSIONS: ClassVar[list[str]] = [STAGING, PRODUCTION]
    _CANONICAL: ClassVar[dict[str, str]] = {stage.lower(): stage for stage in ALL_STAGES}

    @classmethod
    def is_valid(cls, stage: str | None) -> bool:
        return isinstance(stage, str) and stage.lower() in cls._CANONICAL

    @classmethod
    def get_canonical_stage(cls, stage: str) -> str:
        """The stored spelling of ``stage``; ValueError when it is not a stage."""
        canonical = cls._CANONICAL.get(stage.lower()) if isinstance(stage, str) else None
        if canonical is None:
            raise ValueError(
                f"Invalid Model Version stage: {stage}. Value must be one of {cls.ALL_STAGES}."
            )
        return canonical


@dataclass(frozen=True, slots=True)
class ModelVersion:
    name: str
    version: str
    creation_timestamp: int
    last_updated_timestamp: int
    current_stage: str = ModelVersionStages.NONE
    description: str = ""
    source: str = ""
    run_id: str = ""
    status: str = ModelVersionStatus.READY
    status_message: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    run_link: str = ""
    aliases: tuple[str, ...] = ()
    user_id: str | None = None
    model_id: str | None = None


@dataclass(frozen=True, slots=True)
class RegisteredModel:
    name: str
    creation_timestamp: int
    last_updated_timestamp: int
    description: str = ""
    latest_versions: tuple[ModelVersion, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class RegisteredModelTag:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class ModelVersionTag:
    key: str
    value: str


@dataclass(frozen=True, slots=True)
class RegisteredModelAlias:
    alias: str
    version: str
