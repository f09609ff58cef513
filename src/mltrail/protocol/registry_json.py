"""Model registry entities to and from MLflow's JSON shapes (rest-registry.md §1).

Shared by the server (encoding) and the REST registry store (decoding). Rules: ``version`` is
always a string (``"3"``); timestamps are JSON numbers; ``description`` of a registered model,
``user_id``, ``status_message``, empty ``tags``/``aliases``/``latest_versions`` are omitted;
a model version always carries ``description``, ``run_id`` and ``run_link`` (``""`` when
unset). Aliases appear as ``[{"alias", "version"}]`` on a registered model and as a list of
names on a model version.
"""

from __future__ import annotations

from typing import Any

from mltrail.entities import ModelVersion, ModelVersionStatus, RegisteredModel
from mltrail.protocol.entities_json import key_values_from_json, key_values_to_json

JsonDict = dict[str, Any]


# ---- model versions -----------------------------------------------------------------------------
def model_version_to_json(version: ModelVersion, with_aliases: bool = True) -> JsonDict:
    """A ModelVersion message; ``with_aliases=False`` for search results (as MLflow does)."""
    body: JsonDict = {
        "name": version.name,
        "version": str(version.version),
        "creation_timestamp": version.creation_timestamp,
        "last_updated_timestamp": version.last_updated_timestamp,
    }
    if version.user_id:
        body["user_id"] = version.user_id
    body["current_stage"] = version.current_stage
    body["description"] = version.description or ""
    body["source"] = version.source
    body["run_id"] = version.run_id or ""
    body["status"] = version.status
    if version.status_message:
        body["status_message"] = version.status_message
    if version.tags:
        body["tags"] = key_values_to_json(version.tags)
    body["run_link"] = version.run_link or ""
    if with_aliases and version.aliases:
        body["aliases"] = list(version.aliases)
    if version.model_id:
        body["model_id"] = version.model_id
    return body


def _status_name(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return ModelVersionStatus.to_string(value)
    return str(value) if value else ModelVersionStatus.READY


def model_version_from_json(body: JsonDict) -> ModelVersion:
    return ModelVersion(
        name=body["name"],
        version=str(body["version"]),
        creation_timestamp=int(body.get("creation_timestamp") or 0),
        last_updated_timestamp=int(body.get("last_updated_timestamp") or 0),
        current_stage=body.get("current_stage") or "None",
        description=body.get("description") or "",
        source=body.get("source") or "",
        run_id=body.get("run_id") or "",
        status=_status_name(body.get("status")),
        status_message=body.get("status_message") or None,
        tags=key_values_from_json(body.get("tags")),
        run_link=body.get("run_link") or "",
        aliases=tuple(body.get("aliases") or ()),
        user_id=body.get("user_id") or None,
        model_id=body.get("model_id") or None,
    )


# ---- registered models --------------------------------------------------------------------------
def registered_model_to_json(model: RegisteredModel) -> JsonDict:
    body: JsonDict = {
        "name": model.name,
        "creation_timestamp": model.creation_timestamp,
        "last_updated_timestamp": model.last_updated_timestamp,
    }
    if model.user_id:
        body["user_id"] = model.user_id
    if model.description:
        body["description"] = model.description
    if model.latest_versions:
        body["latest_versions"] = [model_version_to_json(v) for v in model.latest_versions]
    if model.tags:
        body["tags"] = key_values_to_json(model.tags)
    if model.aliases:
        body["aliases"] = [
            {"alias": alias, "version": str(version)} for alias, version in model.aliases.items()
        ]
    return body


def registered_model_from_json(body: JsonDict) -> RegisteredModel:
    return RegisteredModel(
        name=body["name"],
        creation_timestamp=int(body.get("creation_timestamp") or 0),
        last_updated_timestamp=int(body.get("last_updated_timestamp") or 0),
        description=body.get("description") or "",
        latest_versions=tuple(
            model_version_from_json(v) for v in body.get("latest_versions") or ()
        ),
        tags=key_values_from_json(body.get("tags")),
        aliases={
            item["alias"]: str(item["version"])
            for item in body.get("aliases") or ()
            if "alias" in item
        },
        user_id=body.get("user_id") or None,
    )
