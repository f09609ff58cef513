"""Run operations: create, read, update, soft delete and restore, delete a tag."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update

from mltrail.entities import LifecycleStage, Run, RunData, RunInfo, RunStatus, RunTag
from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.errors import run_not_active, run_not_found
from mltrail.store.tracking.sql.experiments import active_experiment_location
from mltrail.store.tracking.sql.loading import load_runs, run_info_from_row, select_run_rows
from mltrail.store.tracking.sql.locations import run_artifact_uri
from mltrail.store.tracking.sql.statements import statements_for
from mltrail.utils.names import generate_run_name
from mltrail.utils.validation import (
    parse_experiment_id,
    run_tag_value,
    validate_key,
    validate_run_name,
    validate_user_id,
)

RUN_NAME_TAG = "mlflow.runName"

_runs = schema.runs
_tags = schema.tags


def validated_tags(tags: Sequence[RunTag] | None) -> dict[str, str]:
    """Run tags as ``{key: stored value}`` (validated, truncated if allowed, last one wins)."""
    result: dict[str, str] = {}
    for tag in tags or ():
        key = validate_key("tag", tag.key)
        result[key] = run_tag_value(key, tag.value)
    return result


def _resolve_run_name(run_name: str | None, tags: dict[str, str]) -> str:
    tag_name = tags.get(RUN_NAME_TAG)
    if run_name and tag_name and run_name != tag_name:
        raise MlflowException(
            "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with "
            f"different values (run_name='{run_name}', mlflow.runName='{tag_name}'). Pass only "
            "one of them, or the same value in both.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return validate_run_name(run_name or tag_name or generate_run_name())


def _millis(name: str, value: Any) -> int:
    """A run time (``start_time``/``end_time``): an int of milliseconds; None means 0."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise MlflowException(
            f"Invalid {name} {value!r}: expected an integer number of milliseconds since the "
            "epoch.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return int(value)


def create_run(
    db: Database,
    experiment_id: str,
    user_id: str | None,
    start_time: int | None,
    tags: Sequence[RunTag] | None,
    run_name: str | None,
) -> Run:
    eid = parse_experiment_id(experiment_id)
    user = validate_user_id(user_id)
    started = _millis("start_time", start_time)
    tag_values = validated_tags(tags)
    name = _resolve_run_name(run_name, tag_values)
    tag_values[RUN_NAME_TAG] = name
    run_id = uuid.uuid4().hex
    with db.write() as conn:
        artifact_uri = run_artifact_uri(active_experiment_location(conn, eid), run_id)
        result = conn.execute(
            insert(_runs).values(
                run_id=run_id,
                experiment_id=eid,
                name=name,
                user_id=user,
                status=RunStatus.to_string(RunStatus.RUNNING),
                start_time=started,
                end_time=None,
                artifact_uri=artifact_uri,
                lifecycle_stage=LifecycleStage.ACTIVE,
            )
        )
        run_pk = int(result.inserted_primary_key[0])  # type: ignore[index]
        conn.execute(
            insert(_tags), [{"run_pk": run_pk, "key": k, "value": v} for k, v in tag_values.items()]
        )
    db.remember_run_pk(run_id, run_pk)
    info = RunInfo(
        run_id=run_id,
        experiment_id=str(eid),
        run_name=name,
        user_id=user,
        status=RunStatus.to_string(RunStatus.RUNNING),
        start_time=started,
        end_time=None,
        artifact_uri=artifact_uri,
        lifecycle_stage=LifecycleStage.ACTIVE,
    )
    return Run(info, RunData(tags=tag_values))


def run_pk_of(conn: Connection, run_id: str) -> int | None:
    """The surrogate key of a run, or None."""
    if not isinstance(run_id, str):
        return None
    return conn.execute(select(_runs.c.run_pk).where(_runs.c.run_id == run_id)).scalar()


