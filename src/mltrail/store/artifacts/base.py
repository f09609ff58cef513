"""The artifact repository protocol: one artifact root, addressed by relative paths.

A back end implements listing, deleting and the two streaming primitives (``open_read``,
``write_stream``); uploads of whole files and directories and recursive downloads are built on
those here, so new back ends (S3, the server proxy) only write the primitives. Back ends may
override any method with a faster native version.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from mltrail.entities import FileInfo
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.utils.artifact_paths import join_artifact_path, validate_artifact_path

#: Chunk size for streamed copies: bounded memory whatever the file size.
STREAM_CHUNK_SIZE = 1024 * 1024


def require_local_file(local_file: str | os.PathLike[str]) -> Path:
    path = Path(local_file)
    if not path.is_file():
        raise MlflowException(
            f"Cannot log artifact: local file {str(local_file)!r} does not exist or is not a file.",
            error_code=RESOURCE_DOES_NOT_EXIST,
        )
    return path


def require_local_dir(local_dir: str | os.PathLike[str]) -> Path:
    path = Path(local_dir)
    if not path.is_dir():
        raise MlflowException(
            f"Cannot log artifacts: local directory {str(local_dir)!r} does not exist or is not "
            "a directory.",
            error_code=RESOURCE_DOES_NOT_EXIST,
        )
    return path


def walk_local_tree(local_dir: Path) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` of a local directory that follows symlinked directories (as copying does)
    but never loops: yields (relative posix dir, sorted subdir names, sorted file names)."""
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(local_dir, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames.clear()
            continue
        seen.add(real)
        dirnames.sort()
        relative = Path(dirpath).relative_to(local_dir).as_posix()
        yield ("" if relative == "." else relative), list(dirnames), sorted(filenames)


def destination_dir(dst_path: str | os.PathLike[str] | None) -> Path:
    """The directory downloads go into: a new temporary one when ``dst_path`` is None."""
    if dst_path is None:
        return Path(tempfile.mkdtemp(prefix="mltrail-artifacts-"))
    path = Path(dst_path).absolute()
    if path.exists() and not path.is_dir():
        raise MlflowException(
            f"The download destination {str(dst_path)!r} exists and is not a directory.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    path.mkdir(parents=True, exist_ok=True)
    return path


def no_such_artifact(artifact_path: str) -> MlflowException:
    return MlflowException(
        f"No such artifact: {artifact_path!r}", error_code=RESOURCE_DOES_NOT_EXIST
    )


class ArtifactRepository(ABC):
    """Reads and writes artifacts under one root URI (a run's or a model's artifact root)."""

    def __init__(self, artifact_uri: str) -> None:
        self.artifact_uri = artifact_uri

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.artifact_uri!r})"

    # ---- primitives every back end implements ---------------------------------------------
    @abstractmethod
    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        """Direct children of ``path`` (root if None), sorted, with paths relative to the root
        that include the ``path`` prefix. Directories have ``file_size`` None. A missing path
        or a path naming a file gives ``[]``."""

    @abstractmethod
    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        """Delete a file or a whole directory tree (the root if None). Missing is not an error."""

    @abstractmethod
    def open_read(self, artifact_path: str) -> BinaryIO:
        """Open one artifact file for streamed binary reading; the caller closes it."""

    @abstractmethod
    def write_stream(self, artifact_path: str, stream: BinaryIO) -> None:
        """Write ``stream`` to the file ``artifact_path`` in chunks, replacing any old file."""

    # ---- uploads ----------------------------------------------------------------------------
    def log_artifact(self, local_file: str, artifact_path: str | None = None) -> None:
        """Upload one local file into ``artifact_path`` (a directory; root if None)."""
        source = require_local_file(local_file)
        directory = validate_artifact_path(artifact_path or "")
        with source.open("rb") as stream:
            self.write_stream(join_artifact_path(directory, source.name), stream)

    def log_artifacts(self, local_dir: str, artifact_path: str | None = None) -> None:
        """Upload the contents of a local directory tree into ``artifact_path``."""
        source = require_local_dir(local_dir)
        directory = validate_artifact_path(artifact_path or "")
        for relative, _dirnames, filenames in walk_local_tree(source):
            for name in filenames:
                target = validate_artifact_path(join_artifact_path(directory, relative, name))
                with (source / relative / name).open("rb") as stream:
                    self.write_stream(target, stream)

    # ---- downloads --------------------------------------------------------------------------
    def download_artifacts(self, artifact_path: str, dst_path: str | None = None) -> str:
        """Download a file or a directory tree; return its local path.

        The artifact keeps its relative path under ``dst_path`` (a new temporary directory if
        None): downloading ``"a/b.txt"`` into ``/tmp/x`` gives ``/tmp/x/a/b.txt``.
        """
        clean = validate_artifact_path(artifact_path or "")
        destination = destination_dir(dst_path)
        local = destination.joinpath(*clean.split("/")) if clean else destination
        if not clean or self.list_artifacts(clean):
            self._download_tree(clean, local)
        else:
            self._download_file(clean, local)
        return str(local)

    def _download_tree(self, artifact_dir: str, local_dir: Path) -> None:
        local_dir.mkdir(parents=True, exist_ok=True)
        for info in self.list_artifacts(artifact_dir or None):
            name = posixpath.basename(info.path)
            if info.is_dir:
                self._download_tree(info.path, local_dir / name)
            else:
                self._download_file(info.path, local_dir / name)

    def _download_file(self, artifact_path: str, local_path: Path) -> None:
        """Copy one artifact to ``local_path`` in chunks (missing -> RESOURCE_DOES_NOT_EXIST)."""
        local_path.parent.mkdir(parents=True, exist_ok=True)
        with self.open_read(artifact_path) as source, local_path.open("wb") as target:
            shutil.copyfileobj(source, target, STREAM_CHUNK_SIZE)
