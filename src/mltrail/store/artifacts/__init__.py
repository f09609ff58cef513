"""Artifact repositories: where a run's or model's files live (local paths now; S3 and the
server proxy plug into :mod:`mltrail.store.artifacts.resolve`)."""

from mltrail.store.artifacts.base import ArtifactRepository
from mltrail.store.artifacts.resolve import (
    get_artifact_repository,
    register_artifact_repository,
    supported_schemes,
)

__all__ = [
    "ArtifactRepository",
    "get_artifact_repository",
    "register_artifact_repository",
    "supported_schemes",
]
