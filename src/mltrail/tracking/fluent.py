"""The fluent API (``mltrail.start_run``, ``mltrail.log_metric``, ...) over an active run.

Every function works on the current thread's active run; logging without one starts a run,
as MLflow does. Runs still active when the interpreter exits are ended (``FINISHED``, or
``FAILED`` when the script died of an uncaught exception).
"""

from __future__ import annotations

import atexit
import logging
import os
import posixpath
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mltrail.entities import Experiment, LifecycleStage, Run, ViewType
from mltrail.environment_variables import MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING, MLFLOW_RUN_ID
from mltrail.exceptions import INVALID_PARAMETER_VALUE, INVALID_STATE, MlflowException
from mltrail.tracking import _active_experiment, _async_loggers, _values, context
from mltrail.tracking._active_experiment import set_experiment
from mltrail.tracking._tracking_uri import get_tracking_uri, set_tracking_uri
from mltrail.tracking.active_run import (
    ActiveRun,
    last_active_run_id,
    run_stack,
    set_last_active_run_id,
)
from mltrail.tracking.client import MlflowClient
from mltrail.utils.artifact_paths import validate_artifact_path

if TYPE_CHECKING:
    import pandas as pd

    from mltrail.tracking.async_logging import RunOperations

__all__ = [
    "ActiveRun",
    "active_run",
    "create_experiment",
    "delete_experiment",
    "delete_run",
    "delete_tag",
    "end_run",
    "flush_async_logging",
    "get_artifact_uri",
    "get_experiment",
    "get_experiment_by_name",
    "get_parent_run",
    "get_run",
    "get_tracking_uri",
    "last_active_run",
    "log_artifact",
    "log_artifacts",
    "log_dict",
    "log_figure",
    "log_image",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "log_text",
    "search_experiments",
    "search_runs",
    "set_experiment",
    "set_experiment_tag",
    "set_experiment_tags",
    "set_tag",
    "set_tags",
    "set_tracking_uri",
    "start_run",
]

_logger = logging.getLogger(__name__)
_RUN_ID_PATTERN = re.compile(r"^[a-zA-Z0-9][\w\-]{0,255}$")
SEARCH_MAX_RESULTS_PANDAS = 100000
RUNS_PER_PAGE_PANDAS = 10000
_atexit_lock = threading.Lock()
_atexit_registered = False


# ---- run lifecycle ----------------------------------------------------------------------------
def _register_atexit() -> None:
    global _atexit_registered
    with _atexit_lock:
        if not _atexit_registered:
            atexit.register(_end_runs_at_exit)
            _atexit_registered = True


def _end_runs_at_exit() -> None:
    died = getattr(sys, "last_value", None) is not None and not hasattr(sys, "ps1")
    status = "FAILED" if died else "FINISHED"
    while run_stack():
        try:
            end_run(status)
        except Exception:
            _logger.warning("Could not end run at exit", exc_info=True)
    try:
        _async_loggers.shutdown_all()
    except Exception:
        _logger.warning("Could not write queued async logging at exit", exc_info=True)


