"""Model versions in SQL: create (numbered per model, never reused), read, update, stage
transitions, soft delete, tags and aliases."""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import Connection

from mltrail.entities import ModelVersion, ModelVersionStatus, ModelVersionTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.model_registry.sql.loading import (
    VERSION_COLUMNS,
    build_versions,
    model_row,
    version_row,
)
from mltrail.store.model_registry.sql.sources import resolve_source
from mltrail.store.model_registry.validation import (
    canonical_stage,
    parse_version,
    validate_alias,
    validate_model_name,
    validate_tag,
)
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.utils.time import now_millis

_models = schema.registered_models
_versions = schema.model_versions
_version_tags = schema.model_version_tags
_aliases = schema.registered_model_aliases
MODEL_VERSIONS_TAG = "mlflow.modelVersions"
RUN_ID_MAX_LENGTH = 32


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _one(conn: Connection, name: str, version: int) -> ModelVersion:
    return build_versions(conn, [version_row(conn, name, version)], with_aliases=True)[0]


def _touch_model(conn: Connection, model_pk: int, now: int) -> None:
    conn.execute(
        sa.update(_models).where(_models.c.model_pk == model_pk).values(last_updated_timestamp=now)
    )


def create_model_version(
    db: Database,
    default_artifact_root: str,
    name: str,
    source: str,
    run_id: str | None,
    tags: Sequence[ModelVersionTag] | None,
    run_link: str | None,
    description: str | None,
    model_id: str | None,
) -> ModelVersion:
    validate_model_name(name)
    tag_values = dict(validate_tag("model version tag", t.key, t.value) for t in tags or ())
    if run_id is not None and (not isinstance(run_id, str) or len(run_id) > RUN_ID_MAX_LENGTH):
        raise _invalid(f"Invalid run_id {run_id!r}: expected a run id of at most 32 characters.")
    now = now_millis()
    with db.write() as conn:
        pk = model_row(conn, name).model_pk
        resolved = resolve_source(conn, source, run_id, model_id, default_artifact_root)
        # The UPDATE takes the model's row lock: concurrent creates get distinct numbers.
        conn.execute(
            sa.update(_models)
            .where(_models.c.model_pk == pk)
            .values(last_version=_models.c.last_version + 1, last_updated_timestamp=now)
        )
        version = conn.execute(
            sa.select(_models.c.last_version).where(_models.c.model_pk == pk)
        ).scalar_one()
        conn.execute(
            sa.insert(_versions).values(
                model_pk=pk,
                version=version,
                creation_timestamp=now,
                last_updated_timestamp=now,
                current_stage="None",
                description=description or None,
                source=source,
                storage_location=resolved.storage_location,
                run_id=resolved.run_id,
                run_link=run_link or None,
                status=ModelVersionStatus.NUMBERS[ModelVersionStatus.READY],
                model_id=resolved.model_id,
            )
        )
        if tag_values:
            conn.execute(
                sa.insert(_version_tags),
                [
                    {"model_pk": pk, "version": version, "key": k, "value": v}
                    for k, v in tag_values.items()
                ],
            )
        if resolved.model_id:
            _record_on_logged_model(conn, resolved.model_id, name, version)
        return _one(conn, name, version)


def _record_on_logged_model(conn: Connection, model_id: str, name: str, version: int) -> None:
    """Append ``{"name", "version"}`` to the logged model's ``mlflow.modelVersions`` tag."""
    tags = schema.logged_model_tags
    exists = conn.execute(
        sa.select(schema.logged_models.c.model_id).where(
            schema.logged_models.c.model_id == model_id
        )
    ).first()
    if exists is None:
        return
    where = (tags.c.model_id == model_id, tags.c.key == MODEL_VERSIONS_TAG)
    current = conn.execute(sa.select(tags.c.value).where(*where)).scalar()
    try:
        entries = json.loads(current) if current else []
    except ValueError:
        entries = []
    if not isinstance(entries, list):
        entries = []
    entry = {"name": name, "version": str(version)}
    if entry not in entries:
        entries.append(entry)
    conn.execute(sa.delete(tags).where(*where))
    conn.execute(
        sa.insert(tags).values(model_id=model_id, key=MODEL_VERSIONS_TAG, value=json.dumps(entries))
    )


def get_model_version(db: Database, name: str, version: str | int) -> ModelVersion:
    validate_model_name(name)
    number = parse_version(version)
    with db.read() as conn:
        return _one(conn, name, number)


def get_model_version_download_uri(db: Database, name: str, version: str | int) -> str:
    validate_model_name(name)
    number = parse_version(version)
    with db.read() as conn:
        return str(version_row(conn, name, number).storage_location)


def update_model_version(
    db: Database, name: str, version: str | int, description: str | None
) -> ModelVersion:
    """Set the description (None leaves it unchanged) and bump the version's timestamp."""
    validate_model_name(name)
    number = parse_version(version)
    with db.write() as conn:
        row = version_row(conn, name, number)
        values: dict[str, object] = {"last_updated_timestamp": now_millis()}
        if description is not None:
            values["description"] = description or None
        conn.execute(_where_version(sa.update(_versions), row.model_pk, number).values(**values))
        return _one(conn, name, number)


