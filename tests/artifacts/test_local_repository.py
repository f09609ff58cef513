"""LocalArtifactRepository: real files in tmp_path, round trips and confinement."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from mltrail.entities import FileInfo
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.artifacts import get_artifact_repository
from mltrail.store.artifacts.local import LocalArtifactRepository


@pytest.fixture
def repo(tmp_path: Path) -> LocalArtifactRepository:
    repository = get_artifact_repository((tmp_path / "artifacts").as_uri())
    assert isinstance(repository, LocalArtifactRepository)
    return repository


@pytest.fixture
def source_tree(tmp_path: Path) -> Path:
    """src/{a.txt, sub/b.bin, sub/deeper/c.json, empty/}"""
    src = tmp_path / "src"
    (src / "sub" / "deeper").mkdir(parents=True)
    (src / "empty").mkdir()
    (src / "a.txt").write_text("alpha")
    (src / "sub" / "b.bin").write_bytes(bytes(range(256)))
    (src / "sub" / "deeper" / "c.json").write_text('{"c": 1}')
    return src


def test_log_single_file_to_root_and_subdir(repo: LocalArtifactRepository, tmp_path: Path) -> None:
    local = tmp_path / "hello.txt"
    local.write_text("hello")
    repo.log_artifact(str(local))
    repo.log_artifact(str(local), "nested/dir")
    assert (repo.root / "hello.txt").read_text() == "hello"
    assert (repo.root / "nested" / "dir" / "hello.txt").read_text() == "hello"
    assert repo.list_artifacts() == [
        FileInfo("hello.txt", False, 5),
        FileInfo("nested", True, None),
    ]
    assert repo.list_artifacts("nested") == [FileInfo("nested/dir", True, None)]
    assert repo.list_artifacts("nested/dir/") == [FileInfo("nested/dir/hello.txt", False, 5)]


def test_log_file_overwrites(repo: LocalArtifactRepository, tmp_path: Path) -> None:
    local = tmp_path / "f.txt"
    local.write_text("one")
    repo.log_artifact(str(local))
    local.write_text("two!")
    repo.log_artifact(str(local))
    assert repo.list_artifacts() == [FileInfo("f.txt", False, 4)]


def test_log_directory_tree(repo: LocalArtifactRepository, source_tree: Path) -> None:
    repo.log_artifacts(str(source_tree), "model")
    assert repo.list_artifacts("model") == [
        FileInfo("model/a.txt", False, 5),
        FileInfo("model/empty", True, None),
        FileInfo("model/sub", True, None),
    ]
    assert repo.list_artifacts("model/sub") == [
        FileInfo("model/sub/b.bin", False, 256),
        FileInfo("model/sub/deeper", True, None),
    ]
    assert (repo.root / "model/sub/deeper/c.json").read_text() == '{"c": 1}'
    repo.log_artifacts(str(source_tree))
    assert [f.path for f in repo.list_artifacts()] == ["a.txt", "empty", "model", "sub"]


def test_list_missing_or_file_path_is_empty(repo: LocalArtifactRepository, tmp_path: Path) -> None:
    assert repo.list_artifacts() == []  # root not created yet
    local = tmp_path / "x.txt"
    local.write_text("x")
    repo.log_artifact(str(local))
    assert repo.list_artifacts("x.txt") == []
    assert repo.list_artifacts("nope") == []


def test_download_file_keeps_its_relative_path(
    repo: LocalArtifactRepository, source_tree: Path, tmp_path: Path
) -> None:
    repo.log_artifacts(str(source_tree))
    dst = tmp_path / "dl"
    local = repo.download_artifacts("sub/b.bin", str(dst))
    assert local == str(dst / "sub" / "b.bin")
    assert Path(local).read_bytes() == bytes(range(256))
    temp_local = Path(repo.download_artifacts("a.txt"))
    assert temp_local.name == "a.txt" and temp_local.read_text() == "alpha"
    assert not temp_local.is_relative_to(repo.root)


def test_download_directory_and_root(
    repo: LocalArtifactRepository, source_tree: Path, tmp_path: Path
) -> None:
    repo.log_artifacts(str(source_tree), "model")
    local = Path(repo.download_artifacts("model", str(tmp_path / "dl")))
    assert (local / "a.txt").read_text() == "alpha"
    assert (local / "sub" / "deeper" / "c.json").read_text() == '{"c": 1}'
    assert (local / "empty").is_dir()
    whole = Path(repo.download_artifacts(""))
    assert (whole / "model" / "sub" / "b.bin").read_bytes() == bytes(range(256))


def test_download_missing_names_the_path(repo: LocalArtifactRepository, tmp_path: Path) -> None:
    with pytest.raises(MlflowException) as info:
        repo.download_artifacts("no/such.txt", str(tmp_path / "dl"))
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST
    assert "no/such.txt" in info.value.message


def test_download_into_a_file_destination_fails(
    repo: LocalArtifactRepository, source_tree: Path, tmp_path: Path
) -> None:
    repo.log_artifacts(str(source_tree))
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(MlflowException) as info:
        repo.download_artifacts("a.txt", str(blocker))
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_delete_file_dir_missing_and_root(repo: LocalArtifactRepository, source_tree: Path) -> None:
    repo.log_artifacts(str(source_tree))
    repo.delete_artifacts("a.txt")
    repo.delete_artifacts("sub/deeper")
    repo.delete_artifacts("does/not/exist")  # not an error
    assert [f.path for f in repo.list_artifacts()] == ["empty", "sub"]
    assert repo.list_artifacts("sub") == [FileInfo("sub/b.bin", False, 256)]
    repo.delete_artifacts()
    assert not repo.root.exists()
    assert repo.list_artifacts() == []


def test_streaming_round_trip_in_chunks(repo: LocalArtifactRepository) -> None:
    payload = os.urandom(3 * 1024 * 1024 + 17)
    repo.write_stream("big/blob.bin", io.BytesIO(payload))
    with repo.open_read("big/blob.bin") as stream:
        assert stream.read() == payload
    assert repo.list_artifacts("big") == [FileInfo("big/blob.bin", False, len(payload))]
    assert [p.name for p in (repo.root / "big").iterdir()] == ["blob.bin"]  # no temp files left


def test_streaming_errors(repo: LocalArtifactRepository) -> None:
    repo.write_stream("d/f.txt", io.BytesIO(b"x"))
    with pytest.raises(MlflowException) as missing:
        repo.open_read("d/nothing.txt")
    assert missing.value.error_code == RESOURCE_DOES_NOT_EXIST
    with pytest.raises(MlflowException) as directory:
        repo.open_read("d")
    assert "directory" in directory.value.message
    for no_name in ("", "d/"):
        with pytest.raises(MlflowException) as info:
            repo.write_stream(no_name, io.BytesIO(b"x"))
        assert info.value.error_code == INVALID_PARAMETER_VALUE
    with pytest.raises(MlflowException) as conflict:
        repo.write_stream("d/f.txt/inner", io.BytesIO(b"x"))
    assert conflict.value.error_code == INVALID_PARAMETER_VALUE
    assert "conflicts" in conflict.value.message


def test_missing_local_source_is_reported(repo: LocalArtifactRepository, tmp_path: Path) -> None:
    with pytest.raises(MlflowException) as info:
        repo.log_artifact(str(tmp_path / "ghost.txt"))
    assert info.value.error_code == RESOURCE_DOES_NOT_EXIST
    with pytest.raises(MlflowException):
        repo.log_artifacts(str(tmp_path / "ghost-dir"))


ESCAPES = ["../x", "a/../../x", "/etc/passwd", "%2e%2e/x", "a\\b", "x?query"]


@pytest.mark.parametrize("bad", ESCAPES)
def test_every_method_rejects_escaping_paths(
    repo: LocalArtifactRepository, tmp_path: Path, bad: str
) -> None:
    local = tmp_path / "f.txt"
    local.write_text("f")
    calls = [
        lambda: repo.log_artifact(str(local), bad),
        lambda: repo.log_artifacts(str(tmp_path), bad),
        lambda: repo.list_artifacts(bad),
        lambda: repo.download_artifacts(bad, str(tmp_path / "dl")),
        lambda: repo.delete_artifacts(bad),
        lambda: repo.open_read(bad),
        lambda: repo.write_stream(bad, io.BytesIO(b"x")),
    ]
    for call in calls:
        with pytest.raises(MlflowException) as info:
            call()
        assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert not (tmp_path / "x").exists()


def test_symlink_inside_root_pointing_outside(
    repo: LocalArtifactRepository, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    repo.write_stream("ok.txt", io.BytesIO(b"ok"))
    os.symlink(outside, repo.root / "escape")
    os.symlink(outside / "secret.txt", repo.root / "secret-link")
    # Not listed, not readable, not downloadable, not writable through.
    assert [f.path for f in repo.list_artifacts()] == ["ok.txt"]
    for call in (
        lambda: repo.list_artifacts("escape"),
        lambda: repo.open_read("secret-link"),
        lambda: repo.open_read("escape/secret.txt"),
        lambda: repo.download_artifacts("escape", str(tmp_path / "dl")),
        lambda: repo.write_stream("escape/planted.txt", io.BytesIO(b"x")),
        lambda: repo.log_artifact(str(outside / "secret.txt"), "escape"),
    ):
        with pytest.raises(MlflowException) as info:
            call()
        assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    # A whole-root download skips the escaping links instead of copying outside files.
    whole = Path(repo.download_artifacts("", str(tmp_path / "all")))
    assert sorted(p.name for p in whole.iterdir()) == ["ok.txt"]
    # Deleting removes the link itself, never the target.
    repo.delete_artifacts("escape")
    repo.delete_artifacts("secret-link")
    assert (outside / "secret.txt").read_text() == "secret"
    assert [f.path for f in repo.list_artifacts()] == ["ok.txt"]
