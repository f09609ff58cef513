"""The tracking store protocol: the one interface every tracking back end implements.

The SQL store, the file store and the REST store all implement this class, so the client
never knows which one it talks to. Ids are strings at this boundary (experiment ids are
decimal integers rendered as strings, run ids are 32 hex characters).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mltrail.entities import (
    DatasetInput,
    Experiment,
    ExperimentTag,
    LoggedModel,
    LoggedModelInput,
    LoggedModelOutput,
    Metric,
    PagedList,
    Param,
    Run,
    RunInfo,
    RunTag,
    ViewType,
)

if TYPE_CHECKING:
    from mltrail.store.tracking.ui_queries import (
        ExperimentColumns,
        ReducedHistory,
        RunsTablePage,
    )

SEARCH_MAX_RESULTS_DEFAULT = 1000
SEARCH_MAX_RESULTS_THRESHOLD = 50000


def _unsupported(store: object, operation: str) -> Exception:
    from mltrail.exceptions import NOT_IMPLEMENTED, MlflowException

    return MlflowException(
        f"{type(store).__name__} does not support {operation}; use a database (sqlite:///...) "
        "or a tracking server (http://...) as the tracking URI.",
        error_code=NOT_IMPLEMENTED,
    )


class AbstractTrackingStore(ABC):
    # ---- experiments -------------------------------------------------------------------------
    @abstractmethod
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Sequence[ExperimentTag] | None = None,
    ) -> str:
        """Create an experiment and return its id. Duplicate names (even deleted) are an error."""

    @abstractmethod
    def get_experiment(self, experiment_id: str) -> Experiment: ...

    @abstractmethod
    def get_experiment_by_name(self, experiment_name: str) -> Experiment | None: ...

    @abstractmethod
    def delete_experiment(self, experiment_id: str) -> None: ...

    @abstractmethod
    def restore_experiment(self, experiment_id: str) -> None: ...

    @abstractmethod
    def rename_experiment(self, experiment_id: str, new_name: str) -> None: ...

    @abstractmethod
    def search_experiments(
        self,
        view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Experiment]: ...

    @abstractmethod
    def set_experiment_tag(self, experiment_id: str, tag: ExperimentTag) -> None: ...

    @abstractmethod
    def delete_experiment_tag(self, experiment_id: str, key: str) -> None: ...

    # ---- runs --------------------------------------------------------------------------------
    @abstractmethod
    def create_run(
        self,
        experiment_id: str,
        user_id: str | None,
        start_time: int | None,
        tags: Sequence[RunTag] | None,
        run_name: str | None,
    ) -> Run:
        """Create a RUNNING run. The name comes from ``run_name``, else the ``mlflow.runName``
        tag, else a generated one; the tag always mirrors the name."""

    @abstractmethod
    def get_run(self, run_id: str) -> Run: ...

    @abstractmethod
    def update_run_info(
        self,
        run_id: str,
        run_status: int | None,
        end_time: int | None,
        run_name: str | None,
    ) -> RunInfo: ...

    @abstractmethod
    def delete_run(self, run_id: str) -> None: ...

    @abstractmethod
    def restore_run(self, run_id: str) -> None: ...

    @abstractmethod
    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric],
        params: Sequence[Param],
        tags: Sequence[RunTag],
    ) -> None:
        """Log all of them in one transaction: either everything is kept or nothing is."""

    def log_metric(self, run_id: str, metric: Metric) -> None:
        self.log_batch(run_id, [metric], (), ())

    def log_param(self, run_id: str, param: Param) -> None:
        self.log_batch(run_id, (), [param], ())

    def set_tag(self, run_id: str, tag: RunTag) -> None:
        self.log_batch(run_id, (), (), [tag])

    @abstractmethod
    def delete_tag(self, run_id: str, key: str) -> None: ...

    @abstractmethod
    def get_metric_history(
        self,
        run_id: str,
        metric_key: str,
        max_results: int | None = None,
        page_token: str | None = None,
    ) -> PagedList[Metric]:
        """Every point of one metric, ordered by timestamp, step, value."""

    @abstractmethod
    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str = "",
        run_view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Run]: ...

    # ---- run inputs and outputs ---------------------------------------------------------------
    # Not abstract: stores without logged models answer NOT_IMPLEMENTED.
    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] | None = None,
        models: Sequence[LoggedModelInput] | None = None,
    ) -> None:
        """Link datasets and logged models the run used (relinking is a no-op)."""
        raise _unsupported(self, "log_inputs")

    def log_outputs(self, run_id: str, models: Sequence[LoggedModelOutput]) -> None:
        """Link logged models the run produced."""
        raise _unsupported(self, "log_outputs")

    # ---- logged models ------------------------------------------------------------------------
    def create_logged_model(
        self,
        experiment_id: str,
        name: str | None = None,
        source_run_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        model_type: str | None = None,
    ) -> LoggedModel:
        """A PENDING model with artifacts under ``<experiment location>/models/<id>/artifacts``."""
        raise _unsupported(self, "logged models")

    def get_logged_model(self, model_id: str, allow_deleted: bool = False) -> LoggedModel:
        raise _unsupported(self, "logged models")

    def finalize_logged_model(self, model_id: str, status: str) -> LoggedModel:
        """Set the status (a ``LoggedModelStatus`` name, e.g. ``LOGGED_MODEL_READY``)."""
        raise _unsupported(self, "logged models")

    def set_logged_model_tags(self, model_id: str, tags: Mapping[str, str]) -> None:
        raise _unsupported(self, "logged models")

    def delete_logged_model_tag(self, model_id: str, key: str) -> None:
        raise _unsupported(self, "logged models")

    def log_logged_model_params(self, model_id: str, params: Mapping[str, str]) -> None:
        raise _unsupported(self, "logged models")

    def delete_logged_model(self, model_id: str) -> None:
        raise _unsupported(self, "logged models")

    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[Mapping[str, Any]] | None = None,
        max_results: int | None = None,
        order_by: Sequence[Mapping[str, Any]] | None = None,
        page_token: str | None = None,
    ) -> PagedList[LoggedModel]:
        """``datasets``: ``{dataset_name, dataset_digest?}`` dicts; ``order_by``:
        ``{field_name, ascending?, dataset_name?, dataset_digest?}`` dicts."""
        raise _unsupported(self, "logged models")

    # ---- web UI queries (generic defaults; the SQL store answers each in a few queries) ------
    def search_runs_table(
        self,
        experiment_ids: Sequence[str],
        filter_string: str = "",
        run_view_type: int | str = ViewType.ACTIVE_ONLY,
        max_results: int = 1000,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
        param_keys: Sequence[str] = (),
        metric_keys: Sequence[str] = (),
        tag_keys: Sequence[str] = (),
    ) -> RunsTablePage:
        """A page of runs as table rows with only the requested param/metric/tag keys (same
        filter, order and paging as ``search_runs``); ``total_count`` on the first page."""
        from mltrail.store.tracking import ui_generic
        from mltrail.store.tracking.ui_queries import table_request

        request = table_request(
            experiment_ids, filter_string, run_view_type, max_results, order_by, page_token,
            param_keys, metric_keys, tag_keys,
        )  # fmt: skip
        return ui_generic.runs_table(self, request)

    def get_experiment_columns(self, experiment_ids: Sequence[str]) -> ExperimentColumns:
        """Distinct param, metric and tag keys of the experiments' runs, sorted and capped."""
        from mltrail.store.tracking import ui_generic
        from mltrail.store.tracking.ui_queries import experiment_ids_in_range

        return ui_generic.experiment_columns(self, experiment_ids_in_range(experiment_ids))

    def get_metric_history_reduced(
        self,
        run_id: str,
        metric_key: str,
        x_axis: str = "step",
        buckets: int = 1000,
        x_min: float | None = None,
        x_max: float | None = None,
    ) -> ReducedHistory:
        """One metric reduced to ``buckets`` x intervals (or raw when the window is small)."""
        from mltrail.store.tracking import ui_generic
        from mltrail.store.tracking.ui_queries import history_request

        request = history_request(run_id, metric_key, x_axis, buckets, x_min, x_max)
        return ui_generic.reduced_history(self, request)
