"""Lifecycle stages, run statuses and view types: small enums with MLflow's names and numbers."""

from __future__ import annotations

from typing import ClassVar


class LifecycleStage:
    ACTIVE = "active"
    DELETED = "deleted"
    _VALID: ClassVar[frozenset[str]] = frozenset({ACTIVE, DELETED})

    @classmethod
    def view_type_to_stages(cls, view_type: int | None) -> list[str]:
        view_type = ViewType.ACTIVE_ONLY if view_type is None else view_type
        if view_type == ViewType.ACTIVE_ONLY:
            return [cls.ACTIVE]
        if view_type == ViewType.DELETED_ONLY:
            return [cls.DELETED]
        return [cls.ACTIVE, cls.DELETED]

    @classmethod
    def is_valid(cls, stage: str) -> bool:
        return stage in cls._VALID


class RunStatus:
    RUNNING = 1
    SCHEDULED = 2
    FINISHED = 3
    FAILED = 4
    KILLED = 5
    _NAMES: ClassVar[dict[int, str]] = {
        1: "RUNNING",
        2: "SCHEDULED",
        3: "FINISHED",
        4: "FAILED",
        5: "KILLED",
    }
    _VALUES: ClassVar[dict[str, int]] = {v: k for k, v in _NAMES.items()}

    @classmethod
    def to_string(cls, status: int) -> str:
        try:
            return cls._NAMES[status]
        except KeyError:
            raise ValueError(f"Unknown run status {status!r}") from None

    @classmethod
    def from_string(cls, name: str) -> int:
        try:
            return cls._VALUES[name]
        except KeyError:
            raise ValueError(
                f"Unknown run status {name!r}; expected one of {sorted(cls._VALUES)}"
            ) from None

    @classmethod
    def is_terminated(cls, status: int | str) -> bool:
        if isinstance(status, str):
            status = cls.from_string(status)
        return status in (cls.FINISHED, cls.FAILED, cls.KILLED)

    @classmethod
    def all_status(cls) -> list[int]:
        return list(cls._NAMES)


class ViewType:
    ACTIVE_ONLY = 1
    DELETED_ONLY = 2
    ALL = 3
    _BY_NAME: ClassVar[dict[str, int]] = {"ACTIVE_ONLY": 1, "DELETED_ONLY": 2, "ALL": 3}

    @classmethod
    def from_string(cls, name: str) -> int:
        key = name.upper()
        if key not in cls._BY_NAME:
            raise ValueError(f"Unknown view type {name!r}; expected one of {sorted(cls._BY_NAME)}")
        return cls._BY_NAME[key]

    @classmethod
    def to_string(cls, view_type: int) -> str:
        for name, value in cls._BY_NAME.items():
            if value == view_type:
                return name
        raise ValueError(f"Unknown view type {view_type!r}")
