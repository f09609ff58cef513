"""``MlflowClient``: explicit, id-based access to experiments, runs and their artifacts.

A thin facade over the tracking store chosen by the tracking URI: it converts user values
(``str()`` for params and tags, ``float()`` for metric values, default timestamps and steps),
splits big batches, routes ``synchronous=False`` logging through the background logger and
finds each run's artifact repository. The store validates and writes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mltrail.entities import (
    Experiment,
    ExperimentTag,
    FileInfo,
    Metric,
    PagedList,
    Param,
    Run,
    RunStatus,
    RunTag,
    ViewType,
)
from mltrail.tracking import _async_loggers, _values
from mltrail.tracking._logged_models import LoggedModelsMixin
from mltrail.tracking._model_registry import ModelRegistryMixin
from mltrail.tracking._tracking_uri import (
    as_uri_string,
    explicit_registry_uri,
    get_tracking_uri,
)
from mltrail.tracking.context import MLFLOW_PARENT_RUN_ID, MLFLOW_USER
from mltrail.utils.time import now_millis

if TYPE_CHECKING:
    from mltrail.store.artifacts.base import ArtifactRepository
    from mltrail.store.tracking.abstract import AbstractTrackingStore
    from mltrail.tracking.async_logging import RunOperations

SEARCH_MAX_RESULTS_DEFAULT = 1000
MLFLOW_LOGGED_IMAGES = "mlflow.loggedImages"


class MlflowClient(LoggedModelsMixin, ModelRegistryMixin):
    """Client of a tracking store: ``MlflowClient()`` uses the current tracking URI.

    Creating a client is cheap; the store is opened (and cached per URI) on first use.
    """

    def __init__(
        self,
        tracking_uri: str | os.PathLike[str] | None = None,
        registry_uri: str | os.PathLike[str] | None = None,
    ) -> None:
        self._tracking_uri = as_uri_string(tracking_uri) if tracking_uri else get_tracking_uri()
        self._registry_uri = as_uri_string(registry_uri) if registry_uri else None
        self._store: AbstractTrackingStore | None = None
        self._artifact_uris: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"MlflowClient(tracking_uri={self._tracking_uri!r})"

    @property
    def tracking_uri(self) -> str:
        return self._tracking_uri

    @property
    def registry_uri(self) -> str:
        """The model registry URI: given, set globally, ``MLFLOW_REGISTRY_URI``, else tracking."""
        return self._registry_uri or explicit_registry_uri() or self._tracking_uri

    @property
    def store(self) -> AbstractTrackingStore:
        """The tracking store behind this client."""
        if self._store is None:
            from mltrail.store.tracking.resolve import get_tracking_store

            self._store = get_tracking_store(self._tracking_uri)
        return self._store

    # ---- experiments ---------------------------------------------------------------------------
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Mapping[str, Any] | None = None,
    ) -> str:
        """Create an experiment and return its id. Names are unique, deleted ones included."""
        return self.store.create_experiment(name, artifact_location, _values.experiment_tags(tags))

    def get_experiment(self, experiment_id: str) -> Experiment:
        return self.store.get_experiment(_values.experiment_id(experiment_id))

    def get_experiment_by_name(self, name: str) -> Experiment | None:
        """The experiment called ``name`` (active or deleted), or None."""
        return self.store.get_experiment_by_name(name)

    def delete_experiment(self, experiment_id: str) -> None:
        self.store.delete_experiment(_values.experiment_id(experiment_id))

    def restore_experiment(self, experiment_id: str) -> None:
        self.store.restore_experiment(_values.experiment_id(experiment_id))

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        self.store.rename_experiment(_values.experiment_id(experiment_id), new_name)

    def search_experiments(
        self,
        view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Experiment]:
        """One page of experiments; pass ``.token`` as ``page_token`` for the next one."""
        return self.store.search_experiments(
            view_type=view_type,
            max_results=max_results,
            filter_string=filter_string,
            order_by=order_by,
            page_token=page_token,
        )

    def set_experiment_tag(self, experiment_id: str, key: str, value: Any) -> None:
        self.store.set_experiment_tag(
            _values.experiment_id(experiment_id), ExperimentTag(key, str(value))
        )

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        self.store.delete_experiment_tag(_values.experiment_id(experiment_id), key)

    # ---- runs ----------------------------------------------------------------------------------
    def create_run(
        self,
        experiment_id: str,
        start_time: int | None = None,
        tags: Mapping[str, Any] | None = None,
        run_name: str | None = None,
    ) -> Run:
        """Create a RUNNING run. No system tags are added here (``mltrail.start_run`` does)."""
        tag_list = _values.run_tags(tags)
        user_id = next((t.value for t in tag_list if t.key == MLFLOW_USER), "unknown")
        return self.store.create_run(
            experiment_id=_values.experiment_id(experiment_id),
            user_id=user_id,
            start_time=now_millis() if start_time is None else int(start_time),
            tags=tag_list,
            run_name=run_name,
        )

    def get_run(self, run_id: str) -> Run:
        """The run with its latest metrics, params and tags (deleted runs too)."""
        return self.store.get_run(run_id)

    def get_parent_run(self, run_id: str) -> Run | None:
        """The run named by the ``mlflow.parentRunId`` tag of ``run_id``, or None."""
        parent_id = self.get_run(run_id).data.tags.get(MLFLOW_PARENT_RUN_ID)
        return self.get_run(parent_id) if parent_id else None

    def update_run(self, run_id: str, status: str | None = None, name: str | None = None) -> None:
        """Change a run's status and/or name; other fields are kept."""
        if status is None and name is None:
            return
        info = self.store.get_run(run_id).info
        new_status = _values.run_status(status if status is not None else info.status)
        self.store.update_run_info(run_id, new_status, info.end_time, name)

    def set_terminated(
        self, run_id: str, status: str | None = None, end_time: int | None = None
    ) -> None:
        """End a run: status ``FINISHED`` by default, end time now.

        Queued background logging for the run is written first; if that fails the run is
        marked FAILED and the failure is raised.
        """
        status_number = _values.run_status(status or "FINISHED")
        end = now_millis() if end_time is None else int(end_time)
        try:
            _async_loggers.flush(self.store, run_id)
        except Exception:
            self.store.update_run_info(run_id, RunStatus.FAILED, end, None)
            raise
        self.store.update_run_info(run_id, status_number, end, None)

    def delete_run(self, run_id: str) -> None:
        self.store.delete_run(run_id)

    def restore_run(self, run_id: str) -> None:
        self.store.restore_run(run_id)

    def search_runs(
        self,
        experiment_ids: str | Sequence[str],
        filter_string: str = "",
        run_view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Run]:
        """One page of runs; pass ``.token`` as ``page_token`` for the next one."""
        if isinstance(experiment_ids, str | int):
            experiment_ids = [experiment_ids]  # type: ignore[list-item]
        return self.store.search_runs(
            experiment_ids=[_values.experiment_id(e) for e in experiment_ids],
            filter_string=filter_string or "",
            run_view_type=run_view_type,
            max_results=max_results,
            order_by=order_by,
            page_token=page_token,
        )

    # ---- logging -------------------------------------------------------------------------------
    def _write(
        self,
        run_id: str,
        metrics: Sequence[Metric],
        params: Sequence[Param],
        tags: Sequence[RunTag],
        synchronous: bool | None,
    ) -> RunOperations | None:
        if _async_loggers.use_async(synchronous):
            return _async_loggers.logger_for(self.store).enqueue(
                run_id, list(metrics), list(params), list(tags)
            )
        _async_loggers.log_batch_in_chunks(self.store, run_id, metrics, params, tags)
        return None

    def log_metric(
        self,
        run_id: str,
        key: str,
        value: float,
        timestamp: int | None = None,
        step: int | None = None,
        synchronous: bool | None = None,
        dataset_name: str | None = None,
        dataset_digest: str | None = None,
        model_id: str | None = None,
    ) -> RunOperations | None:
        """Log one metric point (timestamp defaults to now, step to 0)."""
        metric = _values.make_metric(
            key,
            value,
            timestamp,
            step,
            model_id=model_id,
            dataset_name=dataset_name,
            dataset_digest=dataset_digest,
        )
        return self._write(run_id, [metric], (), (), synchronous)

    def log_param(self, run_id: str, key: str, value: Any, synchronous: bool | None = None) -> Any:
        """Log a parameter (stored as ``str(value)``); returns ``value`` when synchronous."""
        operations = self._write(run_id, (), [_values.param(key, value)], (), synchronous)
        return value if operations is None else operations

    def set_tag(
        self, run_id: str, key: str, value: Any, synchronous: bool | None = None
    ) -> RunOperations | None:
        """Set a tag (stored as ``str(value)``); setting ``mlflow.runName`` renames the run."""
        return self._write(run_id, (), (), [_values.run_tag(key, value)], synchronous)

    def delete_tag(self, run_id: str, key: str) -> None:
        self.store.delete_tag(run_id, key)

    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric] = (),
        params: Sequence[Param] = (),
        tags: Sequence[RunTag] = (),
        synchronous: bool | None = None,
    ) -> RunOperations | None:
        """Log metrics, params and tags together (split into batches within the limits)."""
        if not (metrics or params or tags):
            return None
        return self._write(run_id, metrics, params, tags, synchronous)

    def get_metric_history(self, run_id: str, key: str) -> list[Metric]:
        """Every logged point of one metric, ordered by timestamp, step and value.

        Stores return the whole history when no page size is given (the REST store follows
        the server's pages itself), so a SQL store answers with one index range scan.
        """
        return list(self.store.get_metric_history(run_id, key))

    # ---- artifacts -----------------------------------------------------------------------------
    def _artifact_repo(self, run_id: str) -> ArtifactRepository:
        """The repository of the run's artifact root (the root URI is cached per run)."""
        from mltrail.store.artifacts import get_artifact_repository

        uri = self._artifact_uris.get(run_id)
        if uri is None:
            uri = self.store.get_run(run_id).info.artifact_uri
            self._artifact_uris[run_id] = uri
        return get_artifact_repository(uri)

    def log_artifact(
        self, run_id: str, local_path: str | os.PathLike[str], artifact_path: str | None = None
    ) -> None:
        """Upload a local file (or a directory, under its own name) into ``artifact_path``."""
        from mltrail.tracking._artifacts import log_local_path

        log_local_path(self._artifact_repo(run_id), local_path, artifact_path)

    def log_artifacts(
        self, run_id: str, local_dir: str | os.PathLike[str], artifact_path: str | None = None
    ) -> None:
        """Upload the contents of a local directory into ``artifact_path``."""
        self._artifact_repo(run_id).log_artifacts(os.fspath(local_dir), artifact_path)

    def _log_generated(self, run_id: str, artifact_file: str, write: Callable[[str], Any]) -> None:
        from mltrail.tracking._artifacts import log_generated_file

        log_generated_file(self._artifact_repo(run_id), artifact_file, write)

    def log_text(self, run_id: str, text: str, artifact_file: str) -> None:
        """Save ``text`` as the artifact ``artifact_file`` (e.g. ``"notes/summary.txt"``)."""
        from mltrail.tracking.artifact_writers import write_text

        self._log_generated(run_id, artifact_file, lambda path: write_text(text, path))

    def log_dict(self, run_id: str, dictionary: Any, artifact_file: str) -> None:
        """Save ``dictionary`` as JSON, or YAML when ``artifact_file`` ends in .yaml/.yml."""
        from mltrail.tracking.artifact_writers import write_dict

        self._log_generated(run_id, artifact_file, lambda path: write_dict(dictionary, path))

    def log_figure(
        self,
        run_id: str,
        figure: Any,
        artifact_file: str,
        *,
        save_kwargs: Mapping[str, Any] | None = None,
    ) -> None:
        """Save a matplotlib (or plotly) figure as ``artifact_file`` (.png, .svg, .html, ...)."""
        from mltrail.tracking.artifact_writers import write_figure

        kwargs = dict(save_kwargs or {})
        self._log_generated(run_id, artifact_file, lambda path: write_figure(figure, path, kwargs))

    def log_image(
        self,
        run_id: str,
        image: Any,
        artifact_file: str | None = None,
        key: str | None = None,
        step: int | None = None,
        timestamp: int | None = None,
        synchronous: bool | None = None,
    ) -> None:
        """Save a numpy array or PIL image.

        Either as ``artifact_file``, or (with ``key``, optional ``step``/``timestamp``) as a
        step-indexed image under ``images/``, as MLflow 2.16+ does.
        """
        from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
        from mltrail.tracking.artifact_writers import write_image

        if (artifact_file is None) == (key is None):
            raise MlflowException(
                "log_image needs exactly one of artifact_file (a file name such as "
                "'image.png') or key (to log a series of images by step).",
                error_code=INVALID_PARAMETER_VALUE,
            )
        if key is not None:
            when = _values.metric_timestamp(key, timestamp)
            from mltrail.tracking._artifacts import image_artifact_file

            artifact_file = image_artifact_file(key, _values.metric_step(key, step), when)
            self.set_tag(run_id, MLFLOW_LOGGED_IMAGES, "true", synchronous=True)
        assert artifact_file is not None
        self._log_generated(run_id, artifact_file, lambda path: write_image(image, path))

    def list_artifacts(self, run_id: str, path: str | None = None) -> list[FileInfo]:
        """The direct children of ``path`` (the run's artifact root by default)."""
        return self._artifact_repo(run_id).list_artifacts(path)

    def download_artifacts(
        self, run_id: str, path: str, dst_path: str | os.PathLike[str] | None = None
    ) -> str:
        """Download a run artifact (file or directory) and return its local path."""
        destination = None if dst_path is None else os.fspath(dst_path)
        return self._artifact_repo(run_id).download_artifacts(path, destination)
