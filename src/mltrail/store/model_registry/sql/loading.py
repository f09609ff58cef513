"""Rows of the registry tables -> RegisteredModel / ModelVersion, a few queries per page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from mltrail.entities import ModelVersion, ModelVersionStatus, RegisteredModel
from mltrail.exceptions import RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.tracking.sql import schema

_models = schema.registered_models
_versions = schema.model_versions
_model_tags = schema.registered_model_tags
_version_tags = schema.model_version_tags
_aliases = schema.registered_model_aliases

#: Columns of a version row plus the model's name, as every version query selects them.
VERSION_COLUMNS = (*_versions.c, _models.c.name)


def model_not_found(name: object) -> MlflowException:
    return MlflowException(
        f"Registered Model with name={name} not found", error_code=RESOURCE_DOES_NOT_EXIST
    )


def version_not_found(name: object, version: object) -> MlflowException:
    return MlflowException(
        f"Model Version (name={name}, version={version}) not found",
        error_code=RESOURCE_DOES_NOT_EXIST,
    )


def model_row(conn: Connection, name: str, *, for_update: bool = False) -> Any:
    """The ``registered_models`` row called ``name``; RESOURCE_DOES_NOT_EXIST if none."""
    query = sa.select(*_models.c).where(_models.c.name == name)
    if for_update and conn.dialect.name != "sqlite":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise model_not_found(name)
    return row


def version_row(conn: Connection, name: str, version: int) -> Any:
    """The live version ``version`` of model ``name`` (joined with the name)."""
    row = conn.execute(
        sa.select(*VERSION_COLUMNS)
        .join_from(_versions, _models, _models.c.model_pk == _versions.c.model_pk)
        .where(
            _models.c.name == name,
            _versions.c.version == version,
            _versions.c.deleted_time.is_(None),
        )
    ).first()
    if row is None:
        model_row(conn, name)  # an unknown model is reported as such
        raise version_not_found(name, version)
    return row


def build_versions(
    conn: Connection, rows: Sequence[Any], *, with_aliases: bool
) -> list[ModelVersion]:
    """ModelVersion entities for ``rows`` (version columns + ``name``), in order."""
    if not rows:
        return []
    keys = {(row.model_pk, row.version) for row in rows}
    pks = sorted({pk for pk, _ in keys})
    tags: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for tag in conn.execute(sa.select(*_version_tags.c).where(_version_tags.c.model_pk.in_(pks))):
        if (tag.model_pk, tag.version) in keys:
            tags[(tag.model_pk, tag.version)][tag.key] = tag.value
    aliases: dict[tuple[int, int], list[str]] = defaultdict(list)
    if with_aliases:
        for alias in conn.execute(
            sa.select(*_aliases.c).where(_aliases.c.model_pk.in_(pks)).order_by(_aliases.c.alias)
        ):
            aliases[(alias.model_pk, alias.version)].append(alias.alias)
    return [_version(row, tags[(row.model_pk, row.version)], aliases) for row in rows]


def _version(
    row: Any, tags: dict[str, str], aliases: dict[tuple[int, int], list[str]]
) -> ModelVersion:
    return ModelVersion(
        name=row.name,
        version=str(row.version),
        creation_timestamp=row.creation_timestamp,
        last_updated_timestamp=row.last_updated_timestamp,
        current_stage=row.current_stage,
        description=row.description or "",
        source=row.source,
        run_id=row.run_id or "",
        status=ModelVersionStatus.to_string(row.status),
        status_message=row.status_message,
        tags=tags,
        run_link=row.run_link or "",
        aliases=tuple(aliases.get((row.model_pk, row.version), ())),
        user_id=row.user_id,
        model_id=row.model_id,
    )


def build_models(conn: Connection, rows: Sequence[Any]) -> list[RegisteredModel]:
    """RegisteredModel entities (tags, aliases, latest version per stage) for ``rows``."""
    if not rows:
        return []
    pks = [row.model_pk for row in rows]
    tags: dict[int, dict[str, str]] = defaultdict(dict)
    for tag in conn.execute(sa.select(*_model_tags.c).where(_model_tags.c.model_pk.in_(pks))):
        tags[tag.model_pk][tag.key] = tag.value
    aliases: dict[int, dict[str, str]] = defaultdict(dict)
    for alias in conn.execute(
        sa.select(*_aliases.c).where(_aliases.c.model_pk.in_(pks)).order_by(_aliases.c.alias)
    ):
        aliases[alias.model_pk][alias.alias] = str(alias.version)
    latest: dict[int, list[ModelVersion]] = defaultdict(list)
    latest_rows = latest_version_rows(conn, pks)
    for latest_row, version in zip(
        latest_rows, build_versions(conn, latest_rows, with_aliases=False), strict=True
    ):
        latest[latest_row.model_pk].append(version)
    return [
        RegisteredModel(
            name=row.name,
            creation_timestamp=row.creation_timestamp,
            last_updated_timestamp=row.last_updated_timestamp,
            description=row.description or "",
            latest_versions=tuple(latest.get(row.model_pk, ())),
            tags=tags.get(row.model_pk, {}),
            aliases=aliases.get(row.model_pk, {}),
        )
        for row in rows
    ]


def latest_version_rows(
    conn: Connection, model_pks: Sequence[int], stages: Sequence[str] | None = None
) -> list[Any]:
    """For each model and stage, the row of its highest live version (ordered by stage)."""
    live = [_versions.c.model_pk.in_(list(model_pks)), _versions.c.deleted_time.is_(None)]
    if stages is not None:
        live.append(_versions.c.current_stage.in_(list(stages)))
    highest = (
        sa.select(
            _versions.c.model_pk,
            _versions.c.current_stage,
            sa.func.max(_versions.c.version).label("version"),
        )
        .where(*live)
        .group_by(_versions.c.model_pk, _versions.c.current_stage)
        .subquery("highest")
    )
    query = (
        sa.select(*VERSION_COLUMNS)
        .join_from(_versions, _models, _models.c.model_pk == _versions.c.model_pk)
        .join(
            highest,
            sa.and_(
                highest.c.model_pk == _versions.c.model_pk,
                highest.c.version == _versions.c.version,
            ),
        )
        .order_by(_versions.c.model_pk, _versions.c.version)
    )
    return list(conn.execute(query).all())
