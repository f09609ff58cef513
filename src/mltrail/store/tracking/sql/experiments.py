"""Experiment operations: create, read, rename, soft delete and restore, tags."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from mltrail.entities import Experiment, ExperimentTag, LifecycleStage
from mltrail.exceptions import (
    BAD_REQUEST,
    INVALID_PARAMETER_VALUE,
    INVALID_STATE,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.errors import experiment_not_active, experiment_not_found
from mltrail.store.tracking.sql.loading import load_experiments
from mltrail.store.tracking.sql.locations import experiment_location, normalize_artifact_location
from mltrail.store.tracking.sql.statements import statements_for
from mltrail.utils.time import now_millis
from mltrail.utils.validation import (
    experiment_tag_value,
    parse_experiment_id,
    validate_experiment_name,
    validate_key,
)

DEFAULT_EXPERIMENT_ID = 0
DEFAULT_EXPERIMENT_NAME = "Default"

_exp = schema.experiments
_exp_tags = schema.experiment_tags
_runs = schema.runs


def create_default_experiment(conn: Connection, artifact_root: str) -> None:
    """Insert experiment 0, ``Default``, in a freshly created database."""
    now = now_millis()
    values = {
        "experiment_id": DEFAULT_EXPERIMENT_ID,
        "name": DEFAULT_EXPERIMENT_NAME,
        "artifact_location": experiment_location(artifact_root, DEFAULT_EXPERIMENT_ID),
        "lifecycle_stage": LifecycleStage.ACTIVE,
        "creation_time": now,
        "last_update_time": now,
    }
    if conn.dialect.name in ("mysql", "mariadb"):
        # MySQL would treat an explicit 0 in an AUTO_INCREMENT column as "next value".
        previous_mode = conn.exec_driver_sql("SELECT @@SESSION.sql_mode").scalar()
        conn.exec_driver_sql(
            "SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_AUTO_VALUE_ON_ZERO')"
        )
        try:
            conn.execute(insert(_exp).values(**values))
        finally:
            conn.exec_driver_sql("SET SESSION sql_mode = %s", (previous_mode,))
    else:
        conn.execute(insert(_exp).values(**values))


def _validated_tags(tags: Sequence[ExperimentTag]) -> dict[str, str]:
    latest: dict[str, str] = {}
    for tag in tags:
        key = validate_key("experiment tag", tag.key)
        latest[key] = experiment_tag_value(key, tag.value)
    return latest


def _already_exists(name: str) -> MlflowException:
    return MlflowException(
        f"Experiment(name={name}) already exists. Experiment names are unique, including "
        "deleted experiments: choose another name, or restore the deleted experiment.",
        error_code=RESOURCE_ALREADY_EXISTS,
    )


def create_experiment(
    db: Database,
    artifact_root: str,
    name: str,
    artifact_location: str | None,
    tags: Sequence[ExperimentTag] | None,
) -> str:
    name = validate_experiment_name(name)
    location = normalize_artifact_location(artifact_location) if artifact_location else None
    tag_values = _validated_tags(tags or ())
    now = now_millis()
    with db.write() as conn:
        if conn.execute(select(_exp.c.experiment_id).where(_exp.c.name == name)).first():
            raise _already_exists(name)
        try:
            result = conn.execute(
                insert(_exp).values(
                    name=name,
                    artifact_location=location or "",
                    lifecycle_stage=LifecycleStage.ACTIVE,
                    creation_time=now,
                    last_update_time=now,
                )
            )
        except IntegrityError as e:  # a concurrent create with the same name won the race
            raise _already_exists(name) from e
        experiment_id = int(result.inserted_primary_key[0])  # type: ignore[index]
        if location is None:
            conn.execute(
                update(_exp)
                .where(_exp.c.experiment_id == experiment_id)
                .values(artifact_location=experiment_location(artifact_root, experiment_id))
            )
        if tag_values:
            conn.execute(
                insert(_exp_tags),
                [
                    {"experiment_id": experiment_id, "key": k, "value": v}
                    for k, v in tag_values.items()
                ],
            )
    return str(experiment_id)


def get_experiment(db: Database, experiment_id: str) -> Experiment:
    eid = parse_experiment_id(experiment_id)
    with db.read() as conn:
        found = load_experiments(conn, [eid])
    if not found:
        raise experiment_not_found(eid)
    return found[0]


def get_experiment_by_name(db: Database, name: str) -> Experiment | None:
    with db.read() as conn:
        eid = conn.execute(select(_exp.c.experiment_id).where(_exp.c.name == name)).scalar()
        found = load_experiments(conn, [eid]) if eid is not None else []
    return found[0] if found else None


def _stage(conn: Connection, experiment_id: int) -> str:
    stage = conn.execute(
        select(_exp.c.lifecycle_stage).where(_exp.c.experiment_id == experiment_id)
    ).scalar()
    if stage is None:
        raise experiment_not_found(experiment_id)
    return str(stage)


def active_experiment_location(conn: Connection, experiment_id: int) -> str:
    """The artifact location of an active experiment (404 if missing, 400 if deleted)."""
    row = conn.execute(
        select(_exp.c.lifecycle_stage, _exp.c.artifact_location).where(
            _exp.c.experiment_id == experiment_id
        )
    ).first()
    if row is None:
        raise experiment_not_found(experiment_id)
    if row[0] != LifecycleStage.ACTIVE:
        raise experiment_not_active(experiment_id, row[0])
    return str(row[1])


def delete_experiment(db: Database, experiment_id: str) -> None:
    """Soft-delete the experiment and every active run in it."""
    eid = parse_experiment_id(experiment_id)
    now = now_millis()
    with db.write() as conn:
        if _stage(conn, eid) != LifecycleStage.ACTIVE:
            raise MlflowException(
                f"No Experiment with id={eid} exists: it is already deleted.",
                error_code=RESOURCE_DOES_NOT_EXIST,
            )
        conn.execute(
            update(_exp)
            .where(_exp.c.experiment_id == eid)
            .values(lifecycle_stage=LifecycleStage.DELETED, last_update_time=now)
        )
        conn.execute(
            update(_runs)
            .where(_runs.c.experiment_id == eid, _runs.c.lifecycle_stage == LifecycleStage.ACTIVE)
            .values(lifecycle_stage=LifecycleStage.DELETED, deleted_time=now)
        )


def restore_experiment(db: Database, experiment_id: str) -> None:
    """Restore a deleted experiment and every run in it."""
    eid = parse_experiment_id(experiment_id)
    with db.write() as conn:
        if _stage(conn, eid) != LifecycleStage.DELETED:
            raise MlflowException(
                f"Cannot restore experiment with id={eid}: it is not deleted.",
                error_code=RESOURCE_DOES_NOT_EXIST,
            )
        conn.execute(
            update(_exp)
            .where(_exp.c.experiment_id == eid)
            .values(lifecycle_stage=LifecycleStage.ACTIVE, last_update_time=now_millis())
        )
        conn.execute(
            update(_runs)
            .where(_runs.c.experiment_id == eid)
            .values(lifecycle_stage=LifecycleStage.ACTIVE, deleted_time=None)
        )


def rename_experiment(db: Database, experiment_id: str, new_name: str) -> None:
    eid = parse_experiment_id(experiment_id)
    new_name = validate_experiment_name(new_name)
    clash = MlflowException(
        f"Cannot rename experiment {eid} to '{new_name}': an experiment with that name already "
        "exists (names are unique, including deleted experiments).",
        error_code=BAD_REQUEST,
    )
    with db.write() as conn:
        if _stage(conn, eid) != LifecycleStage.ACTIVE:
            raise MlflowException(
                "Cannot rename a non-active experiment.", error_code=INVALID_STATE
            )
        other = conn.execute(select(_exp.c.experiment_id).where(_exp.c.name == new_name)).scalar()
        if other is not None and other != eid:
            raise clash
        try:
            conn.execute(
                update(_exp)
                .where(_exp.c.experiment_id == eid)
                .values(name=new_name, last_update_time=now_millis())
            )
        except IntegrityError as e:
            raise clash from e


#: The UI keeps saved views in experiment tags with this prefix; MLflow caps them at 50.
CUSTOM_VIEW_TAG_PREFIX = "mlflow.customView.view"
MAX_CUSTOM_VIEW_TAGS = 50


def _check_custom_view_limit(conn: Connection, eid: int, key: str) -> None:
    """A new saved-view tag may not take an experiment past MAX_CUSTOM_VIEW_TAGS."""
    if not key.startswith(CUSTOM_VIEW_TAG_PREFIX):
        return
    keys = set(
        conn.execute(
            select(_exp_tags.c.key).where(
                _exp_tags.c.experiment_id == eid,
                _exp_tags.c.key.startswith(CUSTOM_VIEW_TAG_PREFIX, autoescape=True),
            )
        ).scalars()
    )
    if key not in keys and len(keys) >= MAX_CUSTOM_VIEW_TAGS:
        raise MlflowException(
            f"Experiment {eid} already has {MAX_CUSTOM_VIEW_TAGS} saved views (tags starting "
            f"with '{CUSTOM_VIEW_TAG_PREFIX}'). Delete one before saving another.",
            error_code=INVALID_PARAMETER_VALUE,
        )


def set_experiment_tag(db: Database, experiment_id: str, tag: ExperimentTag) -> None:
    eid = parse_experiment_id(experiment_id)
    ((key, value),) = _validated_tags([tag]).items()
    with db.write() as conn:
        stage = _stage(conn, eid)
        if stage != LifecycleStage.ACTIVE:
            raise experiment_not_active(eid, stage)
        _check_custom_view_limit(conn, eid, key)
        conn.exec_driver_sql(statements_for(db.dialect).upsert_experiment_tag, (eid, key, value))


def delete_experiment_tag(db: Database, experiment_id: str, key: str) -> None:
    eid = parse_experiment_id(experiment_id)
    with db.write() as conn:
        stage = _stage(conn, eid)
        if stage != LifecycleStage.ACTIVE:
            raise experiment_not_active(eid, stage)
        deleted = conn.execute(
            delete(_exp_tags).where(_exp_tags.c.experiment_id == eid, _exp_tags.c.key == key)
        )
        if deleted.rowcount == 0:
            raise MlflowException(
                f"No tag with name: {key} in experiment with id {eid}",
                error_code=RESOURCE_DOES_NOT_EXIST,
            )
