"""Model registry endpoints (rest-registry.md §2): registered models, versions, tags, aliases.

Thin: check what only the server can check (model names, version numbers, where a version's
``source`` may point — see :mod:`mltrail.server.registry_sources`), call the registry store,
encode the answer.
"""

from __future__ import annotations

from typing import Any

from mltrail.entities import ModelVersionTag, RegisteredModelTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.registry_json import model_version_to_json, registered_model_to_json
from mltrail.server.context import ServerContext
from mltrail.server.handlers.paging import max_results_in_range, with_token
from mltrail.server.registry_sources import checked_source
from mltrail.store.model_registry.abstract import (
    SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT,
    SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD,
    SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT,
    SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD,
    AbstractModelRegistryStore,
)
from mltrail.store.model_registry.validation import parse_version, validate_model_name

Body = dict[str, Any]


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _registry(ctx: ServerContext) -> AbstractModelRegistryStore:
    store = ctx.registry_store
    if store is None:  # pragma: no cover - open_context always builds one
        raise MlflowException("This server has no model registry store.")
    return store


def model_name(value: str, parameter: str = "name") -> str:
    """A registered model name, checked before it reaches the store (it ends up in URIs)."""
    return validate_model_name(value, parameter)


def version_number(value: str) -> str:
    """The ``version`` parameter, which must be a decimal integer (returned as a string)."""
    return str(parse_version(value))


# ---- registered models --------------------------------------------------------------------------
def create_registered_model(ctx: ServerContext, msg: Body) -> Body:
    tags = [RegisteredModelTag(t["key"], t.get("value", "")) for t in msg.get("tags") or ()]
    model = _registry(ctx).create_registered_model(
        model_name(msg["name"]), tags or None, msg.get("description") or None
    )
    return {"registered_model": registered_model_to_json(model)}


def get_registered_model(ctx: ServerContext, msg: Body) -> Body:
    model = _registry(ctx).get_registered_model(model_name(msg["name"]))
    return {"registered_model": registered_model_to_json(model)}


def rename_registered_model(ctx: ServerContext, msg: Body) -> Body:
    new_name = model_name(msg["new_name"], "new_name")
    model = _registry(ctx).rename_registered_model(model_name(msg["name"]), new_name)
    return {"registered_model": registered_model_to_json(model)}


def update_registered_model(ctx: ServerContext, msg: Body) -> Body:
    model = _registry(ctx).update_registered_model(
        model_name(msg["name"]), msg.get("description") or ""
    )
    return {"registered_model": registered_model_to_json(model)}


def delete_registered_model(ctx: ServerContext, msg: Body) -> Body:
    _registry(ctx).delete_registered_model(model_name(msg["name"]))
    return {}


def search_registered_models(ctx: ServerContext, msg: Body) -> Body:
    max_results = max_results_in_range(
        msg.get("max_results", SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT),
        SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD,
    )
    page = _registry(ctx).search_registered_models(
        filter_string=msg.get("filter") or None,
        max_results=max_results,
        order_by=msg.get("order_by") or None,
        page_token=msg.get("page_token") or None,
    )
    body: Body = {}
    if page:
        body["registered_models"] = [registered_model_to_json(m) for m in page]
    return with_token(body, page.token)


def get_latest_versions(ctx: ServerContext, msg: Body) -> Body:
    versions = _registry(ctx).get_latest_versions(
        model_name(msg["name"]), msg.get("stages") or None
    )
    body: Body = {}
    if versions:
        body["model_versions"] = [model_version_to_json(v) for v in versions]
    return body


def set_registered_model_tag(ctx: ServerContext, msg: Body) -> Body:
    tag = RegisteredModelTag(msg["key"], msg.get("value") or "")
    _registry(ctx).set_registered_model_tag(model_name(msg["name"]), tag)
    return {}


def delete_registered_model_tag(ctx: ServerContext, msg: Body) -> Body:
    _registry(ctx).delete_registered_model_tag(model_name(msg["name"]), msg["key"])
    return {}


# ---- aliases ------------------------------------------------------------------------------------
def set_registered_model_alias(ctx: ServerContext, msg: Body) -> Body:
    _registry(ctx).set_registered_model_alias(
        model_name(msg["name"]), msg["alias"], version_number(msg["version"])
    )
    return {}


def delete_registered_model_alias(ctx: ServerContext, msg: Body) -> Body:
    _registry(ctx).delete_registered_model_alias(model_name(msg["name"]), msg["alias"])
    return {}


