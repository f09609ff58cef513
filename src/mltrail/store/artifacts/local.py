"""Artifacts on the local filesystem: plain paths and ``file://`` URIs."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from mltrail.entities import FileInfo
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.artifacts.base import (
    STREAM_CHUNK_SIZE,
    ArtifactRepository,
    destination_dir,
    no_such_artifact,
    require_local_dir,
    require_local_file,
    walk_local_tree,
)
from mltrail.utils.artifact_paths import (
    confine,
    join_artifact_path,
    local_path_from_uri,
    validate_artifact_path,
)


@contextmanager
def _filesystem_conflicts(artifact_path: str) -> Iterator[None]:
    """Turn 'a file is where a directory should be' (and vice versa) into a clear error."""
    try:
        yield
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as error:
        raise MlflowException(
            f"Cannot write artifact {artifact_path!r}: it conflicts with an existing file or "
            f"directory in the artifact root ({error.strerror}). Choose another artifact path "
            "or delete the existing artifact first.",
            error_code=INVALID_PARAMETER_VALUE,
        ) from error


def _require_file_name(artifact_path: str) -> str:
    clean = validate_artifact_path(artifact_path)
    if not clean or artifact_path.endswith("/"):
        raise MlflowException(
            f"Invalid artifact path {artifact_path!r}: it must name a file (it may not be empty "
            "or end with '/').",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return clean


class LocalArtifactRepository(ArtifactRepository):
    """An artifact root that is a directory on this machine, created on first write."""

    def __init__(self, artifact_uri: str) -> None:
        super().__init__(artifact_uri)
        self.root = local_path_from_uri(artifact_uri).absolute()

    def _path(self, artifact_path: str | None) -> Path:
        return confine(self.root, artifact_path or "")

    def _inside_root(self, path: str) -> bool:
        resolved = Path(path).resolve()
        root = self.root.resolve()
        return resolved == root or resolved.is_relative_to(root)

    # ---- uploads ----------------------------------------------------------------------------
    def log_artifact(self, local_file: str, artifact_path: str | None = None) -> None:
        source = require_local_file(local_file)
        directory = validate_artifact_path(artifact_path or "")
        target_path = join_artifact_path(directory, source.name)
        with _filesystem_conflicts(target_path):
            self._path(directory).mkdir(parents=True, exist_ok=True)
            target = self._path(validate_artifact_path(target_path))
            try:
                shutil.copyfile(source, target)
            except shutil.SameFileError:
                pass

    def log_artifacts(self, local_dir: str, artifact_path: str | None = None) -> None:
        source = require_local_dir(local_dir)
        directory = validate_artifact_path(artifact_path or "")
        for relative, _dirnames, filenames in walk_local_tree(source):
            target_dir = join_artifact_path(directory, relative)
            with _filesystem_conflicts(target_dir):
                self._path(validate_artifact_path(target_dir)).mkdir(parents=True, exist_ok=True)
            for name in filenames:
                target_path = validate_artifact_path(join_artifact_path(target_dir, name))
                with _filesystem_conflicts(target_path):
                    try:
                        shutil.copyfile(source / relative / name, self._path(target_path))
                    except shutil.SameFileError:
                        pass

    # ---- listing and deleting ---------------------------------------------------------------
    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        prefix = validate_artifact_path(path or "")
        directory = self._path(prefix)
        if not directory.is_dir():
            return []
        infos: list[FileInfo] = []
        with os.scandir(directory) as entries:
            for entry in entries:
                if entry.is_symlink() and not self._inside_root(entry.path):
                    continue  # never reveal or follow links that leave the artifact root
                relative = join_artifact_path(prefix, entry.name)
                if entry.is_dir():
                    infos.append(FileInfo(relative, True, None))
                elif entry.is_file():
                    infos.append(FileInfo(relative, False, entry.stat().st_size))
        return sorted(infos, key=lambda info: info.path)

    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        clean = validate_artifact_path(artifact_path or "")
        if not clean:
            if self.root.is_dir():
                shutil.rmtree(self.root)
            return
        parent, _, name = clean.rpartition("/")
        target = self._path(parent) / name  # the link itself, not what it points to
        if target.is_symlink() or target.is_file():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)

    # ---- streaming --------------------------------------------------------------------------
    def open_read(self, artifact_path: str) -> BinaryIO:
        clean = _require_file_name(artifact_path)
        target = self._path(clean)
        if target.is_dir():
            raise MlflowException(
                f"Artifact path refers to a directory, not a file: {clean!r}. List it with "
                "list_artifacts or download it with download_artifacts.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        if not target.is_file():
            raise no_such_artifact(clean)
        return target.open("rb")

    def write_stream(self, artifact_path: str, stream: BinaryIO) -> None:
        """Write atomically: chunks go to a hidden temporary file that then replaces the target."""
        clean = _require_file_name(artifact_path)
        target = self._path(clean)
        with _filesystem_conflicts(clean):
            if target.is_dir():
                raise IsADirectoryError(21, "Is a directory")
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
            try:
                with temporary.open("xb") as sink:
                    shutil.copyfileobj(stream, sink, STREAM_CHUNK_SIZE)
                os.replace(temporary, target)
            finally:
                temporary.unlink(missing_ok=True)

    # ---- downloads --------------------------------------------------------------------------
    def download_artifacts(self, artifact_path: str, dst_path: str | None = None) -> str:
        clean = validate_artifact_path(artifact_path or "")
        source = self._path(clean)
        if clean and not source.exists():
            raise no_such_artifact(clean)
        destination = destination_dir(dst_path)
        local = destination.joinpath(*clean.split("/")) if clean else destination
        if source.is_dir() or not clean:
            self._download_tree(clean, local)
        else:
            self._download_file(clean, local)
        return str(local)

    def _download_file(self, artifact_path: str, local_path: Path) -> None:
        source = self._path(artifact_path)
        if not source.is_file():
            raise no_such_artifact(artifact_path)
        local_path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, local_path)
