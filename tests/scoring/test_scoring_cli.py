"""``mltrail models serve|predict|generate-dockerfile`` end to end, as subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from helpers.servers import ServerHandle, free_port, spawn_server, wait_healthy

CLI = [sys.executable, "-m", "mltrail.cli.main", "models"]


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, linear_model_dir: Path
) -> Iterator[ServerHandle]:
    workdir = tmp_path_factory.mktemp("serve")
    port = free_port()
    command = [*CLI, "serve", "-m", str(linear_model_dir), "-p", str(port), "-h", "127.0.0.1",
               "--env-manager", "local", "--max-body-bytes", "100000"]  # fmt: skip
    handle = spawn_server(command, port, workdir / "serve.log", None, workdir)
    try:
        wait_healthy(handle)
        yield handle
    finally:
        handle.stop()


def invoke(server: ServerHandle, body: str | bytes, content_type: str) -> requests.Response:
    return requests.post(
        f"{server.url}/invocations", data=body, headers={"Content-Type": content_type}, timeout=30
    )


@pytest.mark.parametrize(
    "payload",
    [
        {"dataframe_split": {"columns": ["x", "y"], "data": [[1, 2], [3, 4]]}, "params": {"k": 2}},
        {"dataframe_records": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "params": {"k": 2}},
        {"instances": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "params": {"k": 2}},
        {"inputs": {"x": [1, 3], "y": [2, 4]}, "params": {"k": 2}},
        {"inputs": [{"x": 1, "y": 2}, {"x": 3, "y": 4}], "params": {"k": 2}},
    ],
)
def test_served_model_answers_every_json_format(served: ServerHandle, payload: object) -> None:
    response = invoke(served, json.dumps(payload), "application/json")
    assert response.status_code == 200, response.text
    assert response.json() == {"predictions": [{"z": 4.0}, {"z": 10.0}]}


def test_served_model_answers_csv_and_service_routes(served: ServerHandle) -> None:
    response = invoke(served, "x,y\n1,2\n3,4\n", "text/csv")
    assert response.json() == {"predictions": [{"z": 3.0}, {"z": 7.0}]}
    assert requests.get(f"{served.url}/ping", timeout=5).text == "\n"
    assert requests.get(f"{served.url}/health", timeout=5).status_code == 200
    version = requests.get(f"{served.url}/version", timeout=5)
    assert version.status_code == 200 and version.text


@pytest.mark.parametrize(
    ("body", "content_type", "status", "fragment"),
    [
        ('{"dataframe_split": [', "application/json", 400, "valid JSON formatted string"),
        ('{"records": [{"x": 1}]}', "application/json", 400, "exactly one of the input fields"),
        ('{"dataframe_records": [{"x": 1}]}', "application/json", 400, "missing inputs ['y']"),
        ('{"dataframe_split": {"columns": ["x", "y"], "data": [["a", 1]]}}', "application/json",
         400, "Failed to convert column x to type 'float64'"),
        ('{"dataframe_records": [{"x": 1, "y": 2}], "params": {"k": "abc"}}', "application/json",
         400, "Invalid parameters found"),
        ("x,y\nabc,1\n", "text/csv", 400, "Failed to parse input as a Pandas DataFrame"),
        ('{"inputs": 1}', "text/plain", 415, "only supports the following content types"),
        ('{"inputs": ["' + "a" * 200_000 + '"]}', "application/json", 413, "larger than the limit"),
    ],
)  # fmt: skip
def test_served_model_errors_are_json(
    served: ServerHandle, body: str, content_type: str, status: int, fragment: str
) -> None:
    response = invoke(served, body, content_type)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    error = response.json()
    assert fragment in error["message"]
    assert "stack_trace" not in error


def test_served_model_refuses_foreign_host_header(served: ServerHandle) -> None:
    response = requests.get(f"{served.url}/ping", headers={"Host": "evil.example"}, timeout=5)
    assert response.status_code == 403
    assert response.json()["error_code"] == "PERMISSION_DENIED"


def test_predict_json_and_csv_to_files(tmp_path: Path, linear_model_dir: Path) -> None:
    request = tmp_path / "input.json"
    request.write_text(json.dumps({"dataframe_records": [{"x": 1, "y": 2}], "params": {"k": 3}}))
    out = tmp_path / "out.json"
    result = run_cli("predict", "-m", str(linear_model_dir), "-i", str(request), "-t", "json",
                     "-o", str(out), "--env-manager", "local")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert out.read_text() == '{"predictions": [{"z": 5.0}]}'
    csv_input = tmp_path / "input.csv"
    csv_input.write_text("x,y\n1,2\n")
    result = run_cli("predict", "-m", str(linear_model_dir), "-i", str(csv_input), "-t", "csv")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"predictions": [{"z": 3.0}]}


def test_predict_reads_stdin_and_fails_clearly(linear_model_dir: Path) -> None:
    ok = run_cli("predict", "-m", str(linear_model_dir), stdin='{"inputs": {"x": [1], "y": [1]}}')
    assert json.loads(ok.stdout) == {"predictions": [{"z": 2.0}]}
    bad = run_cli("predict", "-m", str(linear_model_dir), stdin='{"inputs": {"x": [1]}}')
    assert bad.returncode != 0
    assert "missing inputs ['y']" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("command", ["serve", "predict"])
def test_conda_env_manager_is_refused(command: str, linear_model_dir: Path) -> None:
    # virtualenv and uv are tested in test_env_manager.py
    result = run_cli(command, "-m", str(linear_model_dir), "--env-manager", "conda")
    assert result.returncode == 2
    assert "--env-manager conda is not supported" in result.stderr
    assert "--env-manager virtualenv" in result.stderr


def test_serve_of_missing_model_fails_clearly(tmp_path: Path) -> None:
    result = run_cli("serve", "-m", str(tmp_path / "nope"), "-p", str(free_port()))
    assert result.returncode != 0
    assert "nope" in result.stderr and "Traceback" not in result.stderr


def test_generate_dockerfile(tmp_path: Path, linear_model_dir: Path) -> None:
    out = tmp_path / "ctx"
    result = run_cli("generate-dockerfile", "-m", str(linear_model_dir), "-d", str(out))
    assert result.returncode == 0, result.stderr
    text = (out / "Dockerfile").read_text()
    lines = text.splitlines()
    assert lines[0] == f"FROM python:{sys.version_info.major}.{sys.version_info.minor}-slim"
    assert any(line.startswith('RUN python -m pip install "mltrail==') for line in lines)
    assert "RUN python -m pip install -r /opt/mltrail/model_requirements.txt" in lines
    assert "COPY model_dir/ /opt/ml/model/" in lines
    assert "EXPOSE 8080" in lines
    entrypoint = next(line for line in lines if line.startswith("ENTRYPOINT "))
    assert json.loads(entrypoint.removeprefix("ENTRYPOINT ")) == [
        "mltrail", "models", "serve", "-m", "/opt/ml/model", "-h", "0.0.0.0", "-p", "8080",
        "--env-manager", "local",
    ]  # fmt: skip
    assert (out / "model_dir" / "MLmodel").is_file()
    requirements = (out / "model_requirements.txt").read_text().splitlines()
    assert requirements and not any(r.lower().startswith("mlflow") for r in requirements)
    assert any(r.startswith("cloudpickle") for r in requirements)


def test_generate_dockerfile_without_model(tmp_path: Path) -> None:
    requirement = "mltrail @ git+https://example.invalid/mltrail"
    result = run_cli(
        "generate-dockerfile", "-d", str(tmp_path / "ctx"), "--mltrail-requirement", requirement
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "ctx" / "Dockerfile").read_text()
    assert "COPY model_dir" not in text
    assert "Mount the model at /opt/ml/model" in text
    assert 'pip install "mltrail @ git+https://example.invalid/mltrail"' in text


def test_serve_with_several_workers(tmp_path: Path, linear_model_dir: Path) -> None:
    port = free_port()
    command = [*CLI, "serve", "-m", str(linear_model_dir), "-p", str(port), "--workers", "2"]
    with spawn_server(command, port, tmp_path / "serve.log", None, tmp_path) as handle:
        wait_healthy(handle)
        response = invoke(handle, '{"inputs": {"x": [1], "y": [2]}}', "application/json")
        assert response.json() == {"predictions": [{"z": 3.0}]}
