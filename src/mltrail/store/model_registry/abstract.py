"""The model registry store protocol, with MLflow's method names.

Implemented by the SQL registry store (same database as the tracking store) and by the REST
registry store (a tracking server). Versions are strings at this boundary ("3").
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from mltrail.entities import (
    ModelVersion,
    ModelVersionTag,
    PagedList,
    RegisteredModel,
    RegisteredModelTag,
)

SEARCH_REGISTERED_MODEL_MAX_RESULTS_DEFAULT = 100
SEARCH_REGISTERED_MODEL_MAX_RESULTS_THRESHOLD = 1000
SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT = 200000
SEARCH_MODEL_VERSION_MAX_RESULTS_THRESHOLD = 200000


class AbstractModelRegistryStore(ABC):
    # ---- registered models -------------------------------------------------------------------
    @abstractmethod
    def create_registered_model(
        self,
        name: str,
        tags: Sequence[RegisteredModelTag] | None = None,
        description: str | None = None,
    ) -> RegisteredModel:
        """Create a model; RESOURCE_ALREADY_EXISTS when the name is taken."""

    @abstractmethod
    def update_registered_model(self, name: str, description: str | None) -> RegisteredModel:
        """Set the description (None or "" clears it)."""

    @abstractmethod
    def rename_registered_model(self, name: str, new_name: str) -> RegisteredModel:
        """Rename the model; its versions, tags and aliases follow."""

    @abstractmethod
    def delete_registered_model(self, name: str) -> None:
        """Delete the model, its versions, tags and aliases (never any artifacts)."""

    @abstractmethod
    def get_registered_model(self, name: str) -> RegisteredModel: ...

    @abstractmethod
    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[RegisteredModel]: ...

    @abstractmethod
    def get_latest_versions(
        self, name: str, stages: Sequence[str] | None = None
    ) -> list[ModelVersion]:
        """The highest version in each requested stage (all stages when none given)."""

    @abstractmethod
    def set_registered_model_tag(self, name: str, tag: RegisteredModelTag) -> None: ...

    @abstractmethod
    def delete_registered_model_tag(self, name: str, key: str) -> None: ...

    # ---- model versions ----------------------------------------------------------------------
    @abstractmethod
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
        """Create the next version of ``name`` (numbers are never reused)."""

    @abstractmethod
    def update_model_version(
        self, name: str, version: str | int, description: str | None
    ) -> ModelVersion: ...

    @abstractmethod
    def transition_model_version_stage(
        self,
        name: str,
        version: str | int,
        stage: str,
        archive_existing_versions: bool,
    ) -> ModelVersion: ...

    @abstractmethod
    def delete_model_version(self, name: str, version: str | int) -> None: ...

    @abstractmethod
    def get_model_version(self, name: str, version: str | int) -> ModelVersion: ...

    @abstractmethod
    def get_model_version_download_uri(self, name: str, version: str | int) -> str:
        """Where the version's files are (a logged model's artifact location for models:/m-...)."""

    @abstractmethod
    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[ModelVersion]: ...

    @abstractmethod
    def set_model_version_tag(
        self, name: str, version: str | int, tag: ModelVersionTag
    ) -> None: ...

    @abstractmethod
    def delete_model_version_tag(self, name: str, version: str | int, key: str) -> None: ...

    # ---- aliases -----------------------------------------------------------------------------
    @abstractmethod
    def set_registered_model_alias(self, name: str, alias: str, version: str | int) -> None: ...

    @abstractmethod
    def delete_registered_model_alias(self, name: str, alias: str) -> None: ...

    @abstractmethod
    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion: ...

    # ---- copy --------------------------------------------------------------------------------
    def copy_model_version(self, src_mv: ModelVersion, dst_name: str) -> ModelVersion:
        """Register ``src_mv``'s files as a new version of ``dst_name`` (created when missing)."""
        from mltrail.exceptions import RESOURCE_ALREADY_EXISTS, MlflowException

        try:
            self.create_registered_model(dst_name)
        except MlflowException as error:
            if error.error_code != RESOURCE_ALREADY_EXISTS:
                raise
        source = f"models:/{src_mv.name}/{src_mv.version}"
        return self.create_model_version(
            dst_name,
            source,
            run_id=src_mv.run_id or None,
            tags=[ModelVersionTag(k, v) for k, v in src_mv.tags.items()],
            run_link=src_mv.run_link or None,
            description=src_mv.description or None,
            model_id=src_mv.model_id,
        )