def get_run(db: Database, run_id: str) -> Run:
    with db.read() as conn:
        run_pk = run_pk_of(conn, run_id)
        found = load_runs(conn, [run_pk]) if run_pk is not None else []
    if not found:
        raise run_not_found(run_id)
    return found[0]


def get_runs(db: Database, run_ids: Sequence[str]) -> list[Run]:
    """Several runs by id, in the given order; ids that do not exist are skipped."""
    with db.read() as conn:
        pk_by_id: dict[str, int] = {}
        ids = [r for r in dict.fromkeys(run_ids) if isinstance(r, str)]
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            query = select(_runs.c.run_id, _runs.c.run_pk).where(_runs.c.run_id.in_(chunk))
            pk_by_id.update({rid: pk for rid, pk in conn.execute(query)})
        return load_runs(conn, [pk_by_id[r] for r in run_ids if r in pk_by_id])


def _run_row(conn: Connection, run_id: str) -> Row[Any]:
    row = (
        conn.execute(select_run_rows().where(_runs.c.run_id == run_id)).first()
        if isinstance(run_id, str)
        else None
    )
    if row is None:
        raise run_not_found(run_id)
    return row


def _status_name(status: int | str) -> str:
    try:
        if isinstance(status, str):
            return RunStatus.to_string(RunStatus.from_string(status))
        return RunStatus.to_string(status)
    except ValueError as e:
        raise MlflowException(
            f"Invalid run status {status!r}: expected one of RUNNING, SCHEDULED, FINISHED, "
            "FAILED, KILLED.",
            error_code=INVALID_PARAMETER_VALUE,
        ) from e


def update_run_info(
    db: Database,
    run_id: str,
    run_status: int | str | None,
    end_time: int | None,
    run_name: str | None,
) -> RunInfo:
    values: dict[str, Any] = {}
    if run_status is not None:
        values["status"] = _status_name(run_status)
    if end_time is not None:
        values["end_time"] = _millis("end_time", end_time)
    if run_name:
        values["name"] = validate_run_name(run_name)
    with db.write() as conn:
        row = _run_row(conn, run_id)
        if row.lifecycle_stage != LifecycleStage.ACTIVE:
            raise run_not_active(run_id, row.lifecycle_stage)
        if values:
            conn.execute(update(_runs).where(_runs.c.run_pk == row.run_pk).values(**values))
        if run_name:
            conn.exec_driver_sql(
                statements_for(db.dialect).upsert_tag, (row.run_pk, RUN_NAME_TAG, values["name"])
            )
    info = run_info_from_row(row)
    return info._copy_with_overrides(
        status=values.get("status", info.status),
        end_time=values.get("end_time", info.end_time),
        run_name=values.get("name", info.run_name),
    )


def _set_lifecycle(db: Database, run_id: str, stage: str, deleted_time: int | None) -> None:
    with db.write() as conn:
        row = _run_row(conn, run_id)
        if row.lifecycle_stage != stage:
            conn.execute(
                update(_runs)
                .where(_runs.c.run_pk == row.run_pk)
                .values(lifecycle_stage=stage, deleted_time=deleted_time)
            )


def delete_run(db: Database, run_id: str, now: int) -> None:
    """Soft-delete a run (idempotent)."""
    _set_lifecycle(db, run_id, LifecycleStage.DELETED, now)


def restore_run(db: Database, run_id: str) -> None:
    """Restore a deleted run (idempotent)."""
    _set_lifecycle(db, run_id, LifecycleStage.ACTIVE, None)


def delete_tag(db: Database, run_id: str, key: str) -> None:
    with db.write() as conn:
        row = _run_row(conn, run_id)
        if row.lifecycle_stage != LifecycleStage.ACTIVE:
            raise run_not_active(run_id, row.lifecycle_stage)
        deleted = conn.execute(
            delete(_tags).where(_tags.c.run_pk == row.run_pk, _tags.c.key == key)
        )
        if deleted.rowcount == 0:
            raise MlflowException(
                f"No tag with name: {key} in run with id {run_id}",
                error_code=RESOURCE_DOES_NOT_EXIST,
            )
