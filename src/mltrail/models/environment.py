"""The environment files of a model directory: ``conda.yaml``, ``python_env.yaml``,
``requirements.txt`` (spec mlmodel-format §5), and pip requirement inference.
"""

from __future__ import annotations

import functools
import importlib.metadata
import os
import pickletools
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

CONDA_ENV_FILE_NAME = "conda.yaml"
PYTHON_ENV_FILE_NAME = "python_env.yaml"
REQUIREMENTS_FILE_NAME = "requirements.txt"
CONSTRAINTS_FILE_NAME = "constraints.txt"
#: The distribution a model's environment needs to be served by MLflow.
_MLFLOW_PACKAGE = "mlflow"
#: Modules that are the tracking library itself, never listed as inferred requirements.
_SELF_MODULES = frozenset({"mlflow", "mltrail"})


def python_version() -> str:
    """``major.minor.micro`` of this interpreter."""
    return ".".join(str(part) for part in sys.version_info[:3])


def _installed_version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _pinned(distribution: str) -> str:
    version = _installed_version(distribution)
    return f"{distribution}=={version}" if version else distribution


def mlflow_requirement() -> str:
    from mltrail.models.model import MLFLOW_COMPAT_VERSION

    return f"{_MLFLOW_PACKAGE}=={MLFLOW_COMPAT_VERSION}"


def _requirement_name(requirement: str) -> str:
    """The normalised project name of a requirement line (``''`` for options like ``-r``)."""
    line = requirement.strip()
    if not line or line.startswith("-"):
        return ""
    for separator in ("[", "=", "<", ">", "!", "~", ";", " ", "@"):
        line = line.split(separator, 1)[0]
    return line.lower().replace("_", "-")


def _read_requirements_argument(value: str | os.PathLike[str] | Sequence[str]) -> list[str]:
    """``pip_requirements`` may be a list of lines or the path of a requirements file."""
    if isinstance(value, str | os.PathLike):
        path = Path(value)
        if not path.is_file():
            raise MlflowException(
                f"Requirements file '{path}' does not exist; pass a list of requirement "
                "strings or the path of an existing requirements file.",
                INVALID_PARAMETER_VALUE,
            )
        lines = path.read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return [str(line).strip() for line in value if str(line).strip()]


