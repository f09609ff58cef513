"""The REST model registry store: every call is one request to a tracking server's registry.

Speaks MLflow's registry protocol (``mltrail.protocol``), so it works against ``mltrail server``
and ``mlflow server`` alike. Transport (auth, TLS, retries, error mapping) is
:mod:`mltrail.utils.rest_http`; credentials are read from the environment on every call.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mltrail.entities import (
    ModelVersion,
    ModelVersionTag,
    PagedList,
    RegisteredModel,
    RegisteredModelTag,
)
from mltrail.exceptions import ENDPOINT_NOT_FOUND, RestException
from mltrail.protocol.endpoints import endpoint_url
from mltrail.protocol.registry_json import model_version_from_json, registered_model_from_json
from mltrail.store.model_registry.abstract import AbstractModelRegistryStore
from mltrail.utils.rest_http import HostCreds, call_endpoint, host_creds_from_env

Body = dict[str, Any]


def _key_values(tags: Sequence[RegisteredModelTag] | Sequence[ModelVersionTag] | None) -> list:
    return [{"key": tag.key, "value": tag.value} for tag in tags or ()]


class RestModelRegistryStore(AbstractModelRegistryStore):
    """Registry store backed by the server at ``uri`` (``http(s)://host:port[/prefix]``)."""

    def __init__(self, uri: str) -> None:
        self.uri = uri.rstrip("/")

    def __repr__(self) -> str:
        return f"RestModelRegistryStore({self.uri!r})"

    def get_host_creds(self) -> HostCreds:
        return host_creds_from_env(self.uri)

    def _call(self, name: str, body: Body, method: str | None = None) -> Body:
        default_method, path = endpoint_url(name)
        cleaned = {k: v for k, v in body.items() if v is not None}
        return call_endpoint(self.get_host_creds(), path, method or default_method, cleaned)

    # ---- registered models -------------------------------------------------------------------
    def create_registered_model(
        self,
        name: str,
        tags: Sequence[RegisteredModelTag] | None = None,
        description: str | None = None,
    ) -> RegisteredModel:
        body: Body = {"name": name, "description": description}
        if tags:
            body["tags"] = _key_values(tags)
        response = self._call("create_registered_model", body)
        return registered_model_from_json(response["registered_model"])

    def update_registered_model(self, name: str, description: str | None) -> RegisteredModel:
        response = self._call(
            "update_registered_model", {"name": name, "description": description or ""}
        )
        return registered_model_from_json(response["registered_model"])

    def rename_registered_model(self, name: str, new_name: str) -> RegisteredModel:
        response = self._call("rename_registered_model", {"name": name, "new_name": new_name})
        return registered_model_from_json(response["registered_model"])

    def delete_registered_model(self, name: str) -> None:
        self._call("delete_registered_model", {"name": name})

    def get_registered_model(self, name: str) -> RegisteredModel:
        response = self._call("get_registered_model", {"name": name})
        return registered_model_from_json(response["registered_model"])

    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[RegisteredModel]:
        response = self._call(
            "search_registered_models",
            {
                "filter": filter_string or None,
                "max_results": max_results,
                "order_by": list(order_by) if order_by else None,
                "page_token": page_token or None,
            },
        )
        models = [registered_model_from_json(m) for m in response.get("registered_models", ())]
        return PagedList(models, response.get("next_page_token") or None)

    def get_latest_versions(
        self, name: str, stages: Sequence[str] | None = None
    ) -> list[ModelVersion]:
        body: Body = {"name": name, "stages": list(stages) if stages else None}
        try:
            response = self._call("get_latest_versions", body)
        except RestException as error:  # an older server without the POST form
            if error.error_code != ENDPOINT_NOT_FOUND:
                raise
            response = self._call("get_latest_versions", body, method="GET")
        return [model_version_from_json(v) for v in response.get("model_versions", ())]

    def set_registered_model_tag(self, name: str, tag: RegisteredModelTag) -> None:
        self._call("set_registered_model_tag", {"name": name, "key": tag.key, "value": tag.value})

    def delete_registered_model_tag(self, name: str, key: str) -> None:
        self._call("delete_registered_model_tag", {"name": name, "key": key})

    # ---- model versions ----------------------------------------------------------------------
    def create_model_version(
        self,
        name: str,
        source: str,
        run_id: str | None = None,
        tags: Sequence[ModelVersionTag] | None = None,
        run_link: str | None = None,
        description: str | None = None,
        model_id: str | None = None,
    ) -> ModelVersion:
        body: Body = {
            "name": name,
            "source": source,
            "run_id": run_id or None,
            "run_link": run_link or None,
            "description": description or None,
            "model_id": model_id or None,
        }
        if tags:
            body["tags"] = _key_values(tags)
        response = self._call("create_model_version", body)
        return model_version_from_json(response["model_version"])

    def update_model_version(
        self, name: str, version: str | int, description: str | None
    ) -> ModelVersion:
        response = self._call(
            "update_model_version",
            {"name": name, "version": str(version), "description": description or ""},
        )
        return model_version_from_json(response["model_version"])

    def transition_model_version_stage(
        self,
        name: str,
        version: str | int,
        stage: str,
        archive_existing_versions: bool,
    ) -> ModelVersion:
        response = self._call(
            "transition_model_version_stage",
            {
                "name": name,
                "version": str(version),
                "stage": stage,
                "archive_existing_versions": bool(archive_existing_versions),
            },
        )
        return model_version_from_json(response["model_version"])

    def delete_model_version(self, name: str, version: str | int) -> None:
        self._call("delete_model_version", {"name": name, "version": str(version)})

    def get_model_version(self, name: str, version: str | int) -> ModelVersion:
        response = self._call("get_model_version", {"name": name, "version": str(version)})
        return model_version_from_json(response["model_version"])

    def get_model_version_download_uri(self, name: str, version: str | int) -> str:
        response = self._call(
            "get_model_version_download_uri", {"name": name, "version": str(version)}
        )
        return str(response.get("artifact_uri", ""))

    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[ModelVersion]:
        response = self._call(
            "search_model_versions",
            {
                "filter": filter_string or None,
                "max_results": max_results,
                "order_by": list(order_by) if order_by else None,
                "page_token": page_token or None,
            },
        )
        versions = [model_version_from_json(v) for v in response.get("model_versions", ())]
        return PagedList(versions, response.get("next_page_token") or None)

    def set_model_version_tag(self, name: str, version: str | int, tag: ModelVersionTag) -> None:
        self._call(
            "set_model_version_tag",
            {"name": name, "version": str(version), "key": tag.key, "value": tag.value},
        )

    def delete_model_version_tag(self, name: str, version: str | int, key: str) -> None:
        self._call("delete_model_version_tag", {"name": name, "version": str(version), "key": key})

    # ---- aliases -----------------------------------------------------------------------------
    def set_registered_model_alias(self, name: str, alias: str, version: str | int) -> None:
        self._call(
            "set_registered_model_alias", {"name": name, "alias": alias, "version": str(version)}
        )

    def delete_registered_model_alias(self, name: str, alias: str) -> None:
        self._call("delete_registered_model_alias", {"name": name, "alias": alias})

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        response = self._call("get_model_version_by_alias", {"name": name, "alias": alias})
        return model_version_from_json(response["model_version"])
