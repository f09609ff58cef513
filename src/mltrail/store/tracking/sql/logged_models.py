"""Logged models (MLflow 3's LoggedModel) in the tracking database (tables of migration 0002).

Models belong to an experiment; their artifacts live at
``<experiment location>/models/<model_id>/artifacts``. Deletion is soft (lifecycle stage).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from mltrail.entities import LifecycleStage, LoggedModel, LoggedModelStatus, Metric
from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.experiments import active_experiment_location
from mltrail.store.tracking.sql.locations import join_uri
from mltrail.store.tracking.sql.metric_values import decode, encode
from mltrail.utils.names import generate_run_name
from mltrail.utils.time import now_millis
from mltrail.utils.validation import parse_experiment_id, validate_key

_models = schema.logged_models
_tags = schema.logged_model_tags
_params = schema.logged_model_params
_metrics = schema.logged_model_metrics
_FORBIDDEN_NAME_CHARS = re.compile(r"[/:.%\"']")
_MODEL_ID = re.compile(r"^m-[0-9a-f]{32}$")
TAG_VALUE_MAX_LENGTH = 8000
PARAM_VALUE_MAX_LENGTH = 6000


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def model_not_found(model_id: object) -> MlflowException:
    return MlflowException(
        f"Logged model with ID '{model_id}' not found.", error_code=RESOURCE_DOES_NOT_EXIST
    )


def validate_model_name(name: str) -> str:
    if not name:
        raise _invalid("Invalid logged model name '': a name must not be empty.")
    if len(name) > 500:
        raise _invalid(f"Invalid logged model name: {len(name)} characters, at most 500.")
    if _FORBIDDEN_NAME_CHARS.search(name):
        raise _invalid(
            f"Invalid logged model name '{name}': names must not contain any of / : . % \" '."
        )
    return name


def _key_values(kind: str, items: Iterable[tuple[str, str]], limit: int) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, value in items:
        validate_key(kind, key)
        if len(value) > limit:
            raise _invalid(f"The value of {kind} '{key}' exceeds {limit} characters.")
        result[key] = value
    return result


# ---- create, read, update ------------------------------------------------------------------------
def create_logged_model(
    db: Database,
    experiment_id: str,
    name: str | None,
    model_type: str | None,
    source_run_id: str | None,
    params: Sequence[tuple[str, str]],
    tags: Sequence[tuple[str, str]],
) -> LoggedModel:
    eid = parse_experiment_id(experiment_id)
    model_name = validate_model_name(name if name is not None else generate_run_name())
    param_values = _key_values("logged model param", params, PARAM_VALUE_MAX_LENGTH)
    tag_values = _key_values("logged model tag", tags, TAG_VALUE_MAX_LENGTH)
    model_id = f"m-{uuid.uuid4().hex}"
    now = now_millis()
    with db.write() as conn:
        location = join_uri(active_experiment_location(conn, eid), "models", model_id, "artifacts")
        conn.execute(
            insert(_models).values(
                model_id=model_id,
                experiment_id=eid,
                name=model_name,
                artifact_location=location,
                creation_timestamp_ms=now,
                last_updated_timestamp_ms=now,
                status=LoggedModelStatus.NUMBERS[LoggedModelStatus.PENDING],
                lifecycle_stage=LifecycleStage.ACTIVE,
                model_type=model_type or None,
                source_run_id=source_run_id or None,
            )
        )
        _insert_key_values(conn, _params, model_id, param_values)
        _insert_key_values(conn, _tags, model_id, tag_values)
    return LoggedModel(
        model_id=model_id,
        experiment_id=str(eid),
        name=model_name,
        artifact_location=location,
        creation_timestamp=now,
        last_updated_timestamp=now,
        model_type=model_type or None,
        source_run_id=source_run_id or None,
        tags=tag_values,
        params=param_values,
    )


def _insert_key_values(conn: Connection, table: Any, model_id: str, values: dict[str, str]) -> None:
    if values:
        conn.execute(
            insert(table), [{"model_id": model_id, "key": k, "value": v} for k, v in values.items()]
        )


def _model_row(conn: Connection, model_id: str, allow_deleted: bool = True) -> Any:
    row = conn.execute(select(_models).where(_models.c.model_id == model_id)).first()
    if row is None or (not allow_deleted and row.lifecycle_stage != LifecycleStage.ACTIVE):
        raise model_not_found(model_id)
    return row


def get_logged_model(db: Database, model_id: str, allow_deleted: bool = False) -> LoggedModel:
    with db.read() as conn:
        row = _model_row(conn, model_id, allow_deleted)
        return load_models(conn, [row])[0]


def load_models(conn: Connection, rows: Sequence[Any]) -> list[LoggedModel]:
    """LoggedModel entities for ``logged_models`` rows, with tags, params and metrics."""
    ids = [row.model_id for row in rows]
    tags: dict[str, dict[str, str]] = {i: {} for i in ids}
    params: dict[str, dict[str, str]] = {i: {} for i in ids}
    metrics: dict[str, list[Metric]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for table, target in ((_tags, tags), (_params, params)):
            for model_id, key, value in conn.execute(
                select(table.c.model_id, table.c.key, table.c.value).where(
                    table.c.model_id.in_(chunk)
                )
            ):
                target[model_id][key] = value
        query = (
            select(_metrics).where(_metrics.c.model_id.in_(chunk)).order_by(_metrics.c.metric_pk)
        )
        for m in conn.execute(query):
            metrics[m.model_id].append(
                Metric(
                    m.key,
                    decode(m.value, m.special),
                    m.timestamp,
                    m.step,
                    m.run_id,
                    m.dataset_name,
                    m.dataset_digest,
                    m.model_id,
                )
            )
    return [
        LoggedModel(
            model_id=row.model_id,
            experiment_id=str(row.experiment_id),
            name=row.name,
            artifact_location=row.artifact_location,
            creation_timestamp=row.creation_timestamp_ms,
            last_updated_timestamp=row.last_updated_timestamp_ms,
            status=LoggedModelStatus.NAMES.get(row.status, LoggedModelStatus.UNSPECIFIED),
            lifecycle_stage=row.lifecycle_stage,
            model_type=row.model_type,
            source_run_id=row.source_run_id,
            status_message=row.status_message,
            tags=tags[row.model_id],
            params=params[row.model_id],
            metrics=tuple(metrics[row.model_id]),
        )
        for row in rows
    ]


def finalize_logged_model(db: Database, model_id: str, status: str) -> LoggedModel:
    """Set the status (READY or UPLOAD_FAILED, as the client sends after uploading)."""
    if status not in LoggedModelStatus.NUMBERS:
        raise _invalid(f"Invalid logged model status {status!r}.")
    with db.write() as conn:
        _model_row(conn, model_id, allow_deleted=False)
        conn.execute(
            update(_models)
            .where(_models.c.model_id == model_id)
            .values(
                status=LoggedModelStatus.NUMBERS[status], last_updated_timestamp_ms=now_millis()
            )
        )
    return get_logged_model(db, model_id)


def delete_logged_model(db: Database, model_id: str) -> None:
    with db.write() as conn:
        _model_row(conn, model_id, allow_deleted=False)
        conn.execute(
            update(_models)
            .where(_models.c.model_id == model_id)
            .values(lifecycle_stage=LifecycleStage.DELETED, last_updated_timestamp_ms=now_millis())
        )


def set_logged_model_tags(db: Database, model_id: str, tags: Sequence[tuple[str, str]]) -> None:
    """Upsert tags (the last of repeated keys wins)."""
    values = _key_values("logged model tag", tags, TAG_VALUE_MAX_LENGTH)
    with db.write() as conn:
        _model_row(conn, model_id, allow_deleted=False)
        if values:
            conn.execute(delete(_tags).where(_tags.c.model_id == model_id, _tags.c.key.in_(values)))
            _insert_key_values(conn, _tags, model_id, values)
            _touch(conn, model_id)


def delete_logged_model_tag(db: Database, model_id: str, key: str) -> None:
    with db.write() as conn:
        _model_row(conn, model_id, allow_deleted=False)
        deleted = conn.execute(
            delete(_tags).where(_tags.c.model_id == model_id, _tags.c.key == key)
        )
        if deleted.rowcount == 0:
            raise MlflowException(
                f"No tag with key '{key}' on logged model '{model_id}'.",
                error_code=RESOURCE_DOES_NOT_EXIST,
            )
        _touch(conn, model_id)


def log_logged_model_params(db: Database, model_id: str, params: Sequence[tuple[str, str]]) -> None:
    """Add params; re-logging a value is a no-op, changing one is an error (as for runs)."""
    values = _key_values("logged model param", params, PARAM_VALUE_MAX_LENGTH)
    with db.write() as conn:
        _model_row(conn, model_id, allow_deleted=False)
        existing = dict(
            conn.execute(
                select(_params.c.key, _params.c.value).where(
                    _params.c.model_id == model_id, _params.c.key.in_(values)
                )
            ).all()
        )
        for key, value in values.items():
            if key in existing and existing[key] != value:
                raise _invalid(
                    f"Changing param values is not allowed. Param with key='{key}' was already "
                    f"logged with value='{existing[key]}' for logged model '{model_id}'. "
                    f"Attempted logging new value '{value}'."
                )
        _insert_key_values(
            conn, _params, model_id, {k: v for k, v in values.items() if k not in existing}
        )


def _touch(conn: Connection, model_id: str) -> None:
    conn.execute(
        update(_models)
        .where(_models.c.model_id == model_id)
        .values(last_updated_timestamp_ms=now_millis())
    )


def record_model_metrics(db: Database, run_id: str, metrics: Sequence[Metric]) -> None:
    """Attach run metric points that carry a ``model_id`` to those models (deduplicated).

    Points naming a model that does not exist are ignored, as MLflow does for unknown ids.
    """
    linked = [m for m in metrics if m.model_id]
    if not linked:
        return
    with db.write() as conn:
        known = set(
            conn.execute(
                select(_models.c.model_id).where(
                    _models.c.model_id.in_({m.model_id for m in linked})
                )
            ).scalars()
        )
        rows = []
        for metric in linked:
            if metric.model_id not in known:
                continue
            value, special = encode(metric.value)
            row = {
                "model_id": metric.model_id, "key": metric.key, "timestamp": metric.timestamp,
                "step": metric.step, "value": value, "special": special, "run_id": run_id,
                "dataset_name": metric.dataset_name or None,
                "dataset_digest": metric.dataset_digest or None,
            }  # fmt: skip
            if not _metric_exists(conn, row) and row not in rows:
                rows.append(row)
        if rows:
            conn.execute(insert(_metrics), rows)


def _metric_exists(conn: Connection, row: dict[str, Any]) -> bool:
    conditions = [
        _metrics.c[name] == value if value is not None else _metrics.c[name].is_(None)
        for name, value in row.items()
    ]
    return (
        conn.execute(select(_metrics.c.metric_pk).where(*conditions).limit(1)).first() is not None
    )


def is_model_id(value: str) -> bool:
    return bool(_MODEL_ID.match(value))
