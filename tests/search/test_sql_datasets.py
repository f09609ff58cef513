"""dataset.name / dataset.digest / dataset.context run filters in the SQL store, on SQLite,
PostgreSQL and MariaDB, through MlflowClient and through a real mltrail server; the in-memory
evaluator must agree on the same runs. Also the 0003 migration's backfill of ``context``."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from helpers.servers import start_mltrail_server
from mltrail.entities import Dataset, DatasetInput, InputTag, Metric
from mltrail.search import parse_run_filter
from mltrail.search.evaluate import run_matches
from mltrail.store.tracking.sql import SqlTrackingStore
from mltrail.store.tracking.sql.engine import normalize_db_uri
from mltrail.store.tracking.sql.migrate import MIGRATIONS_DIR
from mltrail.tracking.client import MlflowClient

CONTEXT = "mlflow.data.context"


def _input(name: str, digest: str, context: str | None = None) -> DatasetInput:
    tags = (InputTag(CONTEXT, context),) if context is not None else ()
    return DatasetInput(
        Dataset(name, digest, "local", f"/data/{name}"), (*tags, InputTag("k", "v"))
    )


# run name -> (acc metric, dataset inputs); iris/abc123 is shared by two runs.
RUNS: dict[str, tuple[float, tuple[DatasetInput, ...]]] = {
    "both": (0.9, (_input("iris", "abc123", "train"), _input("iris-eval", "def456", "eval"))),
    "train_only": (0.5, (_input("iris", "abc123", "train"),)),
    "v2": (0.7, (_input("iris", "ffff00", "train"), _input("Iris-Big", "abc999", "eval"))),
    "no_context": (0.1, (_input("raw", "000"),)),
    "none": (0.95, ()),
}

CASES = [
    ("dataset.name = 'iris'", {"both", "train_only", "v2"}),
    ("dataset.name = 'IRIS'", set()),
    ("dataset.name != 'iris'", {"both", "v2", "no_context"}),  # any other dataset
    ("dataset.name LIKE 'iris%'", {"both", "train_only", "v2"}),
    ("dataset.name LIKE 'Iris%'", {"v2"}),  # case-sensitive everywhere
    ("dataset.name ILIKE 'IRIS-%'", {"both", "v2"}),
    ("dataset.name IN ('raw', 'iris-eval')", {"both", "no_context"}),
    ("dataset.name NOT IN ('iris', 'iris-eval')", {"v2", "no_context"}),
    ("dataset.digest = 'abc123'", {"both", "train_only"}),
    ("dataset.digest = 'ABC123'", set()),
    ("dataset.digest != 'abc123'", {"both", "v2", "no_context"}),
    ("dataset.digest LIKE 'abc%'", {"both", "train_only", "v2"}),
    ("dataset.digest ILIKE 'ABC_2_'", {"both", "train_only"}),
    ("dataset.digest IN ('ffff00', '000')", {"v2", "no_context"}),
    ("dataset.digest NOT IN ('abc123')", {"both", "v2", "no_context"}),
    ("dataset.context = 'train'", {"both", "train_only", "v2"}),
    ("dataset.context = 'TRAIN'", set()),
    ("dataset.context != 'train'", {"both", "v2"}),  # an input without context never matches
    ("dataset.context LIKE 'e_al'", {"both", "v2"}),
    ("dataset.context LIKE 'T%'", set()),
    ("dataset.context ILIKE 'TR%'", {"both", "train_only", "v2"}),
    ("dataset.context IN ('eval', 'test')", {"both", "v2"}),
    ("dataset.context NOT IN ('train')", {"both", "v2"}),
    ("datasets.context = 'eval' and metrics.acc > 0.8", {"both"}),
    ("dataset.name = 'iris' and dataset.context = 'eval'", {"both", "v2"}),  # per clause
    ("dataset.digest = 'abc123' and metrics.acc < 0.6", {"train_only"}),
    ("metrics.acc > 0.92 and dataset.name != 'x'", set()),  # the run without datasets
    ("metrics.acc >= 0.1 and dataset.context NOT IN ('a')", {"both", "train_only", "v2"}),
]


def _populate(store: SqlTrackingStore) -> tuple[str, dict[str, str]]:
    experiment_id = store.create_experiment("datasets")
    run_ids = {}
    for start, (name, (acc, inputs)) in enumerate(RUNS.items()):
        run_id = store.create_run(experiment_id, "alice", start, [], name).info.run_id
        store.log_batch(run_id, [Metric("acc", acc, 1, 0)], [], [])
        if inputs:
            store.log_inputs(run_id, list(inputs), [])
        run_ids[name] = run_id
    return experiment_id, run_ids


def _found(store: SqlTrackingStore, experiment_id: str, filter_string: str) -> set[str]:
    runs = store.search_runs([experiment_id], filter_string, max_results=100)
    return {run.info.run_name for run in runs}


def test_dataset_filters_on_every_backend(tracking_db_uri: str, tmp_path: Path) -> None:
    store = SqlTrackingStore(tracking_db_uri, str(tmp_path / "artifacts"))
    experiment_id, run_ids = _populate(store)
    entities = [store.get_run(run_id) for run_id in run_ids.values()]
    assert {len(r.inputs.dataset_inputs) for r in entities} == {0, 1, 2}
    for filter_string, expected in CASES:
        comparisons = parse_run_filter(filter_string)
        in_memory = {r.info.run_name for r in entities if run_matches(r, comparisons)}
        assert in_memory == expected, filter_string
        assert _found(store, experiment_id, filter_string) == expected, filter_string


def test_relogging_an_input_updates_its_context(tracking_db_uri: str, tmp_path: Path) -> None:
    store = SqlTrackingStore(tracking_db_uri, str(tmp_path / "artifacts"))
    experiment_id, run_ids = _populate(store)
    store.log_inputs(run_ids["train_only"], [_input("iris", "abc123", "test")], [])
    assert _found(store, experiment_id, "dataset.context = 'test'") == {"train_only"}
    assert _found(store, experiment_id, "dataset.context = 'train'") == {"both", "v2"}
    store.log_inputs(run_ids["v2"], [_input("iris", "ffff00")], [])  # context tag removed
    assert _found(store, experiment_id, "dataset.context = 'train'") == {"both"}
    assert _found(store, experiment_id, "dataset.name = 'iris'") == {"both", "train_only", "v2"}


def test_migration_0003_backfills_context(tracking_db_uri: str, tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = sa.create_engine(normalize_db_uri(tracking_db_uri))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(
            sa.text(
                "INSERT INTO experiments (experiment_id, name, artifact_location, "
                "lifecycle_stage) VALUES (7, 'old', '/tmp/old', 'active')"
            )
        )
        for run_pk, name in ((1, "old_train"), (2, "old_plain")):
            conn.execute(
                sa.text(
                    "INSERT INTO runs (run_pk, run_id, experiment_id, name, user_id, status, "
                    "start_time, artifact_uri, lifecycle_stage) VALUES "
                    "(:pk, :rid, 7, :name, 'u', 'FINISHED', :pk, '/tmp/a', 'active')"
                ),
                {"pk": run_pk, "rid": f"{run_pk:032d}", "name": name},
            )
        conn.execute(
            sa.text(
                "INSERT INTO datasets (dataset_pk, experiment_id, name, digest, source_type, "
                "source) VALUES (1, 7, 'iris', 'abc', 'local', '/d'), "
                "(2, 7, 'wine', 'def', 'local', '/d')"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO run_dataset_inputs (run_pk, dataset_pk, tags) VALUES (:r, :d, :t)"
            ),
            [
                {"r": 1, "d": 1, "t": json.dumps({CONTEXT: "train", "x": "y"})},
                {"r": 1, "d": 2, "t": json.dumps({CONTEXT: "eval"})},
                {"r": 2, "d": 2, "t": json.dumps({"x": "y"})},
                {"r": 2, "d": 1, "t": "{}"},
            ],
        )
    engine.dispose()

    store = SqlTrackingStore(tracking_db_uri, str(tmp_path / "artifacts"))  # upgrades to head
    assert _found(store, "7", "dataset.context = 'train'") == {"old_train"}
    assert _found(store, "7", "dataset.context IN ('eval')") == {"old_train"}
    assert _found(store, "7", "dataset.context != 'nope'") == {"old_train"}
    assert _found(store, "7", "dataset.name = 'wine'") == {"old_train", "old_plain"}
    run = store.get_run(f"{1:032d}")
    contexts = {
        i.dataset.name: dict((t.key, t.value) for t in i.tags) for i in run.inputs.dataset_inputs
    }
    assert contexts == {"iris": {CONTEXT: "train", "x": "y"}, "wine": {CONTEXT: "eval"}}


def _log_client_runs(client: MlflowClient) -> tuple[str, dict[str, str]]:
    experiment_id = client.create_experiment("client-datasets")
    run_ids = {}
    for name, (_, inputs) in RUNS.items():
        run_id = client.create_run(experiment_id, run_name=name).info.run_id
        client.log_inputs(run_id, list(inputs))
        run_ids[name] = run_id
    return experiment_id, run_ids


def test_mlflow_client_filters_by_dataset_context_on_sqlite(tmp_path: Path) -> None:
    client = MlflowClient(f"sqlite:///{tmp_path / 'client.db'}")
    experiment_id, run_ids = _log_client_runs(client)
    runs = client.search_runs(experiment_id, filter_string="dataset.context = 'train'")
    assert {r.info.run_id for r in runs} == {run_ids[n] for n in ("both", "train_only", "v2")}
    assert all(
        any(t.value == "train" for i in r.inputs.dataset_inputs for t in i.tags) for r in runs
    )


def test_dataset_filters_through_a_real_server(tmp_path: Path) -> None:
    with start_mltrail_server(tmp_path) as server:
        client = MlflowClient(server.url)
        experiment_id, run_ids = _log_client_runs(client)
        for filter_string in (
            "dataset.context = 'train'",
            "dataset.context != 'train'",
            "dataset.digest NOT IN ('abc123')",
            "dataset.name ILIKE 'IRIS-%'",
        ):
            expected = dict(CASES)[filter_string]
            runs = client.search_runs(experiment_id, filter_string=filter_string)
            assert {r.info.run_id for r in runs} == {run_ids[n] for n in expected}, filter_string
