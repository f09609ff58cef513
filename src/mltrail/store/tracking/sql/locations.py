"""Artifact locations: the store's root, experiment locations and run artifact URIs."""

from __future__ import annotations

import os
from urllib.parse import urlparse

from mltrail.utils.validation import validate_artifact_location


def is_local_path(location: str) -> bool:
    """True for plain paths (``./mlruns``, ``/abs``, ``C:\\dir``), False for URIs."""
    return len(urlparse(location).scheme) <= 1


def resolve_root(default_artifact_root: str) -> str:
    """The artifact root as stored: local paths made absolute, URIs kept as given."""
    if is_local_path(default_artifact_root):
        return os.path.abspath(default_artifact_root)
    return default_artifact_root


def join_uri(base: str, *parts: str) -> str:
    """``base/part/...`` with exactly one '/' between pieces (``mlflow-artifacts:/`` + 1 ->
    ``mlflow-artifacts:/1``)."""
    return "/".join([base.rstrip("/"), *(part.strip("/") for part in parts)])


def experiment_location(root: str, experiment_id: int | str) -> str:
    return join_uri(root, str(experiment_id))


def run_artifact_uri(experiment_location: str, run_id: str) -> str:
    return join_uri(experiment_location, run_id, "artifacts")


def normalize_artifact_location(location: str) -> str:
    """A user-given experiment location, validated; local paths become absolute."""
    location = validate_artifact_location(location)
    return os.path.abspath(location) if is_local_path(location) else location
