"""Create (or reuse) the isolated environment a model runs in, with ``venv`` or ``uv``.

An environment lives in ``<env root>/<hash>`` (see :mod:`mltrail.pyfunc.model_env`). It is
built in ``<hash>.build-<pid>-<random>`` next to it and renamed into place at the end, so a
killed build never leaves a directory that looks reusable; ``<hash>.lock`` (``flock``) makes
concurrent builds of the same environment wait for each other, and leftovers of killed
builds are removed under that lock. Only ``bin/python`` of an environment is ever run
(console scripts keep the build path in their shebang).

mltrail itself is made importable in the environment as follows:

* an editable (development) install is installed editable from its project directory,
  without dependencies, so the environment follows the source tree;
* an install from a local directory or wheel (PEP 610 ``direct_url.json``) is installed from
  that location, without dependencies;
* otherwise ``mltrail==<version>`` is installed from the package index;

and mltrail's declared core dependencies (``importlib.metadata.requires``, extras left out)
are installed together with the model's requirements, in one resolution.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, INVALID_STATE, MlflowException
from mltrail.pyfunc.model_env import (
    ModelEnvironment,
    check_python_version,
    env_root,
    environment_hash,
)

SUPPORTED_ENV_MANAGERS = ("virtualenv", "uv")
_DISTRIBUTION = "mltrail"
_PIP_ERROR_TAIL_LINES = 25


def environment_python(env_dir: Path) -> Path:
    return env_dir / "bin" / "python"


def mltrail_install_source() -> tuple[str, bool]:
    """``(pip argument installing mltrail, editable)``; see the module docstring."""
    try:
        distribution = importlib.metadata.distribution(_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return str(Path(__file__).resolve().parents[3]), True  # running from a source tree
    direct_url = distribution.read_text("direct_url.json")
    if direct_url:
        info = json.loads(direct_url)
        url = str(info.get("url", ""))
        if url.startswith("file://"):
            location = unquote(urlparse(url).path)
            if os.path.exists(location):
                editable = bool((info.get("dir_info") or {}).get("editable"))
                return location, editable
    return f"{_DISTRIBUTION}=={distribution.version}", False


def mltrail_core_requirements() -> list[str]:
    """mltrail's declared dependencies without the ones behind an extra."""
    declared = importlib.metadata.requires(_DISTRIBUTION) or []
    return [line for line in declared if "extra ==" not in line.replace("extra==", "extra ==")]


def _progress(stream: TextIO, message: str) -> None:
    print(f"mltrail: {message}", file=stream, flush=True)


def _pip_failure(output: str, what: str) -> MlflowException:
    lines = [line for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.lstrip().startswith("ERROR")]
    shown = errors or lines[-_PIP_ERROR_TAIL_LINES:]
    return MlflowException(
        f"Installing {what} into the model environment failed:\n"
        + "\n".join(shown)
        + "\nFix or override the failing requirement (predict: --pip-requirements-override) "
        "and run the command again.",
        INVALID_PARAMETER_VALUE,
    )


def _run(command: Sequence[str], what: str, env: dict[str, str] | None = None) -> None:
    completed = subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    if completed.returncode != 0:
        raise _pip_failure(completed.stdout + "\n" + completed.stderr, what)


