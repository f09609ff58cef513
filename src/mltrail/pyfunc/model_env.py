"""What isolated environment a model directory needs: its Python version, build tools and
pip requirements (read from ``python_env.yaml`` / ``requirements.txt``), rewritten so the
environment runs mltrail instead of MLflow, and the cache key of that environment.

Pure functions only; building the environment is :mod:`mltrail.pyfunc.env_builder`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mltrail.exceptions import INVALID_PARAMETER_VALUE, INVALID_STATE, MlflowException

ENV_ROOT_VARIABLE = "MLTRAIL_ENV_ROOT"
#: Requirement names replaced by mltrail itself in an isolated environment.
MLFLOW_DISTRIBUTIONS = frozenset({"mlflow", "mlflow-skinny", "mlflow-tracing", "mltrail"})
#: Version of the key layout: bump to invalidate every cached environment.
_HASH_LAYOUT = "1"


@dataclass(frozen=True)
class ModelEnvironment:
    """The environment a model asks for, after rewriting (see :func:`rewrite_requirements`)."""

    python_version: str
    build_dependencies: tuple[str, ...]
    requirements: tuple[str, ...]

    @property
    def python_major_minor(self) -> str:
        return ".".join(self.python_version.split(".")[:2])


def requirement_name(line: str) -> str:
    """Normalised project name of a requirement line; ``''`` for options and blank lines."""
    text = line.strip()
    if not text or text.startswith(("-", "#")):
        return ""
    for separator in ("[", "=", "<", ">", "!", "~", ";", " ", "@"):
        text = text.split(separator, 1)[0]
    return text.strip().lower().replace("_", "-").replace(".", "-")


def _strip_comment(line: str) -> str:
    text = line.strip()
    if text.startswith("#"):
        return ""
    return text.split(" #", 1)[0].strip()


def _resolve_option_path(line: str, base_dir: Path | None) -> str:
    """``-r file`` / ``-c file`` relative to the model directory become absolute."""
    for option in ("-r", "-c", "--requirement", "--constraint"):
        if line.startswith(option + " ") or line.startswith(option + "="):
            target = line[len(option) + 1 :].strip()
            if base_dir is not None and not os.path.isabs(target) and "://" not in target:
                target = str((base_dir / target).resolve())
            return f"{option} {target}"
    return line


def rewrite_requirements(
    lines: Iterable[str],
    overrides: Sequence[str] = (),
    base_dir: Path | None = None,
) -> list[str]:
    """Model requirement lines to install next to mltrail.

    Comments and blank lines go, ``mlflow``/``mlflow-skinny`` (and ``mltrail``) lines go
    (mltrail is installed separately), ``-r``/``-c`` paths become absolute against
    ``base_dir``, and each of ``overrides`` replaces the line of the same project (or is
    appended). Order is kept; duplicates are dropped.
    """
    override_names = {requirement_name(line): line.strip() for line in overrides if line.strip()}
    result: list[str] = []
    for raw in lines:
        line = _strip_comment(raw)
        name = requirement_name(line)
        if not line or name in MLFLOW_DISTRIBUTIONS:
            continue
        if name and name in override_names:
            line = override_names.pop(name)
        line = _resolve_option_path(line, base_dir)
        if line not in result:
            result.append(line)
    result.extend(line for line in override_names.values() if line not in result)
    return result


def parse_overrides(value: str | None) -> list[str]:
    """``--pip-requirements-override 'x==1,y>2'`` -> ``['x==1', 'y>2']``."""
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _expanded_lines(lines: Iterable[str], base_dir: Path, depth: int = 0) -> list[str]:
    """Inline ``-r file`` lines naming files of the model directory, so that every
    requirement goes through :func:`rewrite_requirements` (mlflow lines included)."""
    result: list[str] = []
    for raw in lines:
        line = _strip_comment(raw)
        parts = line.split(None, 1) if line.startswith(("-r", "--requirement")) else []
        included = base_dir / parts[1] if len(parts) == 2 else None
        if included is not None and included.is_file() and depth < 5:
            text = included.read_text(encoding="utf-8").splitlines()
            result.extend(_expanded_lines(text, included.parent, depth + 1))
        elif line:
            result.append(_resolve_option_path(line, base_dir))
    return result


def read_model_environment(
    model_dir: str | os.PathLike[str], overrides: Sequence[str] = ()
) -> ModelEnvironment:
    """Read ``python_env.yaml`` (else ``requirements.txt``) of a downloaded model directory.

    Without ``python_env.yaml`` the model gets this interpreter's version; with neither
    file it gets only mltrail and ``overrides``.
    """
    import yaml

    from mltrail.models.environment import PYTHON_ENV_FILE_NAME, REQUIREMENTS_FILE_NAME

    directory = Path(model_dir)
    python_version = ".".join(str(part) for part in sys.version_info[:3])
    build: list[str] = []
    lines = [f"-r {REQUIREMENTS_FILE_NAME}"]
    env_file = directory / PYTHON_ENV_FILE_NAME
    if env_file.is_file():
        loaded = yaml.safe_load(env_file.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise MlflowException(
                f"{env_file} is not a mapping; expected the keys python, "
                "build_dependencies and dependencies.",
                INVALID_PARAMETER_VALUE,
            )
        python_version = str(loaded.get("python") or python_version)
        build = [str(item) for item in loaded.get("build_dependencies") or []]
        lines = [str(item) for item in loaded.get("dependencies") or []]
    requirements = rewrite_requirements(_expanded_lines(lines, directory), overrides)
    return ModelEnvironment(python_version, tuple(build), tuple(requirements))


def _referenced_file_text(line: str) -> str:
    """Content of the file a ``-r``/``-c`` line names, so editing it changes the key."""
    parts = line.split(None, 1)
    if len(parts) == 2 and parts[0] in ("-r", "-c", "--requirement", "--constraint"):
        path = Path(parts[1])
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return ""


def environment_hash(environment: ModelEnvironment, env_manager: str, mltrail_source: str) -> str:
    """Cache key of an environment: Python major.minor, build tools, requirements (and the
    files they reference), the env manager and which mltrail gets installed."""
    from mltrail import __version__

    key = {
        "layout": _HASH_LAYOUT,
        "python": environment.python_major_minor,
        "build": sorted(environment.build_dependencies),
        "requirements": [[line, _referenced_file_text(line)] for line in
                         environment.requirements],
        "env_manager": env_manager,
        "mltrail": [__version__, mltrail_source],
    }  # fmt: skip
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()[:24]


def check_python_version(environment: ModelEnvironment) -> None:
    """``virtualenv`` uses this interpreter: refuse a model saved with another Python."""
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    if environment.python_major_minor != current:
        raise MlflowException(
            f"The model needs Python {environment.python_major_minor} (its python_env.yaml "
            f"says {environment.python_version}) but mltrail runs on Python {current}, and "
            f"--env-manager virtualenv only uses the current interpreter: Python "
            f"{environment.python_major_minor} is not installed for it. Run mltrail from a "
            f"Python {environment.python_major_minor} environment, use --env-manager uv "
            "(which finds installed Pythons), or --env-manager local.",
            INVALID_STATE,
        )


def env_root() -> Path:
    """Where environments are cached: ``$MLTRAIL_ENV_ROOT`` or ``~/.mltrail/envs``."""
    configured = os.environ.get(ENV_ROOT_VARIABLE)
    return Path(configured).expanduser() if configured else Path.home() / ".mltrail" / "envs"
