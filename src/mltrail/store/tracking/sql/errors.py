"""The store's user-facing errors, worded as MLflow words them."""

from __future__ import annotations

from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)


def run_not_found(run_id: object) -> MlflowException:
    return MlflowException(f"Run with id={run_id} not found", error_code=RESOURCE_DOES_NOT_EXIST)


def run_not_active(run_id: object, stage: str) -> MlflowException:
    return MlflowException(
        f"The run {run_id} must be in the 'active' state. Current state is {stage}.",
        error_code=INVALID_PARAMETER_VALUE,
    )


def experiment_not_found(experiment_id: object) -> MlflowException:
    return MlflowException(
        f"No Experiment with id={experiment_id} exists", error_code=RESOURCE_DOES_NOT_EXIST
    )


def experiment_not_active(experiment_id: object, stage: str) -> MlflowException:
    return MlflowException(
        f"The experiment {experiment_id} must be in the 'active' state. Current state is {stage}.",
        error_code=INVALID_PARAMETER_VALUE,
    )
