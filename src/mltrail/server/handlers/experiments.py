"""Experiment endpoints: create, get, get by name, search, rename, delete, restore, tags."""

from __future__ import annotations

from typing import Any

from mltrail.entities import ExperimentTag, ViewType
from mltrail.exceptions import RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.protocol.entities_json import experiment_to_json
from mltrail.server.artifact_roots import check_local_location
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import max_results_in_range, with_token
from mltrail.store.tracking.abstract import SEARCH_MAX_RESULTS_DEFAULT

Body = dict[str, Any]


def _tags(items: list[Body] | None) -> list[ExperimentTag]:
    return [ExperimentTag(item["key"], item.get("value", "")) for item in items or ()]


def create_experiment(ctx: ServerContext, msg: Body) -> Body:
    location = msg.get("artifact_location") or None
    if location is not None:
        check_local_location(ctx.config, location, "Experiment artifact location")
    experiment_id = ctx.store.create_experiment(msg["name"], location, _tags(msg.get("tags")))
    return {"experiment_id": experiment_id}


def get_experiment(ctx: ServerContext, msg: Body) -> Body:
    return {"experiment": experiment_to_json(ctx.store.get_experiment(msg["experiment_id"]))}


def get_experiment_by_name(ctx: ServerContext, msg: Body) -> Body:
    name = msg["experiment_name"]
    experiment = ctx.store.get_experiment_by_name(name)
    if experiment is None:
        raise MlflowException(
            f"Could not find experiment with name '{name}'", error_code=RESOURCE_DOES_NOT_EXIST
        )
    return {"experiment": experiment_to_json(experiment)}


def search_experiments(ctx: ServerContext, msg: Body) -> Body:
    max_results = max_results_in_range(msg.get("max_results", SEARCH_MAX_RESULTS_DEFAULT))
    page = ctx.store.search_experiments(
        view_type=ViewType.from_string(msg.get("view_type") or "ACTIVE_ONLY"),
        max_results=max_results,
        filter_string=msg.get("filter") or None,
        order_by=msg.get("order_by") or None,
        page_token=msg.get("page_token") or None,
    )
    body: Body = {}
    if page:
        body["experiments"] = [experiment_to_json(e) for e in page]
    return with_token(body, page.token)


def update_experiment(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.rename_experiment(msg["experiment_id"], msg["new_name"])
    return {}


def delete_experiment(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.delete_experiment(msg["experiment_id"])
    return {}


def restore_experiment(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.restore_experiment(msg["experiment_id"])
    return {}


def set_experiment_tag(ctx: ServerContext, msg: Body) -> Body:
    tag = ExperimentTag(msg["key"], msg.get("value", ""))
    ctx.store.set_experiment_tag(msg["experiment_id"], tag)
    return {}


def delete_experiment_tag(ctx: ServerContext, msg: Body) -> Body:
    ctx.store.delete_experiment_tag(msg["experiment_id"], msg["key"])
    return {}


HANDLERS = {
    "create_experiment": create_experiment,
    "get_experiment": get_experiment,
    "get_experiment_by_name": get_experiment_by_name,
    "search_experiments": search_experiments,
    "update_experiment": update_experiment,
    "delete_experiment": delete_experiment,
    "restore_experiment": restore_experiment,
    "set_experiment_tag": set_experiment_tag,
    "delete_experiment_tag": delete_experiment_tag,
}
