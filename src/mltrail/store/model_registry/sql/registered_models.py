"""Registered models in SQL: create, read, update, rename, delete, tags and latest versions."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from mltrail.entities import ModelVersion, RegisteredModel, RegisteredModelTag
from mltrail.exceptions import RESOURCE_ALREADY_EXISTS, MlflowException
from mltrail.store.model_registry.sql.loading import (
    build_models,
    build_versions,
    latest_version_rows,
    model_row,
)
from mltrail.store.model_registry.validation import (
    canonical_stage,
    validate_model_name,
    validate_tag,
)
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.utils.time import now_millis

_models = schema.registered_models
_model_tags = schema.registered_model_tags
_versions = schema.model_versions
_version_tags = schema.model_version_tags
_aliases = schema.registered_model_aliases
ALL_STAGES = ("None", "Staging", "Production", "Archived")


def _already_exists(name: str) -> MlflowException:
    return MlflowException(
        f"Registered Model (name={name}) already exists.", error_code=RESOURCE_ALREADY_EXISTS
    )


def _taken(conn: sa.Connection, name: str) -> bool:
    return (
        conn.execute(sa.select(_models.c.model_pk).where(_models.c.name == name)).first()
        is not None
    )


def create_registered_model(
    db: Database,
    name: str,
    tags: Sequence[RegisteredModelTag] | None,
    description: str | None,
) -> RegisteredModel:
    validate_model_name(name)
    tag_values = dict(validate_tag("registered model tag", t.key, t.value) for t in tags or ())
    now = now_millis()
    with db.write() as conn:
        if _taken(conn, name):
            raise _already_exists(name)
        model_pk = conn.execute(
            sa.insert(_models).values(
                name=name,
                creation_timestamp=now,
                last_updated_timestamp=now,
                description=description or None,
                last_version=0,
            )
        ).inserted_primary_key[0]
        if tag_values:
            conn.execute(
                sa.insert(_model_tags),
                [{"model_pk": model_pk, "key": k, "value": v} for k, v in tag_values.items()],
            )
        return build_models(conn, [model_row(conn, name)])[0]


def get_registered_model(db: Database, name: str) -> RegisteredModel:
    validate_model_name(name)
    with db.read() as conn:
        return build_models(conn, [model_row(conn, name)])[0]


def update_registered_model(db: Database, name: str, description: str | None) -> RegisteredModel:
    validate_model_name(name)
    with db.write() as conn:
        row = model_row(conn, name)
        conn.execute(
            sa.update(_models)
            .where(_models.c.model_pk == row.model_pk)
            .values(description=description or None, last_updated_timestamp=now_millis())
        )
        return build_models(conn, [model_row(conn, name)])[0]


def rename_registered_model(db: Database, name: str, new_name: str) -> RegisteredModel:
    validate_model_name(name)
    validate_model_name(new_name, "new name")
    now = now_millis()
    with db.write() as conn:
        row = model_row(conn, name)
        if new_name != name and _taken(conn, new_name):
            raise _already_exists(new_name)
        conn.execute(
            sa.update(_models)
            .where(_models.c.model_pk == row.model_pk)
            .values(name=new_name, last_updated_timestamp=now)
        )
        conn.execute(
            sa.update(_versions)
            .where(_versions.c.model_pk == row.model_pk, _versions.c.deleted_time.is_(None))
            .values(last_updated_timestamp=now)
        )
        return build_models(conn, [model_row(conn, new_name)])[0]


def delete_registered_model(db: Database, name: str) -> None:
    """Remove the model and its versions, tags and aliases (artifacts are never touched)."""
    validate_model_name(name)
    with db.write() as conn:
        pk = model_row(conn, name).model_pk
        for table in (_version_tags, _aliases, _versions, _model_tags):
            conn.execute(sa.delete(table).where(table.c.model_pk == pk))
        conn.execute(sa.delete(_models).where(_models.c.model_pk == pk))


def set_registered_model_tag(db: Database, name: str, tag: RegisteredModelTag) -> None:
    validate_model_name(name)
    key, value = validate_tag("registered model tag", tag.key, tag.value)
    with db.write() as conn:
        pk = model_row(conn, name).model_pk
        conn.execute(
            sa.delete(_model_tags).where(_model_tags.c.model_pk == pk, _model_tags.c.key == key)
        )
        conn.execute(sa.insert(_model_tags).values(model_pk=pk, key=key, value=value))


def delete_registered_model_tag(db: Database, name: str, key: str) -> None:
    """Remove a tag; a missing key is not an error (an unknown model is)."""
    validate_model_name(name)
    with db.write() as conn:
        pk = model_row(conn, name).model_pk
        conn.execute(
            sa.delete(_model_tags).where(_model_tags.c.model_pk == pk, _model_tags.c.key == key)
        )


def get_latest_versions(
    db: Database, name: str, stages: Sequence[str] | None
) -> list[ModelVersion]:
    """The highest live version in each requested stage (all four when none are given)."""
    validate_model_name(name)
    if isinstance(stages, str):
        stages = [stages]
    wanted = sorted({canonical_stage(s) for s in stages}) if stages else list(ALL_STAGES)
    with db.read() as conn:
        pk = model_row(conn, name).model_pk
        rows = latest_version_rows(conn, [pk], wanted)
        return build_versions(conn, rows, with_aliases=True)
