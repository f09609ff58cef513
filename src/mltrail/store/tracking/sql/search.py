"""search_runs and search_experiments: parse, compile to one SELECT, then load the page in bulk.

Both fetch one row more than the page size to know whether a next page exists, so a token
is returned only when more results exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mltrail.entities import Experiment, LifecycleStage, PagedList, Run, ViewType
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.search.experiments import parse_experiment_filter, parse_experiment_order_by
from mltrail.search.paging import decode_page_token, encode_page_token
from mltrail.search.runs import parse_run_filter, parse_run_order_by
from mltrail.store.tracking.abstract import SEARCH_MAX_RESULTS_DEFAULT
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.loading import build_runs, load_experiments
from mltrail.store.tracking.sql.search_sql import select_experiments, select_runs
from mltrail.utils.bulk import collector_paused
from mltrail.utils.validation import parse_experiment_id, validate_max_results


def _stages(view_type: Any) -> list[str]:
    if view_type is None:
        view_type = ViewType.ACTIVE_ONLY
    if isinstance(view_type, str):
        try:
            view_type = ViewType.from_string(view_type)
        except ValueError:
            view_type = -1
    if view_type not in (ViewType.ACTIVE_ONLY, ViewType.DELETED_ONLY, ViewType.ALL):
        raise MlflowException(
            f"Invalid view type {view_type!r}: expected ViewType.ACTIVE_ONLY (1), "
            "ViewType.DELETED_ONLY (2) or ViewType.ALL (3).",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return LifecycleStage.view_type_to_stages(view_type)


def _page(rows: Sequence[Any], offset: int, limit: int) -> tuple[Sequence[Any], str | None]:
    if len(rows) > limit:
        return rows[:limit], encode_page_token(offset + limit)
    return rows, None


def search_runs(
    db: Database,
    experiment_ids: Sequence[str],
    filter_string: str | None,
    run_view_type: int,
    max_results: int | None,
    order_by: Sequence[str] | None,
    page_token: str | None,
) -> PagedList[Run]:
    if isinstance(experiment_ids, (str, int)):
        experiment_ids = [experiment_ids]  # type: ignore[list-item]
    ids = [parse_experiment_id(eid) for eid in experiment_ids]
    limit = validate_max_results(SEARCH_MAX_RESULTS_DEFAULT if max_results is None else max_results)
    stages = _stages(run_view_type)
    comparisons = parse_run_filter(filter_string)
    order_keys = parse_run_order_by(order_by)
    offset = decode_page_token(page_token)
    if not ids:
        return PagedList([], None)
    query = select_runs(ids, comparisons, order_keys, stages, offset, limit + 1)
    with collector_paused(), db.read() as conn:
        rows, token = _page(conn.execute(query).all(), offset, limit)
        runs = build_runs(conn, rows)
    return PagedList(runs, token)


def search_experiments(
    db: Database,
    view_type: int,
    max_results: int | None,
    filter_string: str | None,
    order_by: Sequence[str] | None,
    page_token: str | None,
) -> PagedList[Experiment]:
    limit = validate_max_results(SEARCH_MAX_RESULTS_DEFAULT if max_results is None else max_results)
    stages = _stages(view_type)
    comparisons = parse_experiment_filter(filter_string)
    order_keys = parse_experiment_order_by(order_by)
    offset = decode_page_token(page_token)
    query = select_experiments(comparisons, order_keys, stages, offset, limit + 1)
    with db.read() as conn:
        rows, token = _page(conn.execute(query).all(), offset, limit)
        experiments = load_experiments(conn, [row.experiment_id for row in rows])
    return PagedList(experiments, token)
