"""System tags a new run gets at ``start_run``: who ran it, from which source, at which commit.

Tags, in the order they are merged (later wins):

* ``mlflow.user`` - ``MLFLOW_TRACKING_USERNAME``, else the OS user, else ``"unknown"``;
* ``mlflow.source.name`` / ``mlflow.source.type`` - the script (``LOCAL``), or ``<console>``;
  ``NOTEBOOK`` inside an IPython kernel;
* ``mlflow.source.git.commit`` / ``.branch`` / ``.repoURL`` - when the source is in a git checkout;
* the JSON object in ``MLFLOW_RUN_CONTEXT``;
* the tags the caller passed (so users can override any default).
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Mapping
from typing import Any

from mltrail.environment_variables import MLFLOW_RUN_CONTEXT, MLFLOW_TRACKING_USERNAME
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking._git import read_git_info

MLFLOW_USER = "mlflow.user"
MLFLOW_SOURCE_NAME = "mlflow.source.name"
MLFLOW_SOURCE_TYPE = "mlflow.source.type"
MLFLOW_GIT_COMMIT = "mlflow.source.git.commit"
MLFLOW_GIT_BRANCH = "mlflow.source.git.branch"
MLFLOW_GIT_REPO_URL = "mlflow.source.git.repoURL"
MLFLOW_RUN_NAME = "mlflow.runName"
MLFLOW_PARENT_RUN_ID = "mlflow.parentRunId"
MLFLOW_RUN_NOTE = "mlflow.note.content"

CONSOLE_SOURCE_NAME = "<console>"
_CONSOLE_ARGV0 = ("", "-c", "-m", "-")


def get_user() -> str:
    """The user name recorded on runs."""
    username = MLFLOW_TRACKING_USERNAME.get()
    if username:
        return username
    try:
        return getpass.getuser() or "unknown"
    except Exception:
        return "unknown"


def _in_ipython_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()
    except Exception:
        return False
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def _main_file() -> str | None:
    """The script being run, or None in a console, ``python -c`` or a notebook."""
    argv0 = sys.argv[0] if sys.argv else ""
    if argv0 in _CONSOLE_ARGV0 or not os.path.isfile(argv0):
        return None
    return argv0


def source_tags() -> dict[str, str]:
    """``mlflow.source.name`` and ``mlflow.source.type`` for the current process."""
    if _in_ipython_kernel():
        return {MLFLOW_SOURCE_NAME: sys.argv[0] if sys.argv else "", MLFLOW_SOURCE_TYPE: "NOTEBOOK"}
    argv0 = sys.argv[0] if sys.argv else ""
    name = argv0 or CONSOLE_SOURCE_NAME
    return {MLFLOW_SOURCE_NAME: name, MLFLOW_SOURCE_TYPE: "LOCAL"}


def git_tags() -> dict[str, str]:
    """Git tags for the script's checkout (the working directory in consoles and notebooks)."""
    main_file = _main_file()
    directory = os.path.dirname(os.path.abspath(main_file)) if main_file else os.getcwd()
    try:
        info = read_git_info(directory)
    except Exception:
        return {}  # never fail a run because of an odd .git layout
    if info is None:
        return {}
    tags = {MLFLOW_GIT_COMMIT: info.commit}
    if info.branch:
        tags[MLFLOW_GIT_BRANCH] = info.branch
    if info.repo_url:
        tags[MLFLOW_GIT_REPO_URL] = info.repo_url
    return tags


def run_context_tags() -> dict[str, str]:
    """Extra tags from ``MLFLOW_RUN_CONTEXT`` (a JSON object)."""
    raw = MLFLOW_RUN_CONTEXT.get()
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise MlflowException(
            f'MLFLOW_RUN_CONTEXT must be a JSON object of tags, e.g. \'{{"team": "ml"}}\'; '
            f"could not parse {raw!r}: {exc}",
            error_code=INVALID_PARAMETER_VALUE,
        ) from None
    if not isinstance(parsed, dict):
        raise MlflowException(
            f"MLFLOW_RUN_CONTEXT must be a JSON object of tags, got {type(parsed).__name__}.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return {str(key): str(value) for key, value in parsed.items()}


def resolve_tags(user_tags: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The full tag set for a new run: system tags, then run context, then ``user_tags``."""
    tags: dict[str, str] = {MLFLOW_USER: get_user()}
    tags.update(source_tags())
    tags.update(git_tags())
    tags.update(run_context_tags())
    if user_tags:
        tags.update({str(key): str(value) for key, value in user_tags.items()})
    return tags
