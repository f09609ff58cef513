"""A large artifact streams through the proxy with bounded memory on both sides.

The server runs in its own process (``mltrail server`` when the CLI has it, else uvicorn
serving only the proxy routes) so its peak RSS (VmHWM) can be read from /proc. The size is
``MLTRAIL_STREAM_TEST_MB`` (default 2048 MiB; at most 384 MiB into the in-memory S3 emulator).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import mltrail
from helpers.servers import ServerHandle, free_port, start_mltrail_server
from mltrail.store.artifacts import get_artifact_repository

SIZE_MB = int(os.environ.get("MLTRAIL_STREAM_TEST_MB", "2048"))
S3_SIZE_MB = int(os.environ.get("MLTRAIL_STREAM_TEST_S3_MB", "384"))
SERVER_PEAK_LIMIT_MB = 250
CLIENT_GROWTH_LIMIT_MB = 200
HERE = Path(__file__).resolve().parent


def _peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident memory) of one process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmHWM for pid {pid}")


def _descendants(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = [int(c) for c in children]
    for child in list(found):
        found += _descendants(child)
    return found


def _has_server_command() -> bool:
    from mltrail.cli.main import cli

    return "server" in getattr(cli, "commands", {})


def _start_proxy_only(tmp_path: Path) -> ServerHandle:
    """uvicorn in a subprocess serving only the artifact routes (fallback server)."""
    port = free_port()
    env = {
        **os.environ,
        "MLTRAIL_TEST_ARTIFACTS_DESTINATION": str(tmp_path / "mlartifacts"),
        "PYTHONPATH": os.pathsep.join([str(HERE), str(HERE.parent)]),
    }
    command = [
        sys.executable, "-m", "uvicorn", "artifact_proxy_app:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    log_path = tmp_path / "proxy.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    handle = ServerHandle(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{handle.url}/api/2.0/mlflow-artifacts/artifacts", timeout=2)
            return handle
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    handle.stop()
    raise RuntimeError(f"the proxy did not start:\n{handle.log()}")


@pytest.fixture(params=["local", "s3"])
def sized_server(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[ServerHandle, int]]:
    """(server, size in MiB): the S3 emulator keeps objects in memory, so it gets less."""
    if request.param == "s3":
        bucket = request.getfixturevalue("s3_bucket")
        env = {
            "MLFLOW_S3_ENDPOINT_URL": request.getfixturevalue("s3_env"),
            **{k: os.environ[k] for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")},
        }
        destination = f"s3://{bucket}/big"
        handle = start_mltrail_server(tmp_path, "--artifacts-destination", destination, env=env)
        size_mb = min(SIZE_MB, S3_SIZE_MB)
    elif _has_server_command():
        handle, size_mb = start_mltrail_server(tmp_path), SIZE_MB
    else:
        handle, size_mb = _start_proxy_only(tmp_path), SIZE_MB
    with handle:
        yield handle, size_mb


def _write_pattern_file(path: Path, size_mb: int) -> str:
    """A file of ``size_mb`` MiB: a random 1 MiB block, stamped with its index; its sha256."""
    block = bytearray(os.urandom(1024 * 1024))
    digest = hashlib.sha256()
    with path.open("wb") as sink:
        for index in range(size_mb):
            block[:8] = index.to_bytes(8, "little")
            sink.write(block)
            digest.update(block)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(4 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def test_large_artifact_streams_with_bounded_memory(
    sized_server: tuple[ServerHandle, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    server, size_mb = sized_server
    monkeypatch.setenv("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_TIMEOUT", "120")
    source = tmp_path / "big.bin"
    expected = _write_pattern_file(source, size_mb)
    mltrail.set_tracking_uri(server.url)
    repo = get_artifact_repository("mlflow-artifacts:/1/bigrun/artifacts")
    client_peak_before = _peak_rss_mb(os.getpid())
    started = time.monotonic()

    repo.log_artifact(str(source), "weights")
    source.unlink()  # keep disk use down: the server has its copy
    assert repo.list_artifacts("weights")[0].file_size == size_mb * 1024 * 1024
    downloaded = Path(repo.download_artifacts("weights/big.bin", str(tmp_path / "out")))

    elapsed = time.monotonic() - started
    assert _sha256(downloaded) == expected
    server_peak = max(_peak_rss_mb(p) for p in [server.pid, *_descendants(server.pid)])
    client_growth = _peak_rss_mb(os.getpid()) - client_peak_before
    print(
        f"{size_mb} MiB up and down in {elapsed:.1f} s; server peak RSS {server_peak:.0f} MiB; "
        f"client peak growth {client_growth:.0f} MiB"
    )
    assert server_peak < SERVER_PEAK_LIMIT_MB
    if "s3" not in request.node.callspec.id:  # moto runs in this process, holding the object
        assert client_growth < CLIENT_GROWTH_LIMIT_MB
