"""``Model.log``: MLflow 3's flow for logging a model as a LoggedModel (``m-<id>``).

Create the logged model (PENDING) in the active run's experiment, link it as the run's output,
save the flavor into a temporary directory, upload it to the logged model's artifact location
and finalize it READY (FAILED if anything goes wrong). Like MLflow 3, no run is started: a model
logged outside a run has no ``source_run_id``.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

if TYPE_CHECKING:
    from mltrail.models.model import Model, ModelInfo

_logger = logging.getLogger(__name__)

DEFAULT_MODEL_NAME = "model"


def _model_name(artifact_path: str | None, name: str | None) -> str:
    if name is not None and artifact_path is not None:
        raise MlflowException(
            "Both `artifact_path` (deprecated) and `name` were given; pass only `name`.",
            INVALID_PARAMETER_VALUE,
        )
    if artifact_path is not None:
        _logger.warning("`artifact_path` is deprecated. Please use `name` instead.")
    return name or artifact_path or DEFAULT_MODEL_NAME


def _flavor_name(flavor: Any) -> str:
    module_name = getattr(flavor, "__name__", "custom")
    return str(module_name).rsplit(".", 1)[-1]


def log_model_with_flavor(
    model_class: type[Model],
    *,
    artifact_path: str | None,
    flavor: Any,
    registered_model_name: str | None = None,
    await_registration_for: int = 300,
    name: str | None = None,
    run_id: str | None = None,
    params: dict[str, Any] | None = None,
    tags: dict[str, Any] | None = None,
    model_type: str | None = None,
    step: int = 0,
    metadata: dict[str, Any] | None = None,
    **kwargs: Any,
) -> ModelInfo:
    """Log with ``flavor.save_model(path=..., mlflow_model=..., **kwargs)``; see module doc."""
    from mltrail.entities import LoggedModelOutput
    from mltrail.tracking import fluent
    from mltrail.tracking._active_experiment import current_experiment_id
    from mltrail.tracking.client import MlflowClient
    from mltrail.tracking.context import resolve_tags

    model_name = _model_name(artifact_path, name)
    client = MlflowClient()
    active = fluent.active_run()
    if run_id is None and active is not None:
        run_id = active.info.run_id
    if run_id is not None:
        run = client.get_run(run_id)
        experiment_id = run.info.experiment_id
        all_params = {**(params or {}), **run.data.params}
    else:
        experiment_id = current_experiment_id()
        all_params = dict(params or {})
    logged = client.create_logged_model(
        experiment_id,
        name=model_name,
        source_run_id=run_id,
        tags=resolve_tags(tags),
        params={key: str(value) for key, value in all_params.items()},
        model_type=model_type,
    )
    try:
        if run_id is not None:
            client.log_outputs(run_id, [LoggedModelOutput(logged.model_id, step=step)])
        mlflow_model = model_class(
            artifact_path=logged.artifact_location,
            model_uuid=logged.model_id,
            run_id=run_id,
            metadata=metadata,
            model_id=logged.model_id,
        )
        with tempfile.TemporaryDirectory(prefix="mltrail-model-") as tmp:
            local_path = Path(tmp) / "model"
            flavor.save_model(path=str(local_path), mlflow_model=mlflow_model, **kwargs)
            for pycache in local_path.rglob("__pycache__"):
                shutil.rmtree(pycache, ignore_errors=True)
            from mltrail.store.artifacts import get_artifact_repository

            get_artifact_repository(logged.artifact_location).log_artifacts(str(local_path))
        client.finalize_logged_model(logged.model_id, "READY")
    except BaseException:
        try:
            client.finalize_logged_model(logged.model_id, "FAILED")
        except Exception:  # keep the original error
            _logger.debug("Could not mark logged model %s FAILED", logged.model_id)
        raise
    info = mlflow_model.get_model_info()
    info.name = model_name
    if registered_model_name is not None:
        from mltrail.tracking.model_registry_fluent import register_model

        version = register_model(
            f"models:/{logged.model_id}", registered_model_name, await_registration_for
        )
        info.registered_model_version = int(version.version)
    _logger.debug("Logged model %s (%s)", logged.model_id, _flavor_name(flavor))
    return info
