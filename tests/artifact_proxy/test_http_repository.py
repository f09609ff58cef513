"""HttpArtifactRepository (``mlflow-artifacts:`` and ``http(s)`` URIs) against the proxy
routes served by a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from artifact_proxy_app import ThreadedUvicorn

import mltrail
from mltrail.entities import FileInfo
from mltrail.exceptions import INTERNAL_ERROR, INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.artifacts import get_artifact_repository
from mltrail.store.artifacts.http import HttpArtifactRepository, resolve_artifact_uri
from mltrail.utils import progress

API = "/api/2.0/mlflow-artifacts/artifacts"


@pytest.fixture
def repo(proxy_server: ThreadedUvicorn) -> HttpArtifactRepository:
    mltrail.set_tracking_uri(proxy_server.url)
    repository = get_artifact_repository("mlflow-artifacts:/7/run1/artifacts")
    assert isinstance(repository, HttpArtifactRepository)
    return repository


def _tree(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    (source / "sub" / "deeper").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.bin").write_bytes(bytes(range(256)))
    (source / "sub" / "deeper" / "c.json").write_text('{"c": 3}')
    (source / "sub" / "deeper" / "d#1.txt").write_text("hash in name")
    return source


# ---- URI resolution ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tracking_uri", "artifact_uri", "expected"),
    [
        ("http://h:5000", "mlflow-artifacts:/1/r/artifacts", ("http://h:5000", "1/r/artifacts")),
        ("https://h", "mlflow-artifacts:///1/r", ("https://h", "1/r")),
        ("http://h:5000/prefix/", "mlflow-artifacts:/1", ("http://h:5000/prefix", "1")),
        ("http://h:5000", "mlflow-artifacts://other:81/2/x", ("http://other:81", "2/x")),
        ("https://h/p", "mlflow-artifacts://other/2", ("https://other/p", "2")),
        ("http://h:5000", "mlflow-artifacts:/", ("http://h:5000", "")),
        ("sqlite:///x.db", f"http://s:1{API}/1/r", ("http://s:1", "1/r")),
        ("sqlite:///x.db", f"https://s/pre{API}/1/a%20b", ("https://s/pre", "1/a b")),
        ("sqlite:///x.db", f"http://s:1{API}", ("http://s:1", "")),
    ],
)
def test_uri_resolution(tracking_uri: str, artifact_uri: str, expected: tuple[str, str]) -> None:
    mltrail.set_tracking_uri(tracking_uri)
    assert resolve_artifact_uri(artifact_uri) == expected


@pytest.mark.parametrize(
    ("tracking_uri", "artifact_uri", "message"),
    [
        ("sqlite:///x.db", "mlflow-artifacts:/1/r", "Set the tracking URI"),
        ("http://h:5000", "mlflow-artifacts://5000/1/r", "port number without a host"),
        ("http://h:5000", "mlflow-artifacts:/1/../../etc", "'..'"),
        ("http://h:5000", "mlflow-artifacts:/1/%2e%2e/x", "percent-decoded"),
        ("http://h:5000", "mlflow-artifacts:/1/r#frag", "fragments"),
        ("http://h:5000", "mlflow-artifacts:/1/r?x=1", "query strings"),
        ("http://h:5000", "http://s:1/some/other/api/1/r", "artifact proxy"),
        ("http://h:5000", f"http://s:1{API}x/1", "artifact proxy"),
        ("http://h:5000", f"http://s:1{API}/%2e%2e/x", "'..'"),
    ],
)
def test_bad_uris_are_refused(tracking_uri: str, artifact_uri: str, message: str) -> None:
    mltrail.set_tracking_uri(tracking_uri)
    with pytest.raises(MlflowException, match=message) as info:
        get_artifact_repository(artifact_uri)
    assert info.value.error_code == INVALID_PARAMETER_VALUE


# ---- round trips ---------------------------------------------------------------------------------
def test_log_list_download_delete(repo: HttpArtifactRepository, tmp_path: Path) -> None:
    repo.log_artifacts(str(_tree(tmp_path)), "model")
    single = tmp_path / "metrics.txt"
    single.write_text("m")
    repo.log_artifact(str(single))
    repo.log_artifact(str(single), "nested/dir")
    assert repo.list_artifacts() == [
        FileInfo("metrics.txt", False, 1),
        FileInfo("model", True, None),
        FileInfo("nested", True, None),
    ]
    assert repo.list_artifacts("model/sub/deeper") == [
        FileInfo("model/sub/deeper/c.json", False, 8),
        FileInfo("model/sub/deeper/d#1.txt", False, 12),
    ]
    assert repo.list_artifacts("metrics.txt") == []
    tree = Path(repo.download_artifacts("model", str(tmp_path / "out")))
    assert tree == tmp_path / "out" / "model"
    assert (tree / "sub" / "b.bin").read_bytes() == bytes(range(256))
    assert (tree / "sub" / "deeper" / "d#1.txt").read_text() == "hash in name"
    everything = Path(repo.download_artifacts("", str(tmp_path / "all")))
    assert (everything / "nested" / "dir" / "metrics.txt").read_text() == "m"
    one = Path(repo.download_artifacts("model/a.txt", str(tmp_path / "one")))
    assert one == tmp_path / "one" / "model" / "a.txt"
    assert one.read_text() == "a"
    with repo.open_read("model/sub/deeper/c.json") as stream:
        assert stream.read() == b'{"c": 3}'
    repo.delete_artifacts("model/sub")
    assert [i.path for i in repo.list_artifacts("model")] == ["model/a.txt"]
    repo.delete_artifacts()
    assert repo.list_artifacts() == []


def test_same_root_through_literal_http_uri(
    repo: HttpArtifactRepository, proxy_server: ThreadedUvicorn
) -> None:
    repo.write_stream("shared.txt", io.BytesIO(b"shared"))
    literal = get_artifact_repository(f"{proxy_server.url}{API}/7/run1/artifacts")
    host_form = get_artifact_repository(
        f"mlflow-artifacts://127.0.0.1:{proxy_server.port}/7/run1/artifacts"
    )
    for other in (literal, host_form):
        assert other.list_artifacts() == [FileInfo("shared.txt", False, 6)]
        with other.open_read("shared.txt") as stream:
            assert stream.read() == b"shared"


def test_write_stream_from_a_pipe(repo: HttpArtifactRepository) -> None:
    """A stream that cannot seek is spooled (so a retry could resend it) and uploaded whole."""
    read_end, write_end = os.pipe()
    payload = os.urandom(300_000)  # more than a pipe buffers: written by another thread

    def write() -> None:
        with os.fdopen(write_end, "wb") as writer:
            writer.write(payload)

    writer_thread = threading.Thread(target=write)
    writer_thread.start()
    with os.fdopen(read_end, "rb") as reader:
        assert not reader.seekable()
        repo.write_stream("piped/data.bin", reader)
    writer_thread.join()
    with repo.open_read("piped/data.bin") as stream:
        assert stream.read() == payload


def test_missing_file_error(repo: HttpArtifactRepository, tmp_path: Path) -> None:
    with pytest.raises(MlflowException) as info:
        repo.download_artifacts("no/such.txt", str(tmp_path))
    assert info.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert not list(tmp_path.rglob("*.part"))  # no partial file is left behind


def test_deleting_the_whole_proxy_store_is_refused(proxy_server: ThreadedUvicorn) -> None:
    mltrail.set_tracking_uri(proxy_server.url)
    root = get_artifact_repository("mlflow-artifacts:/")
    with pytest.raises(MlflowException, match="Refusing") as info:
        root.delete_artifacts()
    assert info.value.error_code == INVALID_PARAMETER_VALUE


def test_paths_are_validated_client_side(repo: HttpArtifactRepository, tmp_path: Path) -> None:
    local = tmp_path / "f.txt"
    local.write_text("x")
    for bad in ["../x", "/abs", "%2e%2e", "a\\b"]:
        with pytest.raises(MlflowException) as info:
            repo.log_artifact(str(local), bad)
        assert info.value.error_code == INVALID_PARAMETER_VALUE
        with pytest.raises(MlflowException):
            repo.list_artifacts(bad)


# ---- hostile or flaky servers --------------------------------------------------------------------
def _scripted_app(handler: Any) -> Any:
    from starlette.applications import Starlette
    from starlette.routing import Route

    return Starlette(routes=[Route(API + "{rest:path}", handler, methods=["GET", "PUT", "DELETE"])])


@pytest.mark.parametrize("name", ["../evil", "a/b", "..", "", None])
def test_hostile_listing_names_are_refused(name: object, tmp_path: Path) -> None:
    from starlette.responses import JSONResponse

    async def listing(request: Any) -> Any:
        return JSONResponse({"files": [{"path": name, "is_dir": False, "file_size": 1}]})

    with ThreadedUvicorn(_scripted_app(listing)) as server:
        repo = get_artifact_repository(f"{server.url}{API}/r")
        with pytest.raises(MlflowException, match="invalid file name") as info:
            repo.download_artifacts("", str(tmp_path / "out"))
    assert info.value.error_code == INTERNAL_ERROR
    assert not (tmp_path / "evil").exists()


def test_retried_upload_resends_the_whole_body(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.responses import JSONResponse

    bodies: list[bytes] = []

    async def flaky(request: Any) -> Any:
        bodies.append(await request.body())
        if len(bodies) == 1:
            return JSONResponse({"error_code": "TEMPORARILY_UNAVAILABLE"}, status_code=503)
        return JSONResponse({})

    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "0")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_BACKOFF_JITTER", "0")
    local = tmp_path / "data.bin"
    local.write_bytes(os.urandom(200_000))
    with ThreadedUvicorn(_scripted_app(flaky)) as server:
        get_artifact_repository(f"{server.url}{API}/r").log_artifact(str(local))
    assert len(bodies) == 2
    assert bodies[0] == bodies[1] == local.read_bytes()


# ---- progress bars -------------------------------------------------------------------------------
@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(progress, "PROGRESS_BAR_MIN_BYTES", 1000)
    yield


def test_progress_bar_for_large_transfers(
    repo: HttpArtifactRepository,
    tmp_path: Path,
    small_threshold: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5000))
    small = tmp_path / "small.bin"
    small.write_bytes(b"tiny")
    repo.log_artifact(str(small))
    repo.download_artifacts("small.bin", str(tmp_path / "s"))
    assert capsys.readouterr().err == ""
    repo.log_artifact(str(big))
    repo.download_artifacts("big.bin", str(tmp_path / "d"))
    err = capsys.readouterr().err
    assert "Uploading big.bin" in err
    assert "Downloading big.bin" in err
    digest = hashlib.sha256(big.read_bytes()).digest()
    assert hashlib.sha256((tmp_path / "d" / "big.bin").read_bytes()).digest() == digest


def test_progress_bar_can_be_disabled(
    repo: HttpArtifactRepository,
    tmp_path: Path,
    small_threshold: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5000))
    repo.log_artifact(str(big))
    repo.download_artifacts("big.bin", str(tmp_path / "d"))
    assert capsys.readouterr().err == ""
    assert (tmp_path / "d" / "big.bin").read_bytes() == big.read_bytes()
