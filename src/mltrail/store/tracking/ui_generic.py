"""Generic implementations of the web UI's queries over the core store methods.

Any tracking store gets correct (if slower) answers from these: the runs table is built from
``search_runs``, the column catalogue from paging through every run, a reduced history from
the full ``get_metric_history``. The SQL store overrides all three with single queries.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mltrail.entities import Metric, Run, ViewType
from mltrail.store.tracking.ui_queries import (
    COLUMNS_MAX_KEYS,
    GIT_COMMIT_TAG,
    HISTORY_MAX_SPECIAL,
    LOG_MODEL_HISTORY_TAG,
    PARENT_RUN_TAG,
    SOURCE_NAME_TAG,
    SOURCE_TYPE_TAG,
    ExperimentColumns,
    HistoryRequest,
    ReducedHistory,
    RunsTablePage,
    TableRequest,
    TableRun,
)

if TYPE_CHECKING:
    from mltrail.store.tracking.abstract import AbstractTrackingStore

_PAGE = 5000


def table_run(run: Run, request: TableRequest) -> TableRun:
    """The table row of ``run``: attributes plus only the requested keys."""
    info, data = run.info, run.data
    metrics = data.metrics if request.metric_keys else {}
    tags = data.tags
    return TableRun(
        run_id=info.run_id,
        run_name=info.run_name or "",
        experiment_id=str(info.experiment_id),
        status=str(info.status),
        start_time=info.start_time,
        end_time=info.end_time,
        lifecycle_stage=info.lifecycle_stage,
        user_id=info.user_id or "",
        parent_run_id=tags.get(PARENT_RUN_TAG) or None,
        source_name=tags.get(SOURCE_NAME_TAG, ""),
        source_type=tags.get(SOURCE_TYPE_TAG, ""),
        git_commit=tags.get(GIT_COMMIT_TAG, ""),
        has_model=LOG_MODEL_HISTORY_TAG in tags or bool(run.outputs.model_outputs),
        params={k: data.params[k] for k in request.param_keys if k in data.params},
        metrics={k: metrics[k] for k in request.metric_keys if k in metrics},
        tags={k: tags[k] for k in request.tag_keys if k in tags},
    )


def _all_runs(
    store: AbstractTrackingStore, ids: list[str], filter_string: str, view_type: int
) -> list[Run]:
    found: list[Run] = []
    token = None
    while True:
        page = store.search_runs(ids, filter_string, view_type, _PAGE, None, token)
        found.extend(page)
        token = page.token
        if not token:
            return found


def runs_table(store: AbstractTrackingStore, request: TableRequest) -> RunsTablePage:
    ids = [str(eid) for eid in request.experiment_ids]
    page = store.search_runs(
        ids,
        request.filter_string,
        request.run_view_type,
        request.max_results,
        list(request.order_by) or None,
        request.page_token,
    )
    rows = [table_run(run, request) for run in page]
    total = None
    if request.page_token is None:
        total = len(rows)
        if page.token:
            total = len(_all_runs(store, ids, request.filter_string, request.run_view_type))
    return RunsTablePage(rows, page.token, total)


def experiment_columns(
    store: AbstractTrackingStore, experiment_ids: Sequence[int]
) -> ExperimentColumns:
    params: set[str] = set()
    metrics: set[str] = set()
    tags: set[str] = set()
    for run in _all_runs(store, [str(e) for e in experiment_ids], "", ViewType.ALL):
        params.update(run.data.params)
        metrics.update(run.data.metrics)
        tags.update(run.data.tags)
    lists = [sorted(keys) for keys in (params, metrics, tags)]
    truncated = any(len(keys) > COLUMNS_MAX_KEYS for keys in lists)
    p, m, t = (keys[:COLUMNS_MAX_KEYS] for keys in lists)
    return ExperimentColumns(p, m, t, truncated)


def _bucketed(
    points: Sequence[Metric], x_of: str, n_buckets: int
) -> list[tuple[int, int, float, float, float, int]]:
    low, high = getattr(points[0], x_of), getattr(points[-1], x_of)
    width = high - low + 1
    groups: dict[int, list[Metric]] = {}
    for point in points:
        if math.isfinite(point.value):
            index = (getattr(point, x_of) - low) * n_buckets // width
            groups.setdefault(index, []).append(point)
    result = []
    for index in sorted(groups):
        group = groups[index]
        values = [p.value for p in group]
        xs = [getattr(p, x_of) for p in group]
        mean = sum(values) / len(values)
        result.append((min(xs), max(xs), min(values), max(values), mean, len(values)))
    return result


def reduced_history(store: AbstractTrackingStore, request: HistoryRequest) -> ReducedHistory:
    store.get_run(request.run_id)  # RESOURCE_DOES_NOT_EXIST for an unknown run
    points: list[Metric] = []
    token = None
    while True:
        page = store.get_metric_history(request.run_id, request.metric_key, None, token)
        points.extend(page)
        token = page.token
        if not token:
            break
    axis = request.x_axis
    other = "timestamp" if axis == "step" else "step"
    points.sort(key=lambda p: (getattr(p, axis), getattr(p, other), p.value))
    low, high = request.x_min, request.x_max
    window = [
        p
        for p in points
        if (low is None or getattr(p, axis) >= low) and (high is None or getattr(p, axis) <= high)
    ]
    x_range = (getattr(points[0], axis), getattr(points[-1], axis)) if points else None
    common = dict(
        run_id=request.run_id,
        metric_key=request.metric_key,
        x_axis=axis,
        total_points=len(points),
        window_points=len(window),
        x_range=x_range,
    )
    if len(window) <= 2 * request.buckets:
        raw = [(p.step, p.timestamp, p.value) for p in window]
        return ReducedHistory(**common, reduced=False, points=raw)  # type: ignore[arg-type]
    special = [(getattr(p, axis), p.value) for p in window if not math.isfinite(p.value)]
    return ReducedHistory(
        **common,  # type: ignore[arg-type]
        reduced=True,
        buckets=_bucketed(window, axis, request.buckets),
        special=special[:HISTORY_MAX_SPECIAL],
    )
