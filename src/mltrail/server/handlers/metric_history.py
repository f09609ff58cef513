"""Metric history endpoints: full history, sampled history of many runs, ajax bulk history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mltrail.entities import Metric
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.entities_json import metric_to_json
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import with_token
from mltrail.server.handlers.runs import run_id_of

Body = dict[str, Any]
BULK_INTERVAL_MAX_RESULTS = 2500
BULK_INTERVAL_MAX_RUNS = 100
BULK_MAX_RESULTS = 25000


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def get_metric_history(ctx: ServerContext, msg: Body) -> Body:
    max_results = msg.get("max_results")
    if max_results is not None and max_results < 1:
        raise _invalid(
            f"Invalid value {max_results} for parameter 'max_results' supplied. It must be a "
            "positive integer."
        )
    page = ctx.store.get_metric_history(
        run_id_of(msg), msg["metric_key"], max_results, msg.get("page_token") or None
    )
    body: Body = {}
    if page:
        body["metrics"] = [metric_to_json(m) for m in page]
    return with_token(body, page.token)


def _full_history(ctx: ServerContext, run_id: str, key: str) -> list[Metric]:
    points: list[Metric] = []
    token = None
    while True:
        page = ctx.store.get_metric_history(run_id, key, None, token)
        points.extend(page)
        token = page.token
        if not token:
            return points


def sample_evenly(points: Sequence[Metric], max_results: int) -> list[Metric]:
    """At most ``max_results`` points spread evenly, always keeping the first and the last."""
    if len(points) <= max_results:
        return list(points)
    if max_results == 1:
        return [points[-1]]
    last = len(points) - 1
    indexes = sorted({round(i * last / (max_results - 1)) for i in range(max_results)})
    return [points[i] for i in indexes]


def get_metric_history_bulk_interval(ctx: ServerContext, msg: Body) -> Body:
    run_ids = list(dict.fromkeys(msg["run_ids"]))
    if len(run_ids) > BULK_INTERVAL_MAX_RUNS:
        raise _invalid(
            f"GetMetricHistoryBulkInterval accepts at most 100 runs, got {len(run_ids)}."
        )
    max_results = msg.get("max_results", BULK_INTERVAL_MAX_RESULTS)
    if not 1 <= max_results <= BULK_INTERVAL_MAX_RESULTS:
        raise _invalid(
            f"max_results must be between 1 and {BULK_INTERVAL_MAX_RESULTS}, got {max_results}."
        )
    start, end = msg.get("start_step"), msg.get("end_step")
    if (start is None) != (end is None):
        raise _invalid("If either start step or end step are specified, both must be specified.")
    if start is not None and end is not None and start > end:
        raise _invalid(f"end_step ({end}) must be greater than or equal to start_step ({start}).")
    key = msg["metric_key"]
    metrics: list[Body] = []
    for run_id in run_ids:
        points = _full_history(ctx, run_id, key)
        if start is not None:
            points = [p for p in points if start <= p.step <= end]  # type: ignore[operator]
        points.sort(key=lambda p: (p.step, p.timestamp, p.value))
        for point in sample_evenly(points, max_results):
            metrics.append({**metric_to_json(point), "run_id": run_id})
    return {"metrics": metrics} if metrics else {}


def get_metric_history_bulk(ctx: ServerContext, msg: Body) -> Body:
    run_ids = list(dict.fromkeys(msg["run_id"]))
    max_results = min(msg.get("max_results") or BULK_MAX_RESULTS, BULK_MAX_RESULTS)
    if max_results < 1:
        raise _invalid(f"max_results must be positive, got {max_results}.")
    key = msg["metric_key"]
    metrics: list[Body] = []
    for run_id in sorted(run_ids):
        page = ctx.store.get_metric_history(run_id, key, max_results, None)
        metrics.extend({**metric_to_json(point), "run_id": run_id} for point in page)
    return {"metrics": metrics} if metrics else {}


HANDLERS = {
    "get_metric_history": get_metric_history,
    "get_metric_history_bulk_interval": get_metric_history_bulk_interval,
    "get_metric_history_bulk": get_metric_history_bulk,
}
