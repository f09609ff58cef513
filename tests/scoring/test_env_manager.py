"""``--env-manager virtualenv|uv``: requirement rewriting, cache keys, refusals, and one real
served model in a freshly built virtualenv (PyPI, or pip's cache, must be reachable)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from helpers.servers import free_port
from mltrail.exceptions import MlflowException
from mltrail.pyfunc.env_builder import (
    get_or_create_environment,
    mltrail_core_requirements,
    mltrail_install_source,
)
from mltrail.pyfunc.model_env import (
    ModelEnvironment,
    check_python_version,
    environment_hash,
    parse_overrides,
    read_model_environment,
    rewrite_requirements,
)

CLI = [sys.executable, "-m", "mltrail.cli.main", "models"]
THIS_PYTHON = ".".join(str(part) for part in sys.version_info[:3])

DOUBLER_SCRIPT = """
import sys
import mltrail.pyfunc as pyfunc

class Doubler(pyfunc.PythonModel):
    def predict(self, context, model_input, params=None):
        return (model_input["x"] * 2).tolist()

pyfunc.save_model(sys.argv[1], python_model=Doubler(), pip_requirements=sys.argv[2:])
"""


def write_model_files(directory: Path, python: str, requirements: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "python_env.yaml").write_text(
        f"python: {python}\nbuild_dependencies:\n- pip\ndependencies:\n- -r requirements.txt\n"
    )
    (directory / "requirements.txt").write_text(requirements)
    return directory


def test_rewrite_replaces_mlflow_keeps_order_and_applies_overrides(tmp_path: Path) -> None:
    lines = [
        "# saved by mlflow",
        "mlflow==3.17.2",
        "mlflow-skinny[databricks]>=3",
        "MLflow_Skinny",
        "numpy==1.26.4  # pinned",
        "",
        "pandas>=2",
        "-c constraints.txt",
        "numpy==1.26.4",
    ]
    rewritten = rewrite_requirements(lines, parse_overrides("pandas==2.2.3, scipy"), tmp_path)
    assert rewritten == [
        "numpy==1.26.4",
        "pandas==2.2.3",
        f"-c {(tmp_path / 'constraints.txt').resolve()}",
        "scipy",
    ]


def test_read_model_environment_inlines_requirements_file(tmp_path: Path) -> None:
    model = write_model_files(tmp_path / "m", "3.10.4", "mlflow==3.17.2\ncloudpickle==3.1.1\n")
    environment = read_model_environment(model, ["six"])
    assert environment == ModelEnvironment("3.10.4", ("pip",), ("cloudpickle==3.1.1", "six"))
    assert environment.python_major_minor == "3.10"


def test_environment_hash_depends_on_what_is_installed(tmp_path: Path) -> None:
    base = ModelEnvironment("3.11.7", ("pip",), ("numpy==1.26.4",))
    key = environment_hash(base, "virtualenv", "/src")
    assert len(key) == 24 and key == environment_hash(base, "virtualenv", "/src")
    same_minor = ModelEnvironment("3.11.9", ("pip",), ("numpy==1.26.4",))
    assert environment_hash(same_minor, "virtualenv", "/src") == key
    different = [
        environment_hash(ModelEnvironment("3.12.1", ("pip",), ("numpy==1.26.4",)),
                         "virtualenv", "/src"),
        environment_hash(ModelEnvironment("3.11.7", ("pip",), ("numpy==2.0",)),
                         "virtualenv", "/src"),
        environment_hash(base, "uv", "/src"),
        environment_hash(base, "virtualenv", "mltrail==0.1.0"),
    ]  # fmt: skip
    assert key not in different and len(set(different)) == 4
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("numpy<2\n")
    with_file = ModelEnvironment("3.11.7", (), (f"-c {constraints}",))
    before = environment_hash(with_file, "virtualenv", "/src")
    constraints.write_text("numpy<3\n")
    assert environment_hash(with_file, "virtualenv", "/src") != before


def test_python_version_mismatch_is_a_clear_error(tmp_path: Path) -> None:
    check_python_version(ModelEnvironment(THIS_PYTHON, (), ()))
    with pytest.raises(MlflowException) as caught:
        check_python_version(ModelEnvironment("3.9.18", (), ()))
    assert caught.value.error_code == "INVALID_STATE"
    assert "needs Python 3.9" in caught.value.message
    assert "not installed" in caught.value.message
    model = write_model_files(tmp_path / "old", "3.9.18", "cloudpickle\n")
    result = subprocess.run(
        [*CLI, "predict", "-m", str(model), "--env-manager", "virtualenv"],
        input="{}", capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "MLTRAIL_ENV_ROOT": str(tmp_path / "envs")},
    )  # fmt: skip
    assert result.returncode == 1
    assert "needs Python 3.9" in result.stderr
    assert not list((tmp_path / "envs").glob("*/bin/python"))


def test_uv_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    monkeypatch.setenv("MLTRAIL_ENV_ROOT", str(tmp_path / "envs"))
    with pytest.raises(MlflowException) as caught:
        get_or_create_environment(ModelEnvironment(THIS_PYTHON, (), ()), "uv")
    assert "'uv' command, which is not on PATH" in caught.value.message
    assert "--env-manager virtualenv" in caught.value.message
    model = write_model_files(tmp_path / "m", THIS_PYTHON, "cloudpickle\n")
    result = subprocess.run(
        [*CLI, "serve", "-m", str(model), "--env-manager", "uv"],
        capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "PATH": str(empty_bin)},
    )  # fmt: skip
    assert result.returncode == 1 and "Install uv" in result.stderr


def test_conda_is_refused_with_alternatives(tmp_path: Path) -> None:
    model = write_model_files(tmp_path / "m", THIS_PYTHON, "")
    result = subprocess.run(
        [*CLI, "serve", "-m", str(model), "--env-manager", "conda"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "conda is not supported" in result.stderr and "virtualenv" in result.stderr


def test_core_requirements_leave_extras_out() -> None:
    core = mltrail_core_requirements()
    assert any(line.startswith("pandas") for line in core)
    assert not any("extra" in line for line in core)


def test_pip_failure_names_the_requirement_and_leaves_no_env(tmp_path: Path) -> None:
    model = write_model_files(tmp_path / "m", THIS_PYTHON, "")
    override = "mltrail-no-such-package-xyz==0.0.1"
    environment = read_model_environment(model, [override])
    key = environment_hash(environment, "virtualenv", mltrail_install_source()[0])
    env_root = tmp_path / "envs"
    leftover = env_root / f"{key}.build-1-deadbeef"  # as a killed build leaves it
    (leftover / "bin").mkdir(parents=True)
    result = subprocess.run(
        [*CLI, "predict", "-m", str(model), "--env-manager", "virtualenv", "-r", override],
        input="{}", capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "MLTRAIL_ENV_ROOT": str(env_root)},
    )  # fmt: skip
    assert result.returncode == 1
    assert f"No matching distribution found for {override}" in result.stderr
    assert "installing 1 requirements of the model" in result.stderr
    assert sorted(path.name for path in env_root.iterdir()) == [f"{key}.lock"]


def _processes_mentioning(text: str) -> list[str]:
    listing = subprocess.run(
        ["ps", "-eo", "pid,args"], capture_output=True, text=True, check=True
    ).stdout
    return [line for line in listing.splitlines() if text in line and "ps -eo" not in line]


def _serve_and_query(model: Path, env_root: Path, log: Path) -> tuple[float, str]:
    """Start serve with virtualenv, query it, stop it by the parent's pid; (seconds, log)."""
    port = free_port()
    started = time.monotonic()
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [*CLI, "serve", "-m", str(model), "-p", str(port), "--env-manager", "virtualenv"],
            stdout=log_file, stderr=subprocess.STDOUT,
            env={**os.environ, "MLTRAIL_ENV_ROOT": str(env_root)},
        )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() - started < 240, log.read_text()
            try:
                if requests.get(f"{url}/ping", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        elapsed = time.monotonic() - started
        body = {"dataframe_split": {"columns": ["x"], "data": [[1.5], [4]]}}
        response = requests.post(f"{url}/invocations", json=body, timeout=30)
        assert response.status_code == 200, response.text
        assert response.json() == {"predictions": [3.0, 8.0]}
    finally:
        process.send_signal(signal.SIGTERM)  # the parent only: it forwards to the server
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    return elapsed, log.read_text()


def test_serve_in_virtualenv_builds_once_then_reuses(tmp_path: Path) -> None:
    model = tmp_path / "doubler"
    subprocess.run([sys.executable, "-c", DOUBLER_SCRIPT, str(model), "pandas"], check=True)
    saved = (model / "requirements.txt").read_text()
    assert "mlflow" in saved and "pandas" in saved  # mlflow is replaced by mltrail
    env_root = tmp_path / "envs"

    first_seconds, first_log = _serve_and_query(model, env_root, tmp_path / "first.log")
    assert (
        "creating environment" in first_log
        and "installing 1 requirements of the model" in first_log
    )
    assert _processes_mentioning(str(model)) == []
    envs = [path for path in env_root.iterdir() if path.is_dir()]
    assert len(envs) == 1 and (envs[0] / "bin" / "python").exists()
    assert not list(env_root.glob("*.build-*"))

    second_seconds, second_log = _serve_and_query(model, env_root, tmp_path / "second.log")
    assert "reusing environment" in second_log and "creating environment" not in second_log
    assert second_seconds < 20 and second_seconds < first_seconds
    assert _processes_mentioning(str(model)) == []

    predicted = subprocess.run(
        [*CLI, "predict", "-m", str(model), "--env-manager", "virtualenv"],
        input=json.dumps({"inputs": {"x": [1, 2]}}), capture_output=True, text=True,
        timeout=60, check=False, env={**os.environ, "MLTRAIL_ENV_ROOT": str(env_root)},
    )  # fmt: skip
    assert predicted.returncode == 0, predicted.stderr
    assert json.loads(predicted.stdout) == {"predictions": [2, 4]}
    assert "reusing environment" in predicted.stderr
