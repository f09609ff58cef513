"""The generic upload/download code in ArtifactRepository, driven only by the four primitives
(as S3 and the server proxy will be)."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from mltrail.entities import FileInfo
from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.artifacts.base import ArtifactRepository
from mltrail.store.artifacts.local import LocalArtifactRepository


class PrimitivesOnlyRepository(ArtifactRepository):
    """Implements only the abstract primitives, on top of a local directory, and counts
    streamed writes so the test can see the generic code paths were used."""

    def __init__(self, artifact_uri: str) -> None:
        super().__init__(artifact_uri)
        self._local = LocalArtifactRepository(artifact_uri)
        self.streamed: list[str] = []

    def list_artifacts(self, path: str | None = None) -> list[FileInfo]:
        return self._local.list_artifacts(path)

    def delete_artifacts(self, artifact_path: str | None = None) -> None:
        self._local.delete_artifacts(artifact_path)

    def open_read(self, artifact_path: str) -> BinaryIO:
        return self._local.open_read(artifact_path)

    def write_stream(self, artifact_path: str, stream: BinaryIO) -> None:
        self.streamed.append(artifact_path)
        self._local.write_stream(artifact_path, stream)


def test_generic_uploads_and_downloads(tmp_path: Path) -> None:
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("a")
    (src / "sub" / "b.txt").write_text("bb")
    repo = PrimitivesOnlyRepository(str(tmp_path / "root"))
    repo.log_artifacts(str(src), "dir")
    repo.log_artifact(str(src / "a.txt"))
    assert sorted(repo.streamed) == ["a.txt", "dir/a.txt", "dir/sub/b.txt"]
    assert repo.list_artifacts("dir") == [
        FileInfo("dir/a.txt", False, 1),
        FileInfo("dir/sub", True, None),
    ]
    tree = Path(repo.download_artifacts("dir", str(tmp_path / "dl")))
    assert tree == tmp_path / "dl" / "dir"
    assert (tree / "sub" / "b.txt").read_text() == "bb"
    single = Path(repo.download_artifacts("dir/sub/b.txt"))
    assert single.read_text() == "bb" and single.parts[-3:] == ("dir", "sub", "b.txt")
    whole = Path(repo.download_artifacts("", str(tmp_path / "all")))
    assert sorted(p.name for p in whole.iterdir()) == ["a.txt", "dir"]


def test_generic_errors(tmp_path: Path) -> None:
    repo = PrimitivesOnlyRepository(str(tmp_path / "root"))
    with pytest.raises(MlflowException) as missing:
        repo.download_artifacts("nope.txt", str(tmp_path / "dl"))
    assert missing.value.error_code == RESOURCE_DOES_NOT_EXIST
    assert "nope.txt" in missing.value.message
    (tmp_path / "f.txt").write_text("f")
    with pytest.raises(MlflowException) as bad:
        repo.log_artifact(str(tmp_path / "f.txt"), "../up")
    assert bad.value.error_code == INVALID_PARAMETER_VALUE
    assert repo.streamed == []
