"""Real databases (SQLite file, fresh PostgreSQL and MariaDB databases) holding one small,
tricky data set of experiments and runs, plus the same data as entities for the evaluator."""

from __future__ import annotations

import math
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from mltrail.entities import Experiment, Metric, Run, RunData, RunInfo
from mltrail.store.tracking.sql import schema

NAN, INF = math.nan, math.inf
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
MYSQL_ADMIN_URL = "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4"


@dataclass(frozen=True)
class RunRow:
    name: str
    run_id: str
    status: str = "FINISHED"
    user_id: str = "alice"
    start_time: int | None = None
    end_time: int | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)
    experiment_id: int = 1
    lifecycle_stage: str = "active"


# run ids are chosen so that the start_time tie (cv_3, train) breaks on run_id ASC: cv_3 first.
RUN_ROWS = [
    RunRow(
        "cv-1",
        "a1" * 16,
        "FINISHED",
        "alice",
        1000,
        2000,
        {"acc": 0.9, "loss": NAN},
        {"model": "rf", "lr": "0.1"},
        {"team": "Core"},
    ),
    RunRow(
        "CV-2",
        "c2" * 16,
        "RUNNING",
        "bob",
        2000,
        None,
        {"acc": 0.5, "loss": INF},
        {"model": "RF"},
        {"team": "core"},
    ),
    RunRow(
        "train",
        "f0" * 16,
        "FINISHED",
        "alice",
        3000,
        4000,
        {"acc": -INF, "loss": 1.0},
        {"model": "svm", "lr": "0.01"},
        {},
    ),
    RunRow("cv_3", "30" * 16, "FAILED", "Carol", 3000, 3500, {"loss": -INF}, {}, {"team": "ops"}),
    RunRow(
        "x%y",
        "b5" * 16,
        "KILLED",
        "alice",
        None,
        None,
        {"acc": NAN},
        {"model": "Rf"},
        {"note": "50%"},
    ),
    RunRow(
        "éclair",
        "0e" * 16,
        "FINISHED",
        "dave",
        500,
        600,
        {"acc": 0.0, "loss": 0.0},
        {"model": "rf "},
        {"team": "Éclair"},
    ),
    RunRow("gone", "dd" * 16, start_time=4000, metrics={"acc": 0.95}, lifecycle_stage="deleted"),
    RunRow("other-exp", "ee" * 16, start_time=5000, metrics={"acc": 0.7}, experiment_id=2),
]
RUN_IDS = {row.name: row.run_id for row in RUN_ROWS}

EXPERIMENT_ROWS: list[dict[str, Any]] = [
    {"experiment_id": 1, "name": "Default", "creation_time": 100, "last_update_time": 100},
    {"experiment_id": 2, "name": "exp-b", "creation_time": 300, "last_update_time": 400},
    {"experiment_id": 3, "name": "Exp-A", "creation_time": 200, "last_update_time": None},
    {"experiment_id": 4, "name": "exp_c", "creation_time": None, "last_update_time": None},
    {
        "experiment_id": 5,
        "name": "old",
        "creation_time": 50,
        "last_update_time": 50,
        "lifecycle_stage": "deleted",
    },
]
EXPERIMENT_TAGS = {2: {"team": "core"}, 3: {"team": "Core", "note": "x"}}


def encode_metric(value: float) -> tuple[float, int]:
    """(stored value, special) as schema.py documents it."""
    if math.isnan(value):
        return 0.0, schema.NAN
    if math.isinf(value):
        return (
            (sys.float_info.max, schema.POS_INF)
            if value > 0
            else (-sys.float_info.max, schema.NEG_INF)
        )
    return value, schema.FINITE


def artifact_uri(row: RunRow) -> str:
    return f"file:///mlruns/{row.experiment_id}/{row.run_id}/artifacts"


