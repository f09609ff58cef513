"""``POST /ajax-api/2.0/mltrail/runs/table``: a page of runs with only the requested columns.

The web UI's runs table asks for the params, metrics and tags it shows; the response has the
run attributes plus those keys (see ``ui/src/api/types.ts`` RunsTableResponse).
"""

from __future__ import annotations

from typing import Any

from mltrail.protocol.entities_json import double_to_json
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import with_token
from mltrail.store.tracking.ui_queries import TABLE_MAX_RESULTS_DEFAULT, TableRun

Body = dict[str, Any]


def table_run_to_json(run: TableRun) -> Body:
    return {
        "run_id": run.run_id,
        "run_name": run.run_name,
        "experiment_id": run.experiment_id,
        "status": run.status,
        "start_time": run.start_time,
        "end_time": run.end_time,
        "lifecycle_stage": run.lifecycle_stage,
        "user_id": run.user_id,
        "parent_run_id": run.parent_run_id,
        "source_name": run.source_name,
        "source_type": run.source_type,
        "git_commit": run.git_commit,
        "has_model": run.has_model,
        "params": run.params,
        "metrics": {key: double_to_json(value) for key, value in run.metrics.items()},
        "tags": run.tags,
    }


def search_runs_table(ctx: ServerContext, msg: Body) -> Body:
    page = ctx.store.search_runs_table(
        experiment_ids=msg["experiment_ids"],
        filter_string=msg.get("filter") or "",
        run_view_type=msg.get("run_view_type") or "ACTIVE_ONLY",
        max_results=msg.get("max_results", TABLE_MAX_RESULTS_DEFAULT),
        order_by=msg.get("order_by") or None,
        page_token=msg.get("page_token") or None,
        param_keys=msg.get("params") or (),
        metric_keys=msg.get("metrics") or (),
        tag_keys=msg.get("tags") or (),
    )
    body: Body = {"runs": [table_run_to_json(run) for run in page.runs]}
    if page.total_count is not None:
        body["total_count"] = page.total_count
    return with_token(body, page.token)


HANDLERS = {"search_runs_table": search_runs_table}
