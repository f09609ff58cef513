"""SqlModelRegistryStore: the model registry in the tracking database.

Shares the tracking store's ``Database`` (engine, dialect handling, migrations): opening it
brings the schema up to date the same way. A thin facade over ``registered_models.py``,
``model_versions.py`` and ``search.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from mltrail.entities import (
    ModelVersion,
    ModelVersionTag,
    PagedList,
    RegisteredModel,
    RegisteredModelTag,
)
from mltrail.store.model_registry.abstract import AbstractModelRegistryStore
from mltrail.store.model_registry.sql import model_versions, registered_models, search
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.locations import resolve_root


def _default_artifact_root() -> str:
    from mltrail.store.tracking.resolve import default_artifact_root

    return default_artifact_root()


class SqlModelRegistryStore(AbstractModelRegistryStore):
    """Registered models and versions in a SQL database (``sqlite:///mlflow.db``,
    ``postgresql://...``, ``mysql://...``), the same one the tracking store uses.

    ``default_artifact_root`` (default: ``MLFLOW_DEFAULT_ARTIFACT_ROOT`` or ``./mlruns``) is one
    of the roots a local-path version source must lie inside.
    """

    def __init__(self, db_uri: str, default_artifact_root: str | None = None) -> None:
        from mltrail.store.tracking.sql.store import _open

        self.db_uri = db_uri
        self.artifact_root_uri = resolve_root(default_artifact_root or _default_artifact_root())
        self._db: Database = _open(db_uri, self.artifact_root_uri)

    @property
    def database(self) -> Database:
        return self._db

    # ---- registered models -------------------------------------------------------------------
    def create_registered_model(
        self,
        name: str,
        tags: Sequence[RegisteredModelTag] | None = None,
        description: str | None = None,
    ) -> RegisteredModel:
        return registered_models.create_registered_model(self._db, name, tags, description)

    def update_registered_model(self, name: str, description: str | None) -> RegisteredModel:
        return registered_models.update_registered_model(self._db, name, description)

    def rename_registered_model(self, name: str, new_name: str) -> RegisteredModel:
        return registered_models.rename_registered_model(self._db, name, new_name)

    def delete_registered_model(self, name: str) -> None:
        registered_models.delete_registered_model(self._db, name)

    def get_registered_model(self, name: str) -> RegisteredModel:
        return registered_models.get_registered_model(self._db, name)

    def search_registered_models(
        self,
        filter_string: str | None = None,
        max_results: int | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[RegisteredModel]:
        return search.search_registered_models(
            self._db, filter_string, max_results, order_by, page_token
        )

    def get_latest_versions(
        self, name: str, stages: Sequence[str] | None = None
    ) -> list[ModelVersion]:
        return registered_models.get_latest_versions(self._db, name, stages)

    def set_registered_model_tag(self, name: str, tag: RegisteredModelTag) -> None:
        registered_models.set_registered_model_tag(self._db, name, tag)

    def delete_registered_model_tag(self, name: str, key: str) -> None:
        registered_models.delete_registered_model_tag(self._db, name, key)

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
        return model_versions.create_model_version(
            self._db,
            self.artifact_root_uri,
            name,
            source,
            run_id,
            tags,
            run_link,
            description,
            model_id,
        )

    def update_model_version(
        self, name: str, version: str | int, description: str | None
    ) -> ModelVersion:
        return model_versions.update_model_version(self._db, name, version, description)

    def transition_model_version_stage(
        self,
        name: str,
        version: str | int,
        stage: str,
        archive_existing_versions: bool,
    ) -> ModelVersion:
        return model_versions.transition_model_version_stage(
            self._db, name, version, stage, archive_existing_versions
        )

    def delete_model_version(self, name: str, version: str | int) -> None:
        model_versions.delete_model_version(self._db, name, version)

    def get_model_version(self, name: str, version: str | int) -> ModelVersion:
        return model_versions.get_model_version(self._db, name, version)

    def get_model_version_download_uri(self, name: str, version: str | int) -> str:
        return model_versions.get_model_version_download_uri(self._db, name, version)

    def search_model_versions(
        self,
        filter_string: str | None = None,
        max_results: int | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[ModelVersion]:
        return search.search_model_versions(
            self._db, filter_string, max_results, order_by, page_token
        )

    def set_model_version_tag(self, name: str, version: str | int, tag: ModelVersionTag) -> None:
        model_versions.set_model_version_tag(self._db, name, version, tag)

    def delete_model_version_tag(self, name: str, version: str | int, key: str) -> None:
        model_versions.delete_model_version_tag(self._db, name, version, key)

    # ---- aliases -----------------------------------------------------------------------------
    def set_registered_model_alias(self, name: str, alias: str, version: str | int) -> None:
        model_versions.set_registered_model_alias(self._db, name, alias, version)

    def delete_registered_model_alias(self, name: str, alias: str) -> None:
        model_versions.delete_registered_model_alias(self._db, name, alias)

    def get_model_version_by_alias(self, name: str, alias: str) -> ModelVersion:
        return model_versions.get_model_version_by_alias(self._db, name, alias)
