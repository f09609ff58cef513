"""``MlflowClient`` methods of the model registry (registered models, versions, aliases).

A mixin so the client module stays small. The registry store comes from the registry URI
(``MlflowClient(registry_uri=...)``, :func:`mltrail.set_registry_uri`, ``MLFLOW_REGISTRY_URI``,
else the tracking URI); every method converts user values and calls it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mltrail.entities import (
    ModelVersion,
    ModelVersionStatus,
    ModelVersionTag,
    PagedList,
    RegisteredModel,
    RegisteredModelTag,
)
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

if TYPE_CHECKING:
    from mltrail.store.model_registry.abstract import AbstractModelRegistryStore

PROMPT_EXCLUSION = "tag.`mlflow.prompt.is_prompt` != 'true'"
SEARCH_REGISTERED_MODELS_MAX_RESULTS = 100
SEARCH_MODEL_VERSIONS_MAX_RESULTS = 10000
AWAIT_POLL_SECONDS = 3.0
_LOGGED_MODEL_URI = re.compile(r"^models:/(m-[0-9a-f]{32})/?$")
_REGISTERED_URI = re.compile(
    r"^models:/(?P<name>[^/@]+)(?:/(?P<version>[^/]+)|@(?P<alias>[^/]+))/?$"
)


def _tags(values: Mapping[str, Any] | None, tag_type: type) -> list[Any]:
    return [tag_type(str(k), str(v)) for k, v in (values or {}).items()]


def logged_model_id_of(source: str) -> str | None:
    """The logged model id in a ``models:/m-<id>`` URI, else None."""
    match = _LOGGED_MODEL_URI.match(source) if isinstance(source, str) else None
    return match.group(1) if match else None


class ModelRegistryMixin:
    """Model registry methods of :class:`MlflowClient`."""

    @property
    def registry_uri(self) -> str:  # provided by MlflowClient
        raise NotImplementedError

    @property
    def registry_store(self) -> AbstractModelRegistryStore:
        """The registry store behind this client (opened on first use)."""
        store = self.__dict__.get("_registry_store")
        if store is None:
            from mltrail.store.model_registry.resolve import get_registry_store

            store = get_registry_store(self.registry_uri)
            self.__dict__["_registry_store"] = store
        return store

    # ---- registered models -------------------------------------------------------------------
    def create_registered_model(
        self,
        name: str,
        tags: Mapping[str, Any] | None = None,
        description: str | None = None,
    ) -> RegisteredModel:
        """Create a registered model; RESOURCE_ALREADY_EXISTS if the name is taken."""
        return self.registry_store.create_registered_model(
            name, _tags(tags, RegisteredModelTag), description
        )

    def get_registered_model(self, name: str) -> RegisteredModel:
        return self.registry_store.get_registered_model(name)

    def rename_registered_model(self, name: str, new_name: str) -> RegisteredModel:
        return self.registry_store.rename_registered_model(name, new_name)

    def update_registered_model(self, name: str, description: str | None = None) -> RegisteredModel:
        return self.registry_store.update_registered_model(name, description)

    def delete_registered_model(self, name: str) -> None:
        """Delete the model with its versions, tags and aliases (artifacts are kept)."""
        self.registry_store.delete_registered_model(name)

    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_REGISTERED_MODELS_MAX_RESULTS,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[RegisteredModel]:
        """One page of registered models (prompts excluded); ``.token`` gets the next page."""
        clauses = [filter_string, PROMPT_EXCLUSION] if filter_string else [PROMPT_EXCLUSION]
        return self.registry_store.search_registered_models(
            " AND ".join(clauses), max_results, order_by, page_token
        )

    def get_latest_versions(
        self, name: str, stages: Sequence[str] | None = None
    ) -> list[ModelVersion]:
        """The highest version in each of ``stages`` (all stages when None)."""
        return self.registry_store.get_latest_versions(name, stages)

    def set_registered_model_tag(self, name: str, key: str, value: Any) -> None:
        self.registry_store.set_registered_model_tag(name, RegisteredModelTag(key, str(value)))

    def delete_registered_model_tag(self, name: str, key: str) -> None:
        self.registry_store.delete_registered_model_tag(name, key)

    # ---- model versions ----------------------------------------------------------------------
    def create_model_version(
        self,
        name: str,
        source: str,
        run_id: str | None = None,
        tags: Mapping[str, Any] | None = None,
        run_link: str | None = None,
        description: str | None = None,
        await_creation_for: int = 300,
        model_id: str | None = None,
    ) -> ModelVersion:
        """Register ``source`` (``models:/m-<id>``, ``runs:/<run>/model``, a storage URI) as
        the next version of ``name``."""
        version = self.registry_store.create_model_version(
            name,
            source,
            run_id=run_id,
            tags=_tags(tags, ModelVersionTag),
            run_link=run_link,
            description=description,
            model_id=model_id or logged_model_id_of(source),
        )
        return self._await_ready(version, await_creation_for)

    def _await_ready(self, version: ModelVersion, timeout: float | None) -> ModelVersion:
        deadline = time.monotonic() + (timeout or 0)
        while version.status == ModelVersionStatus.PENDING_REGISTRATION:
            if time.monotonic() >= deadline:
                return version
            time.sleep(AWAIT_POLL_SECONDS)
            version = self.get_model_version(version.name, version.version)
        if version.status == ModelVersionStatus.FAILED_REGISTRATION:
            raise MlflowException(
                f"Model version creation failed for model name: {version.name} version: "
                f"{version.version} with status: {version.status} and message: "
                f"{version.status_message}",
                error_code=INVALID_PARAMETER_VALUE,
            )
        return version

    def get_model_version(self, name: str, version: str | int) -> ModelVersion:
        return self.registry_store.get_model_version(name, str(version))

    def update_model_version(
        self, name: str, version: str | int, description: str | None = None
    ) -> ModelVersion:
        return self.registry_store.update_model_version(name, str(version), description)

    def delete_model_version(self, name: str, version: str | int) -> None:
        self.registry_store.delete_model_version(name, str(version))

    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int = SEARCH_MODEL_VERSIONS_MAX_RESULTS,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[ModelVersion]:
        """One page of model versions, e.g. ``search_model_versions("name = 'iris'")``."""
        return self.registry_store.search_model_versions(
            filter_string, max_results, order_by, page_token
        )

    def transition_model_version_stage(
        self,
        name: str,
        version: str | int,
        stage: str,
        archive_existing_versions: bool = False,
    ) -> ModelVersion:
        """Move a version to ``None``, ``Staging``, ``Production`` or ``Archived``."""
        return self.registry_store.transition_model_version_stage(
            name, str(version), stage, archive_existing_versions
        )

    def get_model_version_download_uri(self, name: str, version: str | int) -> str:
        return self.registry_store.get_model_version_download_uri(name, str(version))

    def set_model_version_tag(
        self,
        name: str,
        version: str | int | None = None,
        key: str | None = None,
        value: Any = None,
        stage: str | None = None,
    ) -> None:
        """Set a tag on a version (or, with ``stage``, on the latest version in that stage)."""
        version = self._version_or_stage(name, version, stage)
        if key is None:
            raise MlflowException.invalid_parameter_value("A tag key is required.")
        self.registry_store.set_model_version_tag(name, version, ModelVersionTag(key, str(value)))

    def delete_model_version_tag(
        self,
        name: str,
        version: str | int | None = None,
        key: str | None = None,
        stage: str | None = None,
    ) -> None:
        version = self._version_or_stage(name, version, stage)
        if key is None:
            raise MlflowException.invalid_parameter_value("A tag key is required.")
        self.registry_store.delete_model_version_tag(name, version, key)

    def _version_or_stage(self, name: str, version: str | int | None, stage: str | None) -> str:
        if (version is None) == (stage is None):
            raise MlflowException.invalid_parameter_value(
                "Pass exactly one of 'version' and 'stage'."
            )
        if version is not None:
            return str(version)
        latest = self.get_latest_versions(name, [str(stage)])
        if not latest:
            raise MlflowException.invalid_parameter_value(
                f"Registered model {name!r} has no version in stage {stage!r}."
            )
        return latest[0].version

    # ---- aliases -----------------------------------------------------------------------------
    def set_registered_model_alias(self, name: str, alias: str, version: str | int) -> None:
        self.registry_store.set_registered_model_alias(name, alias, str(version))

    def delete_registered_model_alias(self, name: str, alias: str) -> None:
        self.registry_store.delete_registered_model_alias(name, alias)

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        return self.registry_store.get_model_version_by_alias(name, alias)

    # ---- copy --------------------------------------------------------------------------------
    def copy_model_version(self, src_model_uri: str, dst_name: str) -> ModelVersion:
        """Copy ``models:/<name>/<version>`` (or ``models:/<name>@<alias>``) to a new version
        of ``dst_name``, creating that model when missing."""
        match = _REGISTERED_URI.match(src_model_uri) if isinstance(src_model_uri, str) else None
        if match is None:
            raise MlflowException.invalid_parameter_value(
                f"Invalid source model URI {src_model_uri!r}: expected "
                "'models:/<name>/<version>' or 'models:/<name>@<alias>'."
            )
        if match.group("alias"):
            src = self.get_model_version_by_alias(match.group("name"), match.group("alias"))
        else:
            src = self.get_model_version(match.group("name"), match.group("version"))
        return self.registry_store.copy_model_version(src, dst_name)
