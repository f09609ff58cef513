"""``GET /ajax-api/2.0/mltrail/metrics/history-reduced``: one metric reduced to chart size
(raw points for a small window, min/max/mean buckets otherwise; see ReducedHistory in
``ui/src/api/types.ts``)."""

from __future__ import annotations

from typing import Any

from mltrail.protocol.entities_json import double_to_json
from mltrail.server.context import ServerContext

Body = dict[str, Any]


def get_metric_history_reduced(ctx: ServerContext, msg: Body) -> Body:
    result = ctx.store.get_metric_history_reduced(
        msg["run_id"],
        msg["metric_key"],
        x_axis=msg.get("x_axis") or "step",
        buckets=msg["buckets"],
        x_min=msg.get("x_min"),
        x_max=msg.get("x_max"),
    )
    body: Body = {
        "run_id": result.run_id,
        "metric_key": result.metric_key,
        "x_axis": result.x_axis,
        "total_points": result.total_points,
        "window_points": result.window_points,
        "x_range": list(result.x_range) if result.x_range else None,
        "reduced": result.reduced,
    }
    if result.reduced:
        body["buckets"] = [
            [x_first, x_last, double_to_json(low), double_to_json(high), double_to_json(mean), n]
            for x_first, x_last, low, high, mean, n in result.buckets
        ]
        body["special"] = [[x, double_to_json(value)] for x, value in result.special]
    else:
        body["points"] = [[s, t, double_to_json(v)] for s, t, v in result.points]
    return body


HANDLERS = {"get_metric_history_reduced": get_metric_history_reduced}
