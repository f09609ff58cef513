"""S3ArtifactRepository against moto's S3 server on 127.0.0.1 (no real AWS)."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from mltrail.entities import FileInfo
from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.artifacts import get_artifact_repository
from mltrail.store.artifacts.s3 import S3ArtifactRepository, parse_s3_uri, s3_client


@pytest.fixture
def repo(s3_bucket: str) -> S3ArtifactRepository:
    repository = get_artifact_repository(f"s3://{s3_bucket}/exp/run/artifacts")
    assert isinstance(repository, S3ArtifactRepository)
    return repository


def _tree(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    (source / "sub" / "deeper").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.bin").write_bytes(b"\x00\x01\x02")
    (source / "sub" / "deeper" / "c.json").write_text('{"c": 3}')
    return source


def test_log_list_download_round_trip(repo: S3ArtifactRepository, tmp_path: Path) -> None:
    repo.log_artifacts(str(_tree(tmp_path)), "model")
    local = tmp_path / "one.txt"
    local.write_text("one")
    repo.log_artifact(str(local))
    assert repo.list_artifacts() == [
        FileInfo("model", True, None),
        FileInfo("one.txt", False, 3),
    ]
    assert repo.list_artifacts("model/sub") == [
        FileInfo("model/sub/b.bin", False, 3),
        FileInfo("model/sub/deeper", True, None),
    ]
    assert repo.list_artifacts("model/a.txt") == []  # a file lists as empty
    assert repo.list_artifacts("missing") == []
    downloaded = Path(repo.download_artifacts("model", str(tmp_path / "out")))
    assert downloaded == tmp_path / "out" / "model"
    assert (downloaded / "sub" / "deeper" / "c.json").read_text() == '{"c": 3}'
    assert (downloaded / "sub" / "b.bin").read_bytes() == b"\x00\x01\x02"
    single = repo.download_artifacts("one.txt", str(tmp_path / "single"))
    assert Path(single).read_text() == "one"


def test_objects_live_under_the_prefix(repo: S3ArtifactRepository, s3_bucket: str) -> None:
    repo.write_stream("x/y.txt", io.BytesIO(b"y"))
    body = s3_client().get_object(Bucket=s3_bucket, Key="exp/run/artifacts/x/y.txt")["Body"]
    assert body.read() == b"y"


def test_open_read_and_errors(repo: S3ArtifactRepository, tmp_path: Path) -> None:
    repo.write_stream("d/f.txt", io.BytesIO(b"content"))
    with repo.open_read("d/f.txt") as stream:
        assert stream.read() == b"content"
    with pytest.raises(MlflowException) as missing:
        repo.open_read("d/nope.txt")
    assert missing.value.error_code == RESOURCE_DOES_NOT_EXIST
    with pytest.raises(MlflowException) as directory:
        repo.open_read("d")
    assert directory.value.error_code == INVALID_PARAMETER_VALUE
    assert "directory" in directory.value.message
    with pytest.raises(MlflowException) as download_missing:
        repo.download_artifacts("d/nope.txt", str(tmp_path / "o"))
    assert download_missing.value.error_code == RESOURCE_DOES_NOT_EXIST


def test_delete_file_tree_and_root_keep_siblings(s3_bucket: str) -> None:
    repo = S3ArtifactRepository(f"s3://{s3_bucket}/root")
    neighbour = S3ArtifactRepository(f"s3://{s3_bucket}/rootless")
    neighbour.write_stream("n.txt", io.BytesIO(b"n"))
    for path in ["t/a.txt", "t/b/c.txt", "tx.txt", "keep.txt"]:
        repo.write_stream(path, io.BytesIO(b"x"))
    repo.delete_artifacts("t")
    assert [i.path for i in repo.list_artifacts()] == ["keep.txt", "tx.txt"]
    repo.delete_artifacts("tx.txt")
    repo.delete_artifacts("never/there")
    assert [i.path for i in repo.list_artifacts()] == ["keep.txt"]
    repo.delete_artifacts()
    assert repo.list_artifacts() == []
    assert [i.path for i in neighbour.list_artifacts()] == ["n.txt"]  # "root" != "rootless"


def test_large_file_uses_multipart_upload(repo: S3ArtifactRepository, tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    block = os.urandom(1024 * 1024)
    with big.open("wb") as sink:
        for _ in range(40):  # 40 MiB: above the 16 MiB multipart threshold
            sink.write(block)
    repo.log_artifact(str(big), "big")
    head = s3_client().head_object(Bucket=repo.bucket, Key=f"{repo.prefix}/big/big.bin")
    assert head["ContentLength"] == 40 * 1024 * 1024
    assert "-" in head["ETag"]  # multipart ETags end in -<number of parts>
    out = Path(repo.download_artifacts("big/big.bin", str(tmp_path / "out")))
    assert hashlib.sha256(out.read_bytes()).digest() == hashlib.sha256(big.read_bytes()).digest()


def test_paths_are_confined(repo: S3ArtifactRepository) -> None:
    for bad in ["../x", "a/../../x", "/abs", "%2e%2e/x", "a\\b"]:
        with pytest.raises(MlflowException) as info:
            repo.write_stream(bad, io.BytesIO(b"x"))
        assert info.value.error_code == INVALID_PARAMETER_VALUE
        with pytest.raises(MlflowException):
            repo.list_artifacts(bad)
        with pytest.raises(MlflowException):
            repo.delete_artifacts(bad)


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bucket", ("bucket", "")),
        ("s3://bucket/", ("bucket", "")),
        ("s3://bucket/a/b/", ("bucket", "a/b")),
    ],
)
def test_parse_s3_uri(uri: str, expected: tuple[str, str]) -> None:
    assert parse_s3_uri(uri) == expected


@pytest.mark.parametrize(
    "uri", ["s3:///nobucket", "s3://b/../escape", "s3://b/p?x=1", "s3://b/p#frag", "gs://b/p"]
)
def test_invalid_s3_uris(uri: str) -> None:
    with pytest.raises(MlflowException) as info:
        parse_s3_uri(uri)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_upload_extra_args_must_be_json(
    repo: S3ArtifactRepository, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MLFLOW_S3_UPLOAD_EXTRA_ARGS", "{not json")
    with pytest.raises(MlflowException, match="MLFLOW_S3_UPLOAD_EXTRA_ARGS"):
        repo.write_stream("x.txt", io.BytesIO(b"x"))
    monkeypatch.setenv("MLFLOW_S3_UPLOAD_EXTRA_ARGS", '{"Metadata": {"owner": "tests"}}')
    repo.write_stream("x.txt", io.BytesIO(b"x"))
    head = s3_client().head_object(Bucket=repo.bucket, Key=f"{repo.prefix}/x.txt")
    assert head["Metadata"] == {"owner": "tests"}
