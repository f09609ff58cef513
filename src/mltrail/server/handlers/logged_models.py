"""Logged-model endpoints (MLflow 3's ``log_model`` creates one per call)."""

from __future__ import annotations

from typing import Any

from mltrail.protocol.entities_json import logged_model_to_json
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import with_token

Body = dict[str, Any]


def _pairs(items: list[Body] | None) -> dict[str, str]:
    """Key/value items as a dict (the last of repeated keys wins)."""
    return {item["key"]: item.get("value", "") for item in items or ()}


def create_logged_model(ctx: ServerContext, msg: Body) -> Body:
    model = ctx.store.create_logged_model(
        msg["experiment_id"],
        name=msg.get("name"),
        source_run_id=msg.get("source_run_id"),
        tags=_pairs(msg.get("tags")),
        params=_pairs(msg.get("params")),
        model_type=msg.get("model_type"),
    )
    return {"model": logged_model_to_json(model)}


def get_logged_model(ctx: ServerContext, msg: Body) -> Body:
    model = ctx.store.get_logged_model(msg["model_id"], msg.get("allow_deleted", False))
    return {"model": logged_model_to_json(model)}


def finalize_logged_model(ctx: ServerContext, msg: Body) -> Body:
    model = ctx.store.finalize_logged_model(msg["model_id"], msg["status"])
    return {"model": logged_model_to_json(model)}


def delete_logged_model(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.delete_logged_model(msg["model_id"])
    return {}


def set_logged_model_tags(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.set_logged_model_tags(msg["model_id"], _pairs(msg.get("tags")))
    return {}


def delete_logged_model_tag(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.delete_logged_model_tag(msg["model_id"], msg["tag_key"])
    return {}


def log_logged_model_params(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.log_logged_model_params(msg["model_id"], _pairs(msg.get("params")))
    return {}


def search_logged_models(ctx: ServerContext, msg: Body) -> Body:
    page = ctx.store.search_logged_models(
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
