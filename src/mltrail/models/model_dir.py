"""Model-directory chores shared by every flavor's save_model: the target check, ``code/`` and
``extra_files/`` copies, the model size, and ``code/`` on ``sys.path`` at load time."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS, MlflowException

CODE_DIR = "code"
EXTRA_FILES_DIR = "extra_files"


#: Files written after the size is taken (MLflow does not count them in model_size_bytes).
UNCOUNTED_FILES = frozenset({"MLmodel", "conda.yaml", "python_env.yaml", "requirements.txt"})


def prepare_target_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` (made absolute); refuse a path that exists and is not an empty dir."""
    target = Path(os.fspath(path)).absolute()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise MlflowException(
            f"Path '{target}' already exists and is not empty; save the model to a new or "
            "empty directory.",
            RESOURCE_ALREADY_EXISTS,
        )
    target.mkdir(parents=True, exist_ok=True)
    return target


def _as_list(paths: Any, argument: str) -> list[str]:
    if isinstance(paths, (str, os.PathLike)) or not isinstance(paths, Iterable):
        raise MlflowException(
            f"{argument} must be a list of file or directory paths, got {paths!r}.",
            INVALID_PARAMETER_VALUE,
        )
    return [os.fspath(p) for p in paths]


def _copy_into(source: str, directory: Path, argument: str) -> Path:
    src = Path(source)
    if not src.exists():
        raise MlflowException(
            f"The {argument} entry '{source}' does not exist.", INVALID_PARAMETER_VALUE
        )
    directory.mkdir(parents=True, exist_ok=True)
    destination = directory / src.name
    if src.is_dir():
        shutil.copytree(src, destination, dirs_exist_ok=True)
    else:
        shutil.copy2(src, destination)
    return destination


def copy_code_paths(code_paths: Any, model_dir: Path) -> str | None:
    """Copy ``code_paths`` into ``<model_dir>/code``; return ``"code"`` or None (none given)."""
    if code_paths is None or (isinstance(code_paths, list | tuple) and not code_paths):
        return None
    for source in _as_list(code_paths, "code_paths"):
        _copy_into(source, model_dir / CODE_DIR, "code_paths")
    return CODE_DIR


def copy_extra_files(extra_files: Any, model_dir: Path) -> dict[str, Any]:
    """Copy ``extra_files`` into ``<model_dir>/extra_files``; the flavor's ``extra_files`` key."""
    if extra_files is None:
        return {}
    entries = []
    for source in _as_list(extra_files, "extra_files"):
        copied = _copy_into(source, model_dir / EXTRA_FILES_DIR, "extra_files")
        entries.append({"path": f"{EXTRA_FILES_DIR}/{copied.name}"})
    return {"extra_files": entries}


def total_file_size(model_dir: Path) -> int:
    """Bytes of the files under ``model_dir``, except MLmodel and the environment files."""
    return sum(
        p.stat().st_size
        for p in model_dir.rglob("*")
        if p.is_file() and p.relative_to(model_dir).as_posix() not in UNCOUNTED_FILES
    )


def add_code_to_sys_path(model_dir: str | os.PathLike[str], code: str | None) -> None:
    """Put the model's ``code`` directory (if any) first on ``sys.path``."""
    if not code:
        return
    code_dir = os.path.join(os.fspath(model_dir), code)
    if os.path.isdir(code_dir) and code_dir not in sys.path:
        sys.path.insert(0, code_dir)
