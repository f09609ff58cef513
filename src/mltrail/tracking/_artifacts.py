"""Artifact helpers behind the client's ``log_*`` artifact methods.

In-memory objects (text, dicts, figures, images) are written by
:mod:`mltrail.tracking.artifact_writers` into a temporary directory under the artifact's file
name, then uploaded with the run's artifact repository.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.utils.artifact_paths import join_artifact_path, validate_artifact_path

if TYPE_CHECKING:
    from mltrail.store.artifacts.base import ArtifactRepository


def split_artifact_file(artifact_file: str) -> tuple[str | None, str]:
    """``"a/b/c.txt"`` -> ``("a/b", "c.txt")``; the directory is None at the root."""
    if not isinstance(artifact_file, str) or not artifact_file.strip():
        raise MlflowException(
            f"Invalid artifact_file {artifact_file!r}: give a relative file path such as "
            "'results/summary.json'.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    clean = validate_artifact_path(artifact_file)
    if not clean:
        raise MlflowException(
            f"Invalid artifact_file {artifact_file!r}: it names the artifact root, not a file.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    directory, filename = posixpath.split(clean)
    return (directory or None), filename


def log_local_path(
    repo: ArtifactRepository, local_path: str | os.PathLike[str], artifact_path: str | None
) -> None:
    """Upload a file into ``artifact_path``, or a directory as ``artifact_path/<dir name>``."""
    path = os.fspath(local_path)
    if os.path.isdir(path):
        dir_name = os.path.basename(os.path.normpath(path))
        repo.log_artifacts(path, join_artifact_path(artifact_path, dir_name))
    else:
        repo.log_artifact(path, artifact_path)


def log_generated_file(
    repo: ArtifactRepository, artifact_file: str, write: Callable[[str], Any]
) -> None:
    """Call ``write(local_path)`` in a temp directory, then upload the file as ``artifact_file``."""
    directory, filename = split_artifact_file(artifact_file)
    with tempfile.TemporaryDirectory(prefix="mltrail-log-") as tmp:
        local_file = os.path.join(tmp, filename)
        write(local_file)
        repo.log_artifact(local_file, directory)


def image_artifact_file(key: str, step: int, timestamp: int) -> str:
    """Where ``log_image(key=..., step=...)`` stores an image, as MLflow names it."""
    safe_key = key.replace("/", "#")
    return f"images/{safe_key}%step%{step}%timestamp%{timestamp}%{uuid.uuid4()}.png"