def _deduplicated(requirements: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    result = []
    for requirement in requirements:
        if requirement not in seen:
            seen.add(requirement)
            result.append(requirement)
    return result


def _with_mlflow_first(requirements: list[str]) -> list[str]:
    if any(_requirement_name(line) == _MLFLOW_PACKAGE for line in requirements):
        return requirements
    return [mlflow_requirement(), *requirements]


def _conda_pip_requirements(conda_env: dict[str, Any]) -> list[str]:
    for dependency in conda_env.get("dependencies") or []:
        if isinstance(dependency, dict) and "pip" in dependency:
            return [str(line) for line in dependency["pip"]]
    return []


def _build_dependencies() -> list[str]:
    return [_pinned(name) for name in ("pip", "setuptools", "wheel")]


def conda_env_dict(pip_requirements: Sequence[str]) -> dict[str, Any]:
    """MLflow's default conda environment with ``pip_requirements`` in its ``pip`` list."""
    pip_version = _installed_version("pip")
    return {
        "channels": ["conda-forge"],
        "dependencies": [
            f"python={python_version()}",
            f"pip<={pip_version}" if pip_version else "pip",
            {"pip": list(pip_requirements)},
        ],
        "name": "mlflow-env",
    }


def _load_conda_env(conda_env: str | os.PathLike[str] | dict[str, Any]) -> dict[str, Any]:
    import yaml

    if isinstance(conda_env, dict):
        return conda_env
    path = Path(conda_env)
    if not path.is_file():
        raise MlflowException(
            f"conda_env file '{path}' does not exist; pass a dict or an existing YAML file.",
            INVALID_PARAMETER_VALUE,
        )
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise MlflowException(f"conda_env file '{path}' is not a mapping.", INVALID_PARAMETER_VALUE)
    return loaded


def write_environment_files(
    model_dir: str | os.PathLike[str],
    *,
    conda_env: str | os.PathLike[str] | dict[str, Any] | None = None,
    pip_requirements: str | os.PathLike[str] | Sequence[str] | None = None,
    extra_pip_requirements: str | os.PathLike[str] | Sequence[str] | None = None,
    default_requirements: Sequence[str],
) -> None:
    """Write conda.yaml, python_env.yaml and requirements.txt as MLflow 3.17.2 does.

    ``default_requirements`` are the inferred/flavor requirements; ``pip_requirements``
    replaces them, ``extra_pip_requirements`` adds to them, ``conda_env`` gives the whole
    conda environment (its ``pip`` list becomes requirements.txt). At most one of the three.
    """
    import yaml

    given = [conda_env, pip_requirements, extra_pip_requirements]
    if sum(value is not None for value in given) > 1:
        raise MlflowException(
            "Only one of conda_env, pip_requirements and extra_pip_requirements can be given.",
            INVALID_PARAMETER_VALUE,
        )
    model_dir = Path(model_dir)
    if conda_env is not None:
        env = _load_conda_env(conda_env)
        requirements = _conda_pip_requirements(env)
    else:
        if pip_requirements is not None:
            base = _read_requirements_argument(pip_requirements)
        else:
            base = sorted(set(default_requirements), key=str.lower)
            if extra_pip_requirements is not None:
                base += _read_requirements_argument(extra_pip_requirements)
        requirements = _deduplicated(_with_mlflow_first(base))
        env = conda_env_dict(requirements)
    with open(model_dir / CONDA_ENV_FILE_NAME, "w", encoding="utf-8") as out:
        yaml.safe_dump(env, out, default_flow_style=False)
    python_env = {
        "python": python_version(),
        "build_dependencies": _build_dependencies(),
        "dependencies": [f"-r {REQUIREMENTS_FILE_NAME}"],
    }
    with open(model_dir / PYTHON_ENV_FILE_NAME, "w", encoding="utf-8") as out:
        yaml.safe_dump(python_env, out, default_flow_style=False, sort_keys=False)
    (model_dir / REQUIREMENTS_FILE_NAME).write_text("\n".join(requirements), encoding="utf-8")


# ---- inference ---------------------------------------------------------------------------------


@functools.cache
def _module_distributions() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


def _top_level(module: str) -> str:
    return module.split(".", 1)[0]


def _modules_in_pickle(path: Path) -> set[str]:
    """Top-level modules a pickle file refers to (GLOBAL / STACK_GLOBAL opcodes)."""
    modules: set[str] = set()
    strings: list[str] = []
    with open(path, "rb") as stream:
        for opcode, argument, _ in pickletools.genops(stream):
            if opcode.name == "GLOBAL" and isinstance(argument, str):
                modules.add(_top_level(argument.split(" ", 1)[0]))
            elif opcode.name == "STACK_GLOBAL" and len(strings) >= 2:
                modules.add(_top_level(strings[-2]))
            if isinstance(argument, str):
                strings.append(argument)
    return modules


def _modules_of_dir(model_dir: Path) -> set[str]:
    modules: set[str] = set()
    for path in model_dir.rglob("*.pkl"):
        try:
            modules |= _modules_in_pickle(path)
        except Exception:  # not a plain pickle (e.g. joblib-compressed): nothing to learn
            continue
    return modules


def requirements_for_modules(modules: Iterable[str]) -> list[str]:
    """Pinned distributions providing ``modules`` (stdlib and mlflow/mltrail skipped)."""
    distributions = _module_distributions()
    result: set[str] = set()
    for module in {_top_level(name) for name in modules}:
        if module in _SELF_MODULES or module in sys.stdlib_module_names:
            continue
        for distribution in distributions.get(module, []):
            if _requirement_name(distribution) in _SELF_MODULES:
                continue
            result.add(_pinned(distribution))
    return sorted(result, key=str.lower)


def infer_pip_requirements(
    model_dir_or_modules: str | os.PathLike[str] | Iterable[str],
    flavor_default: Sequence[str],
) -> list[str]:
    """The pinned packages a model uses, unioned with the flavor's defaults.

    Given a model directory, the modules referenced by its pickles (``*.pkl``) are used;
    given module names, those. Packages not installed here are left out.
    """
    if isinstance(model_dir_or_modules, str | os.PathLike):
        modules = _modules_of_dir(Path(model_dir_or_modules))
    else:
        modules = set(model_dir_or_modules)
    found = set(requirements_for_modules(modules))
    found_names = {_requirement_name(line) for line in found}
    for requirement in flavor_default:
        if _requirement_name(requirement) not in found_names:
            found.add(requirement)
    return sorted(found, key=str.lower)


def default_pip_requirement(distribution: str) -> str:
    """``<distribution>==<installed version>`` (bare name when not installed)."""
    return _pinned(distribution)