def get_model_version_by_alias(ctx: ServerContext, msg: Body) -> Body:
    version = _registry(ctx).get_model_version_by_alias(model_name(msg["name"]), msg["alias"])
    return {"model_version": model_version_to_json(version)}


# ---- model versions -----------------------------------------------------------------------------
def create_model_version(ctx: ServerContext, msg: Body) -> Body:
    name = model_name(msg["name"])
    source = checked_source(
        ctx, msg["source"], msg.get("run_id") or None, msg.get("model_id") or None
    )
    tags = [ModelVersionTag(t["key"], t.get("value", "")) for t in msg.get("tags") or ()]
    version = _registry(ctx).create_model_version(
        name,
        source.source,
        run_id=source.run_id,
        tags=tags or None,
        run_link=msg.get("run_link") or None,
        description=msg.get("description") or None,
        model_id=source.model_id,
    )
    return {"model_version": model_version_to_json(version)}


def _name_version(msg: Body) -> tuple[str, str]:
    return model_name(msg["name"]), version_number(msg["version"])


def get_model_version(ctx: ServerContext, msg: Body) -> Body:
    version = _registry(ctx).get_model_version(*_name_version(msg))
    return {"model_version": model_version_to_json(version)}


def update_model_version(ctx: ServerContext, msg: Body) -> Body:
    name, number = _name_version(msg)
    registry = _registry(ctx)
    if "description" in msg:
        version = registry.update_model_version(name, number, msg["description"])
    else:  # nothing to change: answer with the version as it is
        version = registry.get_model_version(name, number)
    return {"model_version": model_version_to_json(version)}


def delete_model_version(ctx: ServerContext, msg: Body) -> Body:
    _registry(ctx).delete_model_version(*_name_version(msg))
    return {}


def search_model_versions(ctx: ServerContext, msg: Body) -> Body:
    max_results = max_results_in_range(
        msg.get("max_results", SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT),
        SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD,
    )
    page = _registry(ctx).search_model_versions(
        filter_string=msg.get("filter") or None,
        max_results=max_results,
        order_by=msg.get("order_by") or None,
        page_token=msg.get("page_token") or None,
    )
    body: Body = {}
    if page:
        body["model_versions"] = [model_version_to_json(v, with_aliases=False) for v in page]
    return with_token(body, page.token)


def transition_model_version_stage(ctx: ServerContext, msg: Body) -> Body:
    name, number = _name_version(msg)
    version = _registry(ctx).transition_model_version_stage(
        name, number, msg["stage"], bool(msg.get("archive_existing_versions", False))
    )
    return {"model_version": model_version_to_json(version)}


def get_model_version_download_uri(ctx: ServerContext, msg: Body) -> Body:
    return {"artifact_uri": _registry(ctx).get_model_version_download_uri(*_name_version(msg))}


def set_model_version_tag(ctx: ServerContext, msg: Body) -> Body:
    if msg.get("value") is None:
        raise _invalid(f"Model version tag {msg['key']!r} needs a value (it may be '').")
    name, number = _name_version(msg)
    _registry(ctx).set_model_version_tag(name, number, ModelVersionTag(msg["key"], msg["value"]))
    return {}


def delete_model_version_tag(ctx: ServerContext, msg: Body) -> Body:
    name, number = _name_version(msg)
    _registry(ctx).delete_model_version_tag(name, number, msg["key"])
    return {}


HANDLERS = {
    "create_registered_model": create_registered_model,
    "get_registered_model": get_registered_model,
    "rename_registered_model": rename_registered_model,
    "update_registered_model": update_registered_model,
    "delete_registered_model": delete_registered_model,
    "search_registered_models": search_registered_models,
    "get_latest_versions": get_latest_versions,
    "set_registered_model_tag": set_registered_model_tag,
    "delete_registered_model_tag": delete_registered_model_tag,
    "set_registered_model_alias": set_registered_model_alias,
    "delete_registered_model_alias": delete_registered_model_alias,
    "get_model_version_by_alias": get_model_version_by_alias,
    "create_model_version": create_model_version,
    "get_model_version": get_model_version,
    "update_model_version": update_model_version,
    "delete_model_version": delete_model_version,
    "search_model_versions": search_model_versions,
    "transition_model_version_stage": transition_model_version_stage,
    "get_model_version_download_uri": get_model_version_download_uri,
    "set_model_version_tag": set_model_version_tag,
    "delete_model_version_tag": delete_model_version_tag,
}
