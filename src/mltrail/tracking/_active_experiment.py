"""The active experiment: the one ``set_experiment`` chose, else the environment, else ``"0"``.

The active experiment is process-wide (all threads share it), unlike active runs.
"""

from __future__ import annotations

import logging
import threading

from mltrail.entities import Experiment, LifecycleStage
from mltrail.environment_variables import MLFLOW_EXPERIMENT_ID, MLFLOW_EXPERIMENT_NAME
from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    MlflowException,
)
from mltrail.tracking import _values
from mltrail.tracking.client import MlflowClient

DEFAULT_EXPERIMENT_ID = "0"

_logger = logging.getLogger(__name__)
_lock = threading.Lock()
_active_experiment_id: str | None = None


def _get_or_create_by_name(client: MlflowClient, name: str) -> Experiment:
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment
    _logger.info("Experiment with name '%s' does not exist. Creating a new experiment.", name)
    try:
        return client.get_experiment(client.create_experiment(name))
    except MlflowException as exc:
        # Another thread or process created it in between: use theirs.
        if exc.error_code != RESOURCE_ALREADY_EXISTS:
            raise
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            raise
        return experiment


def set_experiment(
    experiment_name: str | None = None, experiment_id: str | None = None
) -> Experiment:
    """Make an experiment the active one, by name (created when missing) or by id.

    New runs started without an ``experiment_id`` go to the active experiment (and, through
    ``MLFLOW_EXPERIMENT_ID``, so do child processes' runs). A deleted experiment cannot be
    activated: restore it, or pick another name.
    """
    global _active_experiment_id
    if (experiment_name is None) == (experiment_id is None):
        raise MlflowException(
            "Must specify exactly one of: `experiment_id` or `experiment_name`.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    client = MlflowClient()
    if experiment_id is not None:
        experiment = client.get_experiment(_values.experiment_id(experiment_id))
    else:
        if not isinstance(experiment_name, str) or not experiment_name:
            raise MlflowException(
                f"Invalid experiment name {experiment_name!r}: it must be a non-empty string.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        experiment = _get_or_create_by_name(client, experiment_name)
    if experiment.lifecycle_stage != LifecycleStage.ACTIVE:
        raise MlflowException(
            f"Cannot set the deleted experiment '{experiment.name}' (id "
            f"{experiment.experiment_id}) as the active experiment. Restore it with "
            f"MlflowClient().restore_experiment('{experiment.experiment_id}'), or choose "
            "another experiment name.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    with _lock:
        _active_experiment_id = experiment.experiment_id
    MLFLOW_EXPERIMENT_ID.set(experiment.experiment_id)  # inherited by child processes
    return experiment


def _experiment_id_from_env(client: MlflowClient) -> str | None:
    name = MLFLOW_EXPERIMENT_NAME.get()
    env_id = MLFLOW_EXPERIMENT_ID.get()
    if name:
        experiment = _get_or_create_by_name(client, name)
        if env_id and env_id != experiment.experiment_id:
            raise MlflowException(
                f"The environment variable MLFLOW_EXPERIMENT_ID={env_id!r} does not match the "
                f"id {experiment.experiment_id!r} of experiment {name!r} named by "
                "MLFLOW_EXPERIMENT_NAME. Unset one of them.",
                error_code=INVALID_PARAMETER_VALUE,
            )
        return experiment.experiment_id
    if env_id:
        try:
            return client.get_experiment(env_id).experiment_id
        except MlflowException as exc:
            raise MlflowException(
                f"The environment variable MLFLOW_EXPERIMENT_ID={env_id!r} does not name an "
                f"existing experiment ({exc.message}). Set it to a valid experiment id.",
                error_code=INVALID_PARAMETER_VALUE,
            ) from exc
    return None


def active_experiment_id() -> str | None:
    """The id chosen with ``set_experiment``, or None."""
    return _active_experiment_id


def current_experiment_id() -> str:
    """Where new runs go: ``set_experiment``, then the environment, then experiment ``"0"``."""
    if _active_experiment_id is not None:
        return _active_experiment_id
    return _experiment_id_from_env(MlflowClient()) or DEFAULT_EXPERIMENT_ID


def reset_active_experiment() -> None:
    """Forget the active experiment (tests)."""
    global _active_experiment_id
    with _lock:
        _active_experiment_id = None