def _where_version(statement: sa.Update, model_pk: int, version: int) -> sa.Update:
    return statement.where(_versions.c.model_pk == model_pk, _versions.c.version == version)


def transition_model_version_stage(
    db: Database, name: str, version: str | int, stage: str, archive_existing_versions: bool
) -> ModelVersion:
    validate_model_name(name)
    number = parse_version(version)
    target = canonical_stage(stage)
    if archive_existing_versions and target not in ("Staging", "Production"):
        raise _invalid(
            f"Model version transition cannot archive existing model versions because "
            f"'{target}' is not an Active stage. Valid stages are Staging and Production; "
            "pass archive_existing_versions=False for other stages."
        )
    now = now_millis()
    with db.write() as conn:
        row = version_row(conn, name, number)
        conn.execute(
            _where_version(sa.update(_versions), row.model_pk, number).values(
                current_stage=target, last_updated_timestamp=now
            )
        )
        if archive_existing_versions:
            conn.execute(
                sa.update(_versions)
                .where(
                    _versions.c.model_pk == row.model_pk,
                    _versions.c.version != number,
                    _versions.c.current_stage == target,
                    _versions.c.deleted_time.is_(None),
                )
                .values(current_stage="Archived", last_updated_timestamp=now)
            )
        _touch_model(conn, row.model_pk, now)
        return _one(conn, name, number)


def delete_model_version(db: Database, name: str, version: str | int) -> None:
    """Soft delete: the number stays taken; tags and aliases go, stored fields are redacted."""
    validate_model_name(name)
    number = parse_version(version)
    now = now_millis()
    with db.write() as conn:
        row = version_row(conn, name, number)
        for table in (_version_tags, _aliases):
            conn.execute(
                sa.delete(table).where(table.c.model_pk == row.model_pk, table.c.version == number)
            )
        conn.execute(
            _where_version(sa.update(_versions), row.model_pk, number).values(
                deleted_time=now,
                last_updated_timestamp=now,
                description=None,
                source="",
                storage_location="",
                run_id=None,
                run_link=None,
                status_message=None,
            )
        )
        _touch_model(conn, row.model_pk, now)


def set_model_version_tag(
    db: Database, name: str, version: str | int, tag: ModelVersionTag
) -> None:
    validate_model_name(name)
    number = parse_version(version)
    key, value = validate_tag("model version tag", tag.key, tag.value)
    with db.write() as conn:
        pk = version_row(conn, name, number).model_pk
        _delete_version_tag(conn, pk, number, key)
        conn.execute(
            sa.insert(_version_tags).values(model_pk=pk, version=number, key=key, value=value)
        )


def delete_model_version_tag(db: Database, name: str, version: str | int, key: str) -> None:
    """Remove a tag; a missing key is not an error (an unknown model or version is)."""
    validate_model_name(name)
    number = parse_version(version)
    with db.write() as conn:
        _delete_version_tag(conn, version_row(conn, name, number).model_pk, number, key)


def _delete_version_tag(conn: Connection, model_pk: int, version: int, key: str) -> None:
    conn.execute(
        sa.delete(_version_tags).where(
            _version_tags.c.model_pk == model_pk,
            _version_tags.c.version == version,
            _version_tags.c.key == key,
        )
    )


# ---- aliases --------------------------------------------------------------------------------
def set_registered_model_alias(db: Database, name: str, alias: str, version: str | int) -> None:
    """Point ``alias`` at ``version`` (moving it if it pointed elsewhere)."""
    validate_model_name(name)
    validate_alias(alias)
    number = parse_version(version)
    with db.write() as conn:
        pk = version_row(conn, name, number).model_pk
        conn.execute(
            sa.delete(_aliases).where(_aliases.c.model_pk == pk, _aliases.c.alias == alias)
        )
        conn.execute(sa.insert(_aliases).values(model_pk=pk, alias=alias, version=number))


def delete_registered_model_alias(db: Database, name: str, alias: str) -> None:
    validate_model_name(name)
    with db.write() as conn:
        pk = model_row(conn, name).model_pk
        conn.execute(
            sa.delete(_aliases).where(_aliases.c.model_pk == pk, _aliases.c.alias == alias)
        )


def get_model_version_by_alias(db: Database, name: str, alias: str) -> ModelVersion:
    """The version ``alias`` points at; ``latest`` is the highest live version."""
    validate_model_name(name)
    with db.read() as conn:
        pk = model_row(conn, name).model_pk
        if isinstance(alias, str) and alias.lower() == "latest":
            row = conn.execute(
                sa.select(*VERSION_COLUMNS)
                .join_from(_versions, _models, _models.c.model_pk == _versions.c.model_pk)
                .where(_versions.c.model_pk == pk, _versions.c.deleted_time.is_(None))
                .order_by(_versions.c.version.desc())
                .limit(1)
            ).first()
            if row is None:
                raise _invalid(f"Registered model {name} has no versions, so 'latest' is unset.")
            return build_versions(conn, [row], with_aliases=False)[0]
        number = conn.execute(
            sa.select(_aliases.c.version).where(
                _aliases.c.model_pk == pk, _aliases.c.alias == alias
            )
        ).scalar()
        if number is None:
            raise _invalid(f"Registered model alias {alias} not found.")
        return _one(conn, name, number)
