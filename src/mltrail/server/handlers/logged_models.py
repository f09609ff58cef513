"""Logged-model endpoints (MLflow 3's ``log_model`` creates one per call)."""

from __future__ import annotations

from typing import Any

from mltrail.protocol.entities_json import logged_model_to_json
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import with_token
from mltrail.server.sql import logged_model_search
from mltrail.server.sql import logged_models as models

Body = dict[str, Any]


def _pairs(items: list[Body] | None) -> list[tuple[str, str]]:
    return [(item["key"], item.get("value", "")) for item in items or ()]


def create_logged_model(ctx: ServerContext, msg: Body) -> Body:
    model = models.create_logged_model(
        ctx.db,
        msg["experiment_id"],
        msg.get("name"),
        msg.get("model_type"),
        msg.get("source_run_id"),
        _pairs(msg.get("params")),
        _pairs(msg.get("tags")),
    )
    return {"model": logged_model_to_json(model)}


def get_logged_model(ctx: ServerContext, msg: Body) -> Body:
    model = models.get_logged_model(ctx.db, msg["model_id"], msg.get("allow_deleted", False))
    return {"model": logged_model_to_json(model)}


def finalize_logged_model(ctx: ServerContext, msg: Body) -> Body:
    model = models.finalize_logged_model(ctx.db, msg["model_id"], msg["status"])
    return {"model": logged_model_to_json(model)}


def delete_logged_model(ctx: ServerContext, msg: Body) -> Body:
    models.delete_logged_model(ctx.db, msg["model_id"])
    return {}


def set_logged_model_tags(ctx: ServerContext, msg: Body) -> Body:
    models.set_logged_model_tags(ctx.db, msg["model_id"], _pairs(msg.get("tags")))
    return {}


def delete_logged_model_tag(ctx: ServerContext, msg: Body) -> Body:
    models.delete_logged_model_tag(ctx.db, msg["model_id"], msg["tag_key"])
    return {}


def log_logged_model_params(ctx: ServerContext, msg: Body) -> Body:
    models.log_logged_model_params(ctx.db, msg["model_id"], _pairs(msg.get("params")))
    return {}


def search_logged_models(ctx: ServerContext, msg: Body) -> Body:
    page = logged_model_search.search_logged_models(
        ctx.db,
        msg["experiment_ids"],
        msg.get("filter"),
        msg.get("datasets", ()),
        msg.get("max_results"),
        msg.get("order_by", ()),
        msg.get("page_token") or None,
    )
    body: Body = {}
    if page:
        body["models"] = [logged_model_to_json(m) for m in page]
    return with_token(body, page.token)


HANDLERS = {
    "create_logged_model": create_logged_model,
    "get_logged_model": get_logged_model,
    "finalize_logged_model": finalize_logged_model,
    "delete_logged_model": delete_logged_model,
    "set_logged_model_tags": set_logged_model_tags,
    "delete_logged_model_tag": delete_logged_model_tag,
    "log_logged_model_params": log_logged_model_params,
    "search_logged_models": search_logged_models,
}
