"""``mltrail server`` / ``mltrail ui``: option validation and a real start."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers.servers import start_mltrail_server
from mltrail.cli.main import cli


@pytest.mark.parametrize(
    "args, message",
    [
        (["--port", "70000"], "--port must be between 1 and 65535"),
        (["--artifacts-only", "--no-serve-artifacts"], "--artifacts-only needs --serve-artifacts"),
        (["--static-prefix", "nope"], "--static-prefix must start with '/'"),
        (["--workers", "2", "--dev"], "--dev reloads a single process"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--no-serve-artifacts", "--default-artifact-root", "mlflow-artifacts:/"],
         "turns the proxy off"),
    ],
)  # fmt: skip
def test_invalid_options_are_usage_errors(args: list[str], message: str):
    result = CliRunner().invoke(cli, ["server", *args])
    assert result.exit_code == 2
    assert message in result.output


def test_unsupported_backend_is_reported_before_serving(tmp_path: Path):
    result = CliRunner().invoke(cli, ["ui", "--backend-store-uri", f"file://{tmp_path}"])
    assert result.exit_code == 1
    assert "is not supported by the server" in result.output


def test_server_starts_prints_its_url_and_stops(tmp_path: Path):
    with start_mltrail_server(tmp_path) as server:
        assert f"mltrail server listening on {server.url} (open it in a browser)" in server.log()
        with urllib.request.urlopen(f"{server.url}/version") as response:
            assert response.read() == b"3.17.2"
    assert server.process.poll() is not None
    assert (tmp_path / "mlflow.db").exists()


def test_a_real_server_under_a_static_prefix(tmp_path: Path):
    with start_mltrail_server(tmp_path, "--static-prefix", "/trail",
                              static_prefix="/trail") as server:  # fmt: skip
        with urllib.request.urlopen(f"{server.url}/trail/health") as response:
            assert response.read() == b"OK"
        assert f"{server.url}/trail (open it in a browser)" in server.log()
