"""SqlTrackingStore: the tracking store over SQLite, PostgreSQL or MySQL/MariaDB.

A thin facade: each method delegates to the module that owns the concern (experiments, runs,
batch logging, history, search). Safe to share between threads: every call takes its own
pooled connection and transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from mltrail.entities import (
    Experiment,
    ExperimentTag,
    Metric,
    PagedList,
    Param,
    Run,
    RunInfo,
    RunTag,
    ViewType,
)
from mltrail.store.tracking.abstract import SEARCH_MAX_RESULTS_DEFAULT, AbstractTrackingStore
from mltrail.store.tracking.sql import batch, experiments, history, runs, search
from mltrail.store.tracking.sql.engine import Database, get_database
from mltrail.store.tracking.sql.locations import resolve_root
from mltrail.store.tracking.sql.migrate import ensure_schema
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
        """The engine and transaction helpers, for server-side modules that share the schema
        (logged models, run inputs/outputs)."""
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

    def log_metric(self, run_id: str, metric: Metric) -> None:
        batch.log_batch(self._db, run_id, (metric,), (), ())

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
