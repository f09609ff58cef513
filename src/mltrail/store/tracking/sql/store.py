"""SqlTrackingStore: the tracking store over SQLite, PostgreSQL or MySQL/MariaDB.

A thin facade: each method delegates to the module that owns the concern (experiments, runs,
batch logging, history, search, logged models, run inputs/outputs). Safe to share between
threads: every call takes its own pooled connection and transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

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
from mltrail.store.tracking.abstract import SEARCH_MAX_RESULTS_DEFAULT, AbstractTrackingStore
from mltrail.store.tracking.sql import (
    batch,
    experiments,
    history,
    logged_model_search,
    logged_models,
    reduced_history,
    run_io,
    run_table,
    runs,
    search,
)
from mltrail.store.tracking.sql.engine import Database, get_database
from mltrail.store.tracking.sql.locations import resolve_root
from mltrail.store.tracking.sql.migrate import ensure_schema
from mltrail.store.tracking.ui_queries import (
    ExperimentColumns,
    ReducedHistory,
    RunsTablePage,
    experiment_ids_in_range,
    history_request,
    table_request,
)
from mltrail.utils.time import now_millis


def _open(db_uri: str, artifact_root: str) -> Database:
    """The Database for ``db_uri``, its schema created or upgraded once per process."""
    database = get_database(db_uri)
    if not database.schema_ready:
        with database.schema_lock:
            if not database.schema_ready:
                ensure_schema(
                    database,
                    lambda conn: experiments.create_default_experiment(conn, artifact_root),
                )
                database.schema_ready = True
    return database


class SqlTrackingStore(AbstractTrackingStore):
    """Tracking data in a SQL database (``sqlite:///mlflow.db``, ``postgresql://...``,
    ``mysql://...``); artifacts of experiment N go under ``<default_artifact_root>/N``."""

    def __init__(self, db_uri: str, default_artifact_root: str) -> None:
        self.db_uri = db_uri
        self.artifact_root_uri = resolve_root(default_artifact_root)
        self._db = _open(db_uri, self.artifact_root_uri)

    @property
    def database(self) -> Database:
        """The engine and transaction helpers (the server's entity counts read through it)."""
        return self._db

    # ---- experiments -------------------------------------------------------------------------
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Sequence[ExperimentTag] | None = None,
    ) -> str:
        return experiments.create_experiment(
            self._db, self.artifact_root_uri, name, artifact_location, tags
        )

    def get_experiment(self, experiment_id: str) -> Experiment:
        return experiments.get_experiment(self._db, experiment_id)

    def get_experiment_by_name(self, experiment_name: str) -> Experiment | None:
        return experiments.get_experiment_by_name(self._db, experiment_name)

    def delete_experiment(self, experiment_id: str) -> None:
        experiments.delete_experiment(self._db, experiment_id)

    def restore_experiment(self, experiment_id: str) -> None:
        experiments.restore_experiment(self._db, experiment_id)

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        experiments.rename_experiment(self._db, experiment_id, new_name)

    def search_experiments(
        self,
        view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Experiment]:
        return search.search_experiments(
            self._db, view_type, max_results, filter_string, order_by, page_token
        )

    def set_experiment_tag(self, experiment_id: str, tag: ExperimentTag) -> None:
        experiments.set_experiment_tag(self._db, experiment_id, tag)

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        experiments.delete_experiment_tag(self._db, experiment_id, key)

    # ---- runs --------------------------------------------------------------------------------
    def create_run(
        self,
        experiment_id: str,
        user_id: str | None,
        start_time: int | None,
        tags: Sequence[RunTag] | None,
        run_name: str | None,
    ) -> Run:
        return runs.create_run(self._db, experiment_id, user_id, start_time, tags, run_name)

    def get_run(self, run_id: str) -> Run:
        return runs.get_run(self._db, run_id)

    def get_runs(self, run_ids: Sequence[str]) -> list[Run]:
        """Many runs in a few queries, in the given order; unknown ids are skipped."""
        return runs.get_runs(self._db, run_ids)

    def update_run_info(
        self,
        run_id: str,
        run_status: int | None,
        end_time: int | None,
        run_name: str | None,
    ) -> RunInfo:
        return runs.update_run_info(self._db, run_id, run_status, end_time, run_name)

    def delete_run(self, run_id: str) -> None:
        runs.delete_run(self._db, run_id, now_millis())

    def restore_run(self, run_id: str) -> None:
        runs.restore_run(self._db, run_id)

    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric],
        params: Sequence[Param],
        tags: Sequence[RunTag],
    ) -> None:
        batch.log_batch(self._db, run_id, metrics, params, tags)
        logged_models.record_model_metrics(self._db, run_id, metrics)

    def log_metric(self, run_id: str, metric: Metric) -> None:
        batch.log_batch(self._db, run_id, (metric,), (), ())
        logged_models.record_model_metrics(self._db, run_id, (metric,))

    def log_param(self, run_id: str, param: Param) -> None:
        batch.log_batch(self._db, run_id, (), (param,), ())

    def set_tag(self, run_id: str, tag: RunTag) -> None:
        batch.log_batch(self._db, run_id, (), (), (tag,))

    def delete_tag(self, run_id: str, key: str) -> None:
        runs.delete_tag(self._db, run_id, key)

    def get_metric_history(
        self,
        run_id: str,
        metric_key: str,
        max_results: int | None = None,
        page_token: str | None = None,
    ) -> PagedList[Metric]:
        return history.get_metric_history(self._db, run_id, metric_key, max_results, page_token)

    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str = "",
        run_view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Run]:
        return search.search_runs(
            self._db,
            experiment_ids,
            filter_string,
            run_view_type,
            max_results,
            order_by,
            page_token,
        )

    # ---- web UI queries ------------------------------------------------------------------------
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
        request = table_request(
            experiment_ids, filter_string, run_view_type, max_results, order_by, page_token,
            param_keys, metric_keys, tag_keys,
        )  # fmt: skip
        return run_table.search_runs_table(self._db, request)

    def get_experiment_columns(self, experiment_ids: Sequence[str]) -> ExperimentColumns:
        return run_table.experiment_columns(self._db, experiment_ids_in_range(experiment_ids))

    def get_metric_history_reduced(
        self,
        run_id: str,
        metric_key: str,
        x_axis: str = "step",
        buckets: int = 1000,
        x_min: float | None = None,
        x_max: float | None = None,
    ) -> ReducedHistory:
        request = history_request(run_id, metric_key, x_axis, buckets, x_min, x_max)
        return reduced_history.reduced_history(self._db, request)

    # ---- run inputs and outputs ---------------------------------------------------------------
    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] | None = None,
        models: Sequence[LoggedModelInput] | None = None,
    ) -> None:
        run_io.log_inputs(self._db, run_id, datasets or (), models or ())

    def log_outputs(self, run_id: str, models: Sequence[LoggedModelOutput]) -> None:
        run_io.log_outputs(self._db, run_id, models)

    def search_datasets(self, experiment_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Distinct ``{experiment_id, name, digest, context?}`` of datasets runs used."""
        return run_io.search_datasets(self._db, experiment_ids)

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
        return logged_models.create_logged_model(
            self._db,
            experiment_id,
            name,
            model_type,
            source_run_id,
            list((params or {}).items()),
            list((tags or {}).items()),
        )

    def get_logged_model(self, model_id: str, allow_deleted: bool = False) -> LoggedModel:
        return logged_models.get_logged_model(self._db, model_id, allow_deleted)

    def finalize_logged_model(self, model_id: str, status: str) -> LoggedModel:
        return logged_models.finalize_logged_model(self._db, model_id, status)

    def set_logged_model_tags(self, model_id: str, tags: Mapping[str, str]) -> None:
        logged_models.set_logged_model_tags(self._db, model_id, list(tags.items()))

    def delete_logged_model_tag(self, model_id: str, key: str) -> None:
        logged_models.delete_logged_model_tag(self._db, model_id, key)

    def log_logged_model_params(self, model_id: str, params: Mapping[str, str]) -> None:
        logged_models.log_logged_model_params(self._db, model_id, list(params.items()))

    def delete_logged_model(self, model_id: str) -> None:
        logged_models.delete_logged_model(self._db, model_id)

    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[Mapping[str, Any]] | None = None,
        max_results: int | None = None,
        order_by: Sequence[Mapping[str, Any]] | None = None,
        page_token: str | None = None,
    ) -> PagedList[LoggedModel]:
        return logged_model_search.search_logged_models(
            self._db,
            experiment_ids,
            filter_string,
            datasets or (),
            max_results,
            order_by or (),
            page_token,
        )