def _note_tags(tags: dict[str, Any], description: str | None) -> None:
    if not description:
        return
    if context.MLFLOW_RUN_NOTE in tags:
        raise MlflowException(
            f"The description is set twice: by description= and by the tag "
            f"{context.MLFLOW_RUN_NOTE!r} in tags. Remove one of them.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    tags[context.MLFLOW_RUN_NOTE] = description


def _resume_run(
    client: MlflowClient, run_id: str, tags: Mapping[str, Any] | None, description: str | None
) -> Run:
    if not isinstance(run_id, str) or not _RUN_ID_PATTERN.match(run_id):
        raise MlflowException(
            f"Invalid run ID: {run_id!r}. Run IDs are 32 hexadecimal characters.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    run = client.get_run(run_id)
    active_experiment = _active_experiment.active_experiment_id()
    if active_experiment is not None and active_experiment != run.info.experiment_id:
        raise MlflowException(
            f"Cannot resume run {run_id}: it belongs to experiment {run.info.experiment_id}, "
            f"but the active experiment (set with set_experiment()) is {active_experiment}. "
            "Activate the run's experiment first.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if run.info.lifecycle_stage == LifecycleStage.DELETED:
        raise MlflowException(
            f"Cannot resume run {run_id} because it is deleted. Restore it first with "
            f"MlflowClient().restore_run('{run_id}').",
            error_code=INVALID_PARAMETER_VALUE,
        )
    client.store.update_run_info(run_id, _values.run_status("RUNNING"), run.info.end_time, None)
    extra_tags = dict(tags or {})
    _note_tags(extra_tags, description)
    if extra_tags:
        client.log_batch(run_id, tags=_values.run_tags(extra_tags), synchronous=True)
    return client.get_run(run_id)


def _parent_for(client: MlflowClient, nested: bool, parent_run_id: str | None) -> str | None:
    stack = run_stack()
    if parent_run_id is None:
        return stack[-1].info.run_id if (nested and stack) else None
    if stack and stack[-1].info.run_id != parent_run_id:
        raise MlflowException(
            f"The active run {stack[-1].info.run_id} is not the parent_run_id {parent_run_id} "
            "you gave. End the active run with end_run() first, or omit parent_run_id.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    parent = client.get_run(parent_run_id)
    if parent.info.lifecycle_stage != LifecycleStage.ACTIVE:
        raise MlflowException(
            f"The parent run {parent_run_id} is deleted; restore it or choose another parent.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return parent_run_id


def start_run(
    run_id: str | None = None,
    experiment_id: str | None = None,
    run_name: str | None = None,
    nested: bool = False,
    parent_run_id: str | None = None,
    tags: Mapping[str, Any] | None = None,
    description: str | None = None,
    log_system_metrics: bool | None = None,
) -> ActiveRun:
    """Start a run (or resume ``run_id``) and make it this thread's active run.

    Use it as ``with mltrail.start_run(): ...`` to end the run automatically. Without
    ``run_id`` a new run is created in ``experiment_id``, else the active experiment; it gets
    the system tags (user, source, git) plus ``tags``. With ``run_id`` (or ``MLFLOW_RUN_ID``)
    that run is set back to RUNNING. A second run while one is active needs ``nested=True``.
    """
    stack = run_stack()
    if stack and not nested:
        raise MlflowException(
            f"Run with UUID {stack[0].info.run_id} is already active. To start a new run, "
            "first end the current run with mlflow.end_run(). To start a nested run, call "
            "start_run with nested=True.",
            error_code=INVALID_STATE,
        )
    if experiment_id is not None:
        experiment_id = _values.experiment_id(experiment_id)
    client = MlflowClient()
    existing_run_id = run_id or MLFLOW_RUN_ID.get()
    if not run_id and existing_run_id:
        MLFLOW_RUN_ID.unset()
    if existing_run_id:
        run = _resume_run(client, existing_run_id, tags, description)
    else:
        user_tags = dict(tags or {})
        _note_tags(user_tags, description)
        parent = _parent_for(client, nested, parent_run_id)
        if parent is not None:
            user_tags[context.MLFLOW_PARENT_RUN_ID] = parent
        if run_name:
            user_tags[context.MLFLOW_RUN_NAME] = run_name
        run = client.create_run(
            experiment_id or _active_experiment.current_experiment_id(),
            tags=context.resolve_tags(user_tags),
            run_name=run_name or None,
        )
    if log_system_metrics is None:
        log_system_metrics = MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING.get()
    if log_system_metrics:
        _logger.warning("System metrics logging is not supported by mltrail yet; skipping it.")
    _register_atexit()
    active = ActiveRun(run)
    stack.append(active)
    return active


def end_run(status: str = "FINISHED") -> None:
    """End this thread's active run (if any) with ``status``; queued async logging is written
    first and its failures are raised here."""
    _values.run_status(status)
    stack = run_stack()
    if not stack:
        return
    run = stack.pop()
    set_last_active_run_id(run.info.run_id)
    MLFLOW_RUN_ID.unset()
    MlflowClient().set_terminated(run.info.run_id, status)


def end_run_by_id(run_id: str, status: str) -> None:
    """End ``run_id`` if it is still active in this thread, ending its nested runs first."""
    stack = run_stack()
    if not any(run.info.run_id == run_id for run in stack):
        return
    while stack and stack[-1].info.run_id != run_id:
        end_run(status)
    end_run(status)


def active_run() -> ActiveRun | None:
    """This thread's active run, or None. Its data is a snapshot from when it started."""
    stack = run_stack()
    return stack[-1] if stack else None


def last_active_run() -> Run | None:
    """The active run if there is one, else the run this thread ended last (fresh from the
    store), else None."""
    run = active_run()
    run_id = run.info.run_id if run is not None else last_active_run_id()
    return None if run_id is None else MlflowClient().get_run(run_id)


def _get_or_start_run() -> ActiveRun:
    run = active_run()
    return run if run is not None else start_run()


def _run_id(run_id: str | None = None) -> str:
    return run_id or _get_or_start_run().info.run_id


def get_run(run_id: str) -> Run:
    return MlflowClient().get_run(run_id)


def get_parent_run(run_id: str) -> Run | None:
    """The parent of a nested run, or None."""
    return MlflowClient().get_parent_run(run_id)


def delete_run(run_id: str) -> None:
    MlflowClient().delete_run(run_id)


def flush_async_logging() -> None:
    """Wait until every queued ``synchronous=False`` logging call is written."""
    _async_loggers.flush()


# ---- logging ----------------------------------------------------------------------------------
def log_param(key: str, value: Any, synchronous: bool | None = None) -> Any:
    """Log a parameter of the active run; returns ``value`` (a RunOperations when async)."""
    return MlflowClient().log_param(_run_id(), key, value, synchronous=synchronous)


def log_params(
    params: Mapping[str, Any], synchronous: bool | None = None, run_id: str | None = None
) -> RunOperations | None:
    """Log several parameters in one batch."""
    params_list = [_values.param(key, value) for key, value in params.items()]
    return MlflowClient().log_batch(_run_id(run_id), params=params_list, synchronous=synchronous)


def log_metric(
    key: str,
    value: float,
    step: int | None = None,
    synchronous: bool | None = None,
    timestamp: int | None = None,
    run_id: str | None = None,
    model_id: str | None = None,
) -> RunOperations | None:
    """Log one metric point (step 0 and the current time by default)."""
    return MlflowClient().log_metric(
        _run_id(run_id), key, value, timestamp, step, synchronous=synchronous, model_id=model_id
    )


def log_metrics(
    metrics: Mapping[str, float],
    step: int | None = None,
    synchronous: bool | None = None,
    run_id: str | None = None,
    timestamp: int | None = None,
    model_id: str | None = None,
) -> RunOperations | None:
    """Log several metrics at the same step and time in one batch."""
    from mltrail.utils.time import now_millis

    when = now_millis() if timestamp is None else timestamp
    metric_list = [
        _values.make_metric(key, value, when, step, model_id=model_id)
        for key, value in metrics.items()
    ]
    return MlflowClient().log_batch(_run_id(run_id), metrics=metric_list, synchronous=synchronous)


def set_tag(key: str, value: Any, synchronous: bool | None = None) -> RunOperations | None:
    """Set a tag on the active run (``mlflow.runName`` renames it)."""
    return MlflowClient().set_tag(_run_id(), key, value, synchronous=synchronous)


def set_tags(tags: Mapping[str, Any], synchronous: bool | None = None) -> RunOperations | None:
    """Set several tags on the active run in one batch."""
    tag_list = _values.run_tags(tags)
    return MlflowClient().log_batch(_run_id(), tags=tag_list, synchronous=synchronous)


def delete_tag(key: str) -> None:
    MlflowClient().delete_tag(_run_id(), key)


# ---- artifacts --------------------------------------------------------------------------------
def log_artifact(
    local_path: str | os.PathLike[str], artifact_path: str | None = None, run_id: str | None = None
) -> None:
    """Upload a local file (or directory) to the active run's artifacts."""
    MlflowClient().log_artifact(_run_id(run_id), local_path, artifact_path)


def log_artifacts(
    local_dir: str | os.PathLike[str], artifact_path: str | None = None, run_id: str | None = None
) -> None:
    """Upload the contents of a local directory to the active run's artifacts."""
    MlflowClient().log_artifacts(_run_id(run_id), local_dir, artifact_path)


def log_text(text: str, artifact_file: str, run_id: str | None = None) -> None:
    MlflowClient().log_text(_run_id(run_id), text, artifact_file)


def log_dict(dictionary: Any, artifact_file: str, run_id: str | None = None) -> None:
    MlflowClient().log_dict(_run_id(run_id), dictionary, artifact_file)


def log_figure(
    figure: Any, artifact_file: str, *, save_kwargs: Mapping[str, Any] | None = None
) -> None:
    MlflowClient().log_figure(_run_id(), figure, artifact_file, save_kwargs=save_kwargs)


def log_image(
    image: Any,
    artifact_file: str | None = None,
    key: str | None = None,
    step: int | None = None,
    timestamp: int | None = None,
    synchronous: bool | None = False,
) -> None:
    """Log a numpy array or PIL image as ``artifact_file``, or as step ``step`` of ``key``."""
    client = MlflowClient()
    client.log_image(_run_id(), image, artifact_file, key, step, timestamp, synchronous)


def get_artifact_uri(artifact_path: str | None = None) -> str:
    """The URI of the active run's artifact root, or of ``artifact_path`` under it."""
    root = MlflowClient().get_run(_run_id()).info.artifact_uri
    if not artifact_path:
        return root
    return posixpath.join(root, validate_artifact_path(artifact_path))


# ---- experiments ------------------------------------------------------------------------------
def create_experiment(
    name: str, artifact_location: str | None = None, tags: Mapping[str, Any] | None = None
) -> str:
    return MlflowClient().create_experiment(name, artifact_location, tags)


def get_experiment(experiment_id: str) -> Experiment:
    return MlflowClient().get_experiment(experiment_id)


def get_experiment_by_name(name: str) -> Experiment | None:
    return MlflowClient().get_experiment_by_name(name)


def delete_experiment(experiment_id: str) -> None:
    MlflowClient().delete_experiment(experiment_id)


def search_experiments(
    view_type: int = ViewType.ACTIVE_ONLY,
    max_results: int | None = None,
    filter_string: str | None = None,
    order_by: Sequence[str] | None = None,
) -> list[Experiment]:
    """All matching experiments (every page), or the first ``max_results``."""
    client = MlflowClient()
    found: list[Experiment] = []
    token: str | None = None
    while max_results is None or len(found) < max_results:
        page_size = 1000 if max_results is None else min(1000, max_results - len(found))
        page = client.search_experiments(view_type, page_size, filter_string, order_by, token)
        found.extend(page)
        token = page.token
        if not token:
            break
    return found


def set_experiment_tag(key: str, value: Any) -> None:
    """Set a tag on the active experiment."""
    MlflowClient().set_experiment_tag(_active_experiment.current_experiment_id(), key, value)


def set_experiment_tags(tags: Mapping[str, Any]) -> None:
    for key, value in tags.items():
        set_experiment_tag(key, value)


# ---- search -----------------------------------------------------------------------------------
def _experiment_ids_for_search(
    experiment_ids: Sequence[str] | str | None,
    experiment_names: Sequence[str] | None,
    search_all_experiments: bool,
) -> list[str]:
    if isinstance(experiment_ids, str | int):
        experiment_ids = [experiment_ids]  # type: ignore[list-item]
    if experiment_ids and experiment_names:
        raise MlflowException(
            "Only experiment_ids or experiment_names can be used, but not both.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    if experiment_ids:
        return [_values.experiment_id(e) for e in experiment_ids]
    if experiment_names:
        ids = []
        for name in experiment_names:
            experiment = get_experiment_by_name(name) if name is not None else None
            if experiment is None:
                _logger.warning("Cannot retrieve experiment by name %s", name)
            else:
                ids.append(experiment.experiment_id)
        return ids
    if search_all_experiments:
        return [e.experiment_id for e in search_experiments(ViewType.ACTIVE_ONLY)]
    return [_active_experiment.current_experiment_id()]


def search_runs(
    experiment_ids: Sequence[str] | None = None,
    filter_string: str = "",
    run_view_type: int = ViewType.ACTIVE_ONLY,
    max_results: int = SEARCH_MAX_RESULTS_PANDAS,
    order_by: Sequence[str] | None = None,
    output_format: str = "pandas",
    search_all_experiments: bool = False,
    experiment_names: Sequence[str] | None = None,
) -> pd.DataFrame | list[Run]:
    """Search runs; a DataFrame (``metrics.*``, ``params.*``, ``tags.*`` columns) by default.

    Searches the active experiment unless ``experiment_ids``, ``experiment_names`` or
    ``search_all_experiments=True`` say otherwise. ``output_format="list"`` gives Run objects.
    """
    if output_format not in ("pandas", "list"):
        raise MlflowException(
            f"Unsupported output format {output_format!r}: use 'pandas' or 'list'.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    ids = _experiment_ids_for_search(experiment_ids, experiment_names, search_all_experiments)
    runs: list[Run] = []
    if ids:
        client = MlflowClient()
        token: str | None = None
        while len(runs) < max_results:
            page_size = min(RUNS_PER_PAGE_PANDAS, max_results - len(runs))
            page = client.search_runs(ids, filter_string, run_view_type, page_size, order_by, token)
            runs.extend(page)
            token = page.token
            if not token:
                break
    if output_format == "list":
        return runs
    from mltrail.tracking._runs_frame import runs_to_frame
    from mltrail.utils.bulk import collector_paused

    with collector_paused():
        return runs_to_frame(runs)
