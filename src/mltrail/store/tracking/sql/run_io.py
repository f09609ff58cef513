"""Run inputs (datasets, models) and outputs (logged models) in the tracking database.

``runs/log-inputs`` stores datasets once per (experiment, name, digest) and links them to
runs with their input tags; ``runs/outputs`` links runs to the logged models they produced.
``read_io`` reads both for the runs the SQL store loads, in one query per table.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from mltrail.entities import (
    Dataset,
    DatasetInput,
    InputTag,
    LifecycleStage,
    LoggedModelInput,
    LoggedModelOutput,
    RunInputs,
    RunOutputs,
)
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.tracking.sql import schema
from mltrail.store.tracking.sql.engine import Database
from mltrail.store.tracking.sql.errors import run_not_active, run_not_found
from mltrail.utils.validation import parse_experiment_id

DATASET_LIMITS = {
    "name": 500,
    "digest": 36,
    "source_type": 36,
    "source": 65535,
    "schema": 1048575,
    "profile": 16777215,
}
INPUT_TAG_KEY_MAX, INPUT_TAG_VALUE_MAX = 255, 500
CONTEXT_TAG = "mlflow.data.context"

_runs = schema.runs
_datasets = schema.datasets
_dataset_inputs = schema.run_dataset_inputs
_model_inputs = schema.run_model_inputs
_model_outputs = schema.run_model_outputs


def _invalid(message: str) -> MlflowException:
    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _active_run(conn: Connection, run_id: str) -> tuple[int, int]:
    """(run_pk, experiment_id) of an active run."""
    row = conn.execute(
        select(_runs.c.run_pk, _runs.c.experiment_id, _runs.c.lifecycle_stage).where(
            _runs.c.run_id == run_id
        )
    ).first()
    if row is None:
        raise run_not_found(run_id)
    if row.lifecycle_stage != LifecycleStage.ACTIVE:
        raise run_not_active(run_id, row.lifecycle_stage)
    return int(row.run_pk), int(row.experiment_id)


def _validate_dataset_input(item: DatasetInput) -> tuple[dict[str, str], dict[str, str]]:
    source = item.dataset
    dataset = {
        name: value for name in DATASET_LIMITS if isinstance(value := getattr(source, name), str)
    }
    for name, limit in DATASET_LIMITS.items():
        if len(dataset.get(name, "")) > limit:
            raise _invalid(f"Dataset {name} exceeds the maximum length of {limit} characters.")
    tags: dict[str, str] = {}
    for tag in item.tags:
        key, value = tag.key, tag.value or ""
        if len(key) > INPUT_TAG_KEY_MAX:
            raise _invalid(f"Input tag key exceeds the maximum length of {INPUT_TAG_KEY_MAX}.")
        if len(value) > INPUT_TAG_VALUE_MAX:
            raise _invalid(f"Input tag value exceeds the maximum length of {INPUT_TAG_VALUE_MAX}.")
        tags[key] = value
    return dataset, tags


def log_inputs(
    db: Database,
    run_id: str,
    dataset_inputs: Sequence[DatasetInput],
    model_inputs: Sequence[LoggedModelInput],
) -> None:
    """Link datasets (stored once per experiment, name and digest) and models to the run."""
    validated = [_validate_dataset_input(item) for item in dataset_inputs]
    with db.write() as conn:
        run_pk, experiment_id = _active_run(conn, run_id)
        for dataset, tags in validated:
            dataset_pk = _dataset_pk(conn, experiment_id, dataset)
            linked = conn.execute(
                select(_dataset_inputs.c.tags).where(
                    _dataset_inputs.c.run_pk == run_pk, _dataset_inputs.c.dataset_pk == dataset_pk
                )
            ).first()
            encoded = json.dumps(tags, sort_keys=True)
            context = tags.get(CONTEXT_TAG)
            if linked is None:
                conn.execute(
                    insert(_dataset_inputs).values(
                        run_pk=run_pk, dataset_pk=dataset_pk, tags=encoded, context=context
                    )
                )
            elif linked.tags != encoded:
                conn.execute(
                    update(_dataset_inputs)
                    .where(
                        _dataset_inputs.c.run_pk == run_pk,
                        _dataset_inputs.c.dataset_pk == dataset_pk,
                    )
                    .values(tags=encoded, context=context)
                )
        model_ids = {m.model_id for m in model_inputs}
        _insert_missing_models(conn, _model_inputs, run_pk, {m: {} for m in model_ids})


def _dataset_pk(conn: Connection, experiment_id: int, dataset: dict[str, str]) -> int:
    name, digest = dataset.get("name", ""), dataset.get("digest", "")
    where = (
        _datasets.c.experiment_id == experiment_id,
        _datasets.c.name == name,
        _datasets.c.digest == digest,
    )
    existing = conn.execute(select(_datasets.c.dataset_pk).where(*where)).scalar()
    if existing is not None:
        return int(existing)
    result = conn.execute(
        insert(_datasets).values(
            experiment_id=experiment_id,
            name=name,
            digest=digest,
            source_type=dataset.get("source_type", ""),
            source=dataset.get("source", ""),
            schema=dataset.get("schema"),
            profile=dataset.get("profile"),
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def _insert_missing_models(
    conn: Connection, table: Any, run_pk: int, models: dict[str, dict[str, Any]]
) -> None:
    if not models:
        return
    present = set(
        conn.execute(
            select(table.c.model_id).where(table.c.run_pk == run_pk, table.c.model_id.in_(models))
        ).scalars()
    )
    rows = [
        {"run_pk": run_pk, "model_id": model_id, **extra}
        for model_id, extra in models.items()
        if model_id not in present
    ]
    if rows:
        conn.execute(insert(table), rows)


def log_outputs(db: Database, run_id: str, outputs: Sequence[LoggedModelOutput]) -> None:
    """Record that the run produced these logged models (the step is updated if relinked)."""
    with db.write() as conn:
        run_pk, _ = _active_run(conn, run_id)
        by_model = {o.model_id: {"step": int(o.step or 0)} for o in outputs}
        for model_id, extra in by_model.items():
            conn.execute(
                update(_model_outputs)
                .where(_model_outputs.c.run_pk == run_pk, _model_outputs.c.model_id == model_id)
                .values(**extra)
            )
        _insert_missing_models(conn, _model_outputs, run_pk, by_model)


EMPTY_INPUTS = RunInputs()
EMPTY_OUTPUTS = RunOutputs()


def read_io(
    conn: Connection, run_pks: Sequence[int]
) -> tuple[dict[int, RunInputs], dict[int, RunOutputs]]:
    """Inputs and outputs of these runs, keyed by run_pk (runs with none are absent).

    One indexed query per link table on its (run_pk, ...) primary key, read on the driver
    cursor with cached SQL (search pages call this for hundreds of runs that usually have no
    inputs or outputs at all, so per-call statement compilation would dominate).
    """
    datasets: dict[int, list[DatasetInput]] = {}
    model_inputs: dict[int, list[LoggedModelInput]] = {}
    outputs: dict[int, list[LoggedModelOutput]] = {}
    dialect = conn.dialect.name
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(run_pks), 1000):
            chunk = tuple(run_pks[start : start + 1000])
            cursor.execute(_io_sql(dialect, "datasets", len(chunk)), chunk)
            for pk, tags, name, digest, source_type, source, schema_, profile in cursor.fetchall():
                dataset = Dataset(name, digest, source_type, source, schema_, profile)
                tag_items = json.loads(tags or "{}").items()
                datasets.setdefault(pk, []).append(
                    DatasetInput(dataset, tuple(InputTag(k, v) for k, v in tag_items))
                )
            cursor.execute(_io_sql(dialect, "model_inputs", len(chunk)), chunk)
            for pk, model_id in cursor.fetchall():
                model_inputs.setdefault(pk, []).append(LoggedModelInput(model_id))
            cursor.execute(_io_sql(dialect, "model_outputs", len(chunk)), chunk)
            for pk, model_id, step in cursor.fetchall():
                outputs.setdefault(pk, []).append(LoggedModelOutput(model_id, int(step)))
    finally:
        cursor.close()
    inputs = {
        pk: RunInputs(tuple(datasets.get(pk, ())), tuple(model_inputs.get(pk, ())))
        for pk in datasets.keys() | model_inputs.keys()
    }
    return inputs, {pk: RunOutputs(tuple(items)) for pk, items in outputs.items()}


@functools.lru_cache(maxsize=64)
def _io_sql(dialect: str, kind: str, count: int) -> str:
    """The driver-level SELECT of one link table for ``count`` run keys."""
    mark = "?" if dialect == "sqlite" else "%s"
    quote = (lambda name: f"`{name}`") if dialect in ("mysql", "mariadb") else (lambda n: f'"{n}"')
    marks = ", ".join([mark] * count)
    if kind == "datasets":
        return (
            f"SELECT di.run_pk, di.tags, d.name, d.digest, d.source_type, d.source, "
            f"d.{quote('schema')}, d.profile FROM {_dataset_inputs.name} di "
            f"JOIN {_datasets.name} d ON d.dataset_pk = di.dataset_pk "
            f"WHERE di.run_pk IN ({marks}) ORDER BY di.run_pk, d.dataset_pk"
        )
    if kind == "model_inputs":
        return f"SELECT run_pk, model_id FROM {_model_inputs.name} WHERE run_pk IN ({marks})"
    return f"SELECT run_pk, model_id, step FROM {_model_outputs.name} WHERE run_pk IN ({marks})"


def search_datasets(db: Database, experiment_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Distinct (experiment, name, digest, context) of datasets used by runs."""
    eids = [parse_experiment_id(e) for e in experiment_ids]
    query = (
        select(_datasets.c.experiment_id, _datasets.c.name, _datasets.c.digest,
               _dataset_inputs.c.tags)
        .select_from(_datasets.join(_dataset_inputs))
        .where(_datasets.c.experiment_id.in_(eids))
    )  # fmt: skip
    seen: dict[tuple[str, str, str, str | None], None] = {}
    with db.read() as conn:
        for experiment_id, name, digest, tags in conn.execute(query):
            context = json.loads(tags or "{}").get(CONTEXT_TAG)
            seen[(str(experiment_id), name, digest, context)] = None
    summaries = []
    for experiment_id, name, digest, context in seen:
        summary = {"experiment_id": experiment_id, "name": name, "digest": digest}
        if context is not None:
            summary["context"] = context
        summaries.append(summary)
    return summaries