def populate(engine: sa.Engine) -> dict[str, int]:
    """Insert the data set; returns run_pk by run name."""
    pks: dict[str, int] = {}
    with engine.begin() as conn:
        for exp in EXPERIMENT_ROWS:
            conn.execute(
                schema.experiments.insert().values(
                    artifact_location=f"file:///mlruns/{exp['experiment_id']}",
                    lifecycle_stage=exp.get("lifecycle_stage", "active"),
                    **{k: v for k, v in exp.items() if k != "lifecycle_stage"},
                )
            )
            for key, value in EXPERIMENT_TAGS.get(exp["experiment_id"], {}).items():
                conn.execute(
                    schema.experiment_tags.insert().values(
                        experiment_id=exp["experiment_id"], key=key, value=value
                    )
                )
        for row in RUN_ROWS:
            pk = conn.execute(
                schema.runs.insert().values(
                    run_id=row.run_id,
                    experiment_id=row.experiment_id,
                    name=row.name,
                    user_id=row.user_id,
                    status=row.status,
                    start_time=row.start_time,
                    end_time=row.end_time,
                    artifact_uri=artifact_uri(row),
                    lifecycle_stage=row.lifecycle_stage,
                )
            ).inserted_primary_key[0]
            pks[row.name] = pk
            for key, metric in row.metrics.items():
                value, special = encode_metric(metric)
                conn.execute(
                    schema.latest_metrics.insert().values(
                        run_pk=pk, key=key, timestamp=1, step=0, value=value, special=special
                    )
                )
            for key, value in row.params.items():
                conn.execute(schema.params.insert().values(run_pk=pk, key=key, value=value))
            for key, value in {**row.tags, "mlflow.runName": row.name}.items():
                conn.execute(schema.tags.insert().values(run_pk=pk, key=key, value=value))
    return pks


def run_entity(row: RunRow) -> Run:
    info = RunInfo(
        run_id=row.run_id,
        experiment_id=str(row.experiment_id),
        run_name=row.name,
        user_id=row.user_id,
        status=row.status,
        start_time=row.start_time,
        end_time=row.end_time,
        artifact_uri=artifact_uri(row),
        lifecycle_stage=row.lifecycle_stage,
    )
    metrics = tuple(Metric(k, v, 1, 0) for k, v in row.metrics.items())
    data = RunData(metrics, dict(row.params), {**row.tags, "mlflow.runName": row.name})
    return Run(info, data)


def experiment_entity(exp: dict[str, Any]) -> Experiment:
    return Experiment(
        experiment_id=str(exp["experiment_id"]),
        name=exp["name"],
        artifact_location=f"file:///mlruns/{exp['experiment_id']}",
        lifecycle_stage=exp.get("lifecycle_stage", "active"),
        tags=dict(EXPERIMENT_TAGS.get(exp["experiment_id"], {})),
        creation_time=exp["creation_time"],
        last_update_time=exp["last_update_time"],
    )


# ---- databases ------------------------------------------------------------------------------


def _server_database(admin_url: str, kind: str) -> Iterator[str]:
    """Create a uniquely named database on a server, yield its URL, drop it afterwards."""
    name = f"mltrail_search_{uuid.uuid4().hex[:12]}"
    try:
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.OperationalError as error:  # pragma: no cover - server not running
        pytest.skip(f"{kind} server not reachable: {error}")
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            if kind == "postgresql":
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            else:
                conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        admin.dispose()


BACKENDS = [
    "sqlite",
    pytest.param("postgresql", marks=pytest.mark.postgres),
    pytest.param("mysql", marks=pytest.mark.mysql),
]


@pytest.fixture(scope="module", params=BACKENDS)
def search_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[sa.Engine]:
    """An engine on a fresh database of each backend, holding the data set."""
    backend = request.param
    if backend == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('search') / 'db.sqlite'}"])
    elif backend == "postgresql":
        urls = _server_database(POSTGRES_ADMIN_URL, backend)
    else:
        urls = _server_database(MYSQL_ADMIN_URL, backend)
    url = next(urls)
    engine = sa.create_engine(url)
    try:
        schema.metadata.create_all(engine)
        populate(engine)
        yield engine
    finally:
        engine.dispose()
        next(urls, None)  # drops the server database


@pytest.fixture(scope="module")
def sqlite_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    """The data set in a SQLite file only (for the many-case agreement tests)."""
    engine = sa.create_engine(f"sqlite:///{tmp_path_factory.mktemp('search') / 'db.sqlite'}")
    schema.metadata.create_all(engine)
    populate(engine)
    yield engine
    engine.dispose()
