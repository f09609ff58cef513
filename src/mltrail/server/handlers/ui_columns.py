"""``GET /ajax-api/2.0/mltrail/experiments/columns?experiment_ids=..``: the distinct param,
metric and tag keys of the experiments' runs (the runs table's column chooser)."""

from __future__ import annotations

from typing import Any

from mltrail.server.context import ServerContext

Body = dict[str, Any]


def get_experiment_columns(ctx: ServerContext, msg: Body) -> Body:
    columns = ctx.store.get_experiment_columns(msg["experiment_ids"])
    return {
        "params": columns.params,
        "metrics": columns.metrics,
        "tags": columns.tags,
        "truncated": columns.truncated,
    }


HANDLERS = {"get_experiment_columns": get_experiment_columns}