class _Installer:
    """Creates the interpreter of an environment and installs packages into it."""

    def __init__(self, env_manager: str, environment: ModelEnvironment) -> None:
        self.env_manager = env_manager
        self.environment = environment
        self.uv = shutil.which("uv") if env_manager == "uv" else None
        if env_manager == "uv" and self.uv is None:
            raise MlflowException(
                "--env-manager uv needs the 'uv' command, which is not on PATH. Install uv "
                "(for example 'pip install uv') or use --env-manager virtualenv.",
                INVALID_STATE,
            )
        if env_manager == "virtualenv":
            check_python_version(environment)
        self.host_pip = importlib.util.find_spec("pip") is not None

    def uv_env(self) -> dict[str, str]:
        return {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "UV_NO_PROGRESS": "1"}

    def create(self, target: Path) -> None:
        if self.uv:
            version = self.environment.python_major_minor
            command = [self.uv, "venv", "--python", version, "--no-config", str(target)]
            completed = subprocess.run(
                command, capture_output=True, text=True, check=False, env=self.uv_env()
            )
            if completed.returncode != 0:
                raise MlflowException(
                    f"uv could not create a Python {version} environment (the model's "
                    f"python_env.yaml asks for {self.environment.python_version}); Python "
                    f"{version} is probably not installed, and mltrail does not download "
                    f"Pythons. Install Python {version} or use --env-manager local.\n"
                    + completed.stderr.strip(),
                    INVALID_STATE,
                )
            return
        command = [sys.executable, "-m", "venv"]
        if self.host_pip:
            command.append("--without-pip")  # this interpreter's pip installs into it
        _run([*command, str(target)], "the Python interpreter (python -m venv)")

    def install(self, target: Path, arguments: Sequence[str], what: str) -> None:
        python = str(environment_python(target))
        if self.uv:
            command = [self.uv, "pip", "install", "--no-config", "--python", python]
            _run([*command, *arguments], what, env=self.uv_env())
            return
        if self.host_pip:
            command = [sys.executable, "-m", "pip", "--python", python]
        else:
            command = [python, "-m", "pip"]
        pip_options = ["install", "--disable-pip-version-check", "--no-input"]
        _run([*command, *pip_options, *arguments], what)


@contextlib.contextmanager
def _locked(lock_path: Path, stream: TextIO) -> Iterator[None]:
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            _progress(stream, f"waiting for another process building {lock_path.stem} ...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftover_builds(root: Path, key: str) -> None:
    for leftover in root.glob(f"{key}.build-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _build(installer: _Installer, target: Path, stream: TextIO) -> None:
    environment = installer.environment
    installer.create(target)
    source, editable = mltrail_install_source()
    packages = [
        *environment.build_dependencies,
        *environment.requirements,
        *mltrail_core_requirements(),
    ]
    _progress(
        stream,
        f"installing {len(environment.requirements)} requirements of the model, "
        f"{len(environment.build_dependencies)} build tools and "
        f"{len(packages) - len(environment.requirements) - len(environment.build_dependencies)}"
        " dependencies of mltrail ...",
    )
    arguments: list[str] = []
    for line in packages:
        arguments.extend(line.split(None, 1) if line.startswith("-") else [line])
    installer.install(target, arguments, "the model's requirements")
    _progress(stream, f"installing mltrail from {source} ...")
    mltrail_arguments = ["--no-deps", *(["--editable"] if editable else []), source]
    installer.install(target, mltrail_arguments, f"mltrail ({source})")


def get_or_create_environment(
    environment: ModelEnvironment, env_manager: str, stream: TextIO = sys.stderr
) -> Path:
    """Directory of the ready environment for ``environment``, built once per cache key."""
    if env_manager not in SUPPORTED_ENV_MANAGERS:
        raise MlflowException(
            f"--env-manager {env_manager} is not supported; use one of "
            f"{', '.join(SUPPORTED_ENV_MANAGERS)} or local.",
            INVALID_PARAMETER_VALUE,
        )
    installer = _Installer(env_manager, environment)
    root = env_root()
    root.mkdir(parents=True, exist_ok=True)
    key = environment_hash(environment, env_manager, mltrail_install_source()[0])
    final = root / key
    if environment_python(final).exists():
        _progress(stream, f"reusing environment {final}")
        return final
    with _locked(root / f"{key}.lock", stream):
        if environment_python(final).exists():  # another process built it meanwhile
            _progress(stream, f"reusing environment {final}")
            return final
        _remove_leftover_builds(root, key)
        if final.exists():  # not built by this module (no interpreter): start again
            shutil.rmtree(final)
        building = root / f"{key}.build-{os.getpid()}-{secrets.token_hex(4)}"
        _progress(stream, f"creating environment {final} with {env_manager} ...")
        try:
            _build(installer, building, stream)
            os.rename(building, final)
        finally:
            shutil.rmtree(building, ignore_errors=True)
    _progress(stream, f"environment ready: {final}")
    return final
