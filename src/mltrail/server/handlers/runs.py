"""Run endpoints: create, get, update, delete, restore, search, and everything logged to runs."""

from __future__ import annotations

import json
from typing import Any

from mltrail.entities import Metric, Param, RunStatus, RunTag, ViewType
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.entities_json import (
    dataset_input_from_json,
    model_input_from_json,
    model_output_from_json,
    run_info_to_json,
    run_to_json,
)
from mltrail.protocol.requests import missing_parameter
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import max_results_in_range, with_token
from mltrail.store.tracking.abstract import SEARCH_MAX_RESULTS_DEFAULT
from mltrail.utils.validation import validate_run_id

Body = dict[str, Any]
LOG_MODEL_HISTORY_TAG = "mlflow.log-model.history"
_MLMODEL_REQUIRED_KEYS = ("artifact_path", "flavors", "utc_time_created", "run_id")


def run_id_of(msg: Body) -> str:
    """``run_id``, or the legacy ``run_uuid`` when only that is given."""
    return str(msg.get("run_id") or msg.get("run_uuid") or "")


def _tags(items: list[Body] | None) -> list[RunTag]:
    return [RunTag(item["key"], item.get("value", "")) for item in items or ()]


def _metric(item: Body, run_id: str | None = None) -> Metric:
    return Metric(
        key=item["key"],
        value=item["value"],
        timestamp=item["timestamp"],
        step=item.get("step", 0),
        run_id=run_id,
        dataset_name=item.get("dataset_name") or None,
        dataset_digest=item.get("dataset_digest") or None,
        model_id=item.get("model_id") or None,
    )


# ---- run lifecycle -------------------------------------------------------------------------------
def create_run(ctx: ServerContext, msg: Body) -> Body:
    if not msg.get("experiment_id"):
        raise missing_parameter("experiment_id")
    run = ctx.store.create_run(
        experiment_id=msg["experiment_id"],
        user_id=msg.get("user_id", ""),
        start_time=msg.get("start_time"),
        tags=_tags(msg.get("tags")),
        run_name=msg.get("run_name") or None,
    )
    return {"run": run_to_json(run, with_outputs=False)}


def get_run(ctx: ServerContext, msg: Body) -> Body:
    run = ctx.store.get_run(run_id_of(msg))
    return {"run": run_to_json(run)}


def update_run(ctx: ServerContext, msg: Body) -> Body:
    status = msg.get("status")
    info = ctx.store.update_run_info(
        run_id_of(msg),
        RunStatus.from_string(status) if status else None,
        msg.get("end_time"),
        msg.get("run_name") or None,
    )
    return {"run_info": run_info_to_json(info)}


def delete_run(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.delete_run(msg["run_id"])
    return {}


def restore_run(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.restore_run(msg["run_id"])
    return {}


def search_runs(ctx: ServerContext, msg: Body) -> Body:
    experiment_ids = msg.get("experiment_ids") or []
    max_results = max_results_in_range(msg.get("max_results", SEARCH_MAX_RESULTS_DEFAULT))
    page = ctx.store.search_runs(
        experiment_ids=experiment_ids,
        filter_string=msg.get("filter") or "",
        run_view_type=ViewType.from_string(msg.get("run_view_type") or "ACTIVE_ONLY"),
        max_results=max_results,
        order_by=msg.get("order_by") or None,
        page_token=msg.get("page_token") or None,
    )
    body: Body = {}
    if page:
        body["runs"] = [run_to_json(run) for run in page]
    return with_token(body, page.token)


# ---- logging -------------------------------------------------------------------------------------
def log_metric(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.log_metric(run_id_of(msg), _metric(msg))
    return {}


def log_param(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.log_param(run_id_of(msg), Param(msg["key"], msg.get("value", "")))
    return {}


def set_tag(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.set_tag(run_id_of(msg), RunTag(msg["key"], msg.get("value", "")))
    return {}


def delete_tag(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.delete_tag(msg["run_id"], msg["key"])
    return {}


def log_batch(ctx: ServerContext, msg: Body) -> Body:
    run_id = validate_run_id(msg["run_id"])
    metrics = [_metric(item) for item in msg.get("metrics", ())]
    params = [Param(item["key"], item.get("value", "")) for item in msg.get("params", ())]
    ctx.store.log_batch(run_id, metrics, params, _tags(msg.get("tags")))
    return {}


def log_inputs(ctx: ServerContext, msg: Body) -> Body:
    run_id = validate_run_id(msg["run_id"])
    datasets = [dataset_input_from_json(item) for item in msg.get("datasets", ())]
    models = [model_input_from_json(item) for item in msg.get("models", ())]
    ctx.store.log_inputs(run_id, datasets, models)
    return {}


def log_outputs(ctx: ServerContext, msg: Body) -> Body:
    models = [model_output_from_json(item) for item in msg["models"]]
    ctx.store.log_outputs(validate_run_id(msg["run_id"]), models)
    return {}


def log_model(ctx: ServerContext, msg: Body) -> Body:
    """Legacy: append the MLmodel dict to the run's ``mlflow.log-model.history`` tag."""
    try:
        model = json.loads(msg["model_json"])
    except ValueError:
        model = None
    if not isinstance(model, dict):
        raise MlflowException(
            "Malformed model info: 'model_json' must be a JSON object.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    missing = [key for key in _MLMODEL_REQUIRED_KEYS if key not in model]
    if missing:
        raise MlflowException(
            f"Model json is missing mandatory fields: {missing}",
            error_code=INVALID_PARAMETER_VALUE,
        )
    run_id = msg["run_id"]
    history_text = ctx.store.get_run(run_id).data.tags.get(LOG_MODEL_HISTORY_TAG, "[]")
    try:
        history = json.loads(history_text)
    except ValueError:
        history = []
    history = [*history, model] if isinstance(history, list) else [model]
    ctx.store.set_tag(run_id, RunTag(LOG_MODEL_HISTORY_TAG, json.dumps(history)))
    return {}


def search_datasets(ctx: ServerContext, msg: Body) -> Body:
    summaries = ctx.store.search_datasets(msg["experiment_ids"])
    return {"dataset_summaries": summaries} if summaries else {}


HANDLERS = {
    "create_run": create_run,
    "get_run": get_run,
    "update_run": update_run,
    "delete_run": delete_run,
    "restore_run": restore_run,
    "search_runs": search_runs,
    "log_metric": log_metric,
    "log_param": log_param,
    "set_tag": set_tag,
    "delete_tag": delete_tag,
    "log_batch": log_batch,
    "log_inputs": log_inputs,
    "log_outputs": log_outputs,
    "log_model": log_model,
    "search_datasets": search_datasets,
}
