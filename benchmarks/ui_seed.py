"""Seed the UI benchmark data, run unchanged by the mltrail and the MLflow interpreter.

Usage: ``python ui_seed.py --impl {mltrail,mlflow} --db sqlite:////x/ui.db --workdir DIR
[--runs N --points N --key-runs N --keys N --keys-per-run N]``.

Writes straight into the SQLite database through the implementation's own ``MlflowClient``
(``log_batch``, at most 1,000 metrics per call, MLflow's limit), before any server runs; that is
far faster than going through REST. Prints one line ``BENCH_RESULT <json>`` with the ids the
browser workloads need. Deterministic: both implementations get the same names, values and
timestamps.

Three experiments:

- ``ui-bench-runs``: ``--runs`` runs with 5 params, 5 metrics (one step each) and 3 tags; every
  20th run is a parent with 3 nested children (``mlflow.parentRunId``), so 15% are nested.
- ``ui-bench-series``: one run with metric ``loss`` of ``--points`` points (steps 0..N-1).
- ``ui-bench-keys``: ``--key-runs`` runs; run i logs ``--keys-per-run`` keys out of ``--keys``
  distinct ones (a window starting at i * keys / key_runs), so every key appears in some run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

RESULT_PREFIX = "BENCH_RESULT "
PACKAGE_BY_IMPL = {"mltrail": "mltrail", "mlflow": "mlflow"}
TS0 = 1_750_000_000_000  # fixed epoch ms: the same timestamps for both implementations
MAX_METRICS_PER_BATCH = 1000
RUNS_EXPERIMENT = "ui-bench-runs"
SERIES_EXPERIMENT = "ui-bench-series"
KEYS_EXPERIMENT = "ui-bench-keys"
SERIES_KEY = "loss"
OPTIMIZERS = ("adam", "sgd", "adamw", "rmsprop")
TEAMS = ("vision", "nlp", "speech", "tabular")
STAGES = ("dev", "staging", "prod")


def load(impl: str) -> tuple[Any, Any]:
    package = PACKAGE_BY_IMPL[impl]
    return importlib.import_module(package), importlib.import_module(package + ".entities")


def new_experiment(client: Any, workdir: Path, name: str) -> str:
    artifacts = (workdir / "artifacts" / name).resolve().as_uri()
    return str(client.create_experiment(name, artifact_location=artifacts))


def seed_runs(client: Any, entities: Any, workdir: Path, runs: int) -> dict[str, Any]:
    exp_id = new_experiment(client, workdir, RUNS_EXPERIMENT)
    parent_id = ""
    for i in range(runs):
        start = TS0 + i * 1000
        tags = {"team": TEAMS[i % 4], "dataset": f"ds-{i % 7}", "stage": STAGES[i % 3]}
        if i % 20 == 0:
            parent_id = ""
        elif i % 20 <= 3 and parent_id:
            tags["mlflow.parentRunId"] = parent_id
        run = client.create_run(exp_id, start_time=start, tags=tags, run_name=f"run-{i:05d}")
        run_id = run.info.run_id
        if i % 20 == 0:
            parent_id = run_id
        params = [
            entities.Param("lr", f"{10 ** -(1 + i % 4):g}"),
            entities.Param("batch_size", str(2 ** (4 + i % 5))),
            entities.Param("optimizer", OPTIMIZERS[i % 4]),
            entities.Param("dropout", f"{(i % 6) / 10:.1f}"),
            entities.Param("layers", str(2 + i % 9)),
        ]
        x = (i * 7919) % 10_000 / 10_000  # a deterministic spread in [0, 1)
        metrics = [
            entities.Metric("loss", 1.0 - 0.8 * x, start + 500, 0),
            entities.Metric("accuracy", 0.5 + 0.45 * x, start + 500, 0),
            entities.Metric("f1", 0.4 + 0.5 * x, start + 500, 0),
            entities.Metric("precision", 0.45 + 0.5 * math.sqrt(x), start + 500, 0),
            entities.Metric("recall", 0.35 + 0.6 * x * x, start + 500, 0),
        ]
        client.log_batch(run_id, metrics=metrics, params=params)
        client.set_terminated(run_id, "FINISHED", end_time=start + 900)
    return {"runs_experiment_id": exp_id, "runs": runs}


def seed_series(client: Any, entities: Any, workdir: Path, points: int) -> dict[str, Any]:
    exp_id = new_experiment(client, workdir, SERIES_EXPERIMENT)
    run = client.create_run(exp_id, start_time=TS0, run_name="long-series")
    run_id = run.info.run_id
    for first in range(0, points, MAX_METRICS_PER_BATCH):
        batch = [
            entities.Metric(
                SERIES_KEY, 2.0 / (1 + step / 1000) + 0.05 * math.sin(step / 50), TS0 + step, step
            )
            for step in range(first, min(points, first + MAX_METRICS_PER_BATCH))
        ]
        client.log_batch(run_id, metrics=batch)
    client.set_terminated(run_id, "FINISHED", end_time=TS0 + points + 1)
    return {"series_experiment_id": exp_id, "series_run_id": run_id, "points": points}


def seed_keys(
    client: Any, entities: Any, workdir: Path, runs: int, keys: int, per_run: int
) -> dict[str, Any]:
    exp_id = new_experiment(client, workdir, KEYS_EXPERIMENT)
    stride = max(1, keys // max(1, runs))
    for i in range(runs):
        start = TS0 + i * 1000
        run = client.create_run(exp_id, start_time=start, run_name=f"keys-{i:04d}")
        run_id = run.info.run_id
        first = (i * stride) % keys
        names = [f"layer_{(first + j) % keys:04d}/grad_norm" for j in range(per_run)]
        metrics = [
            entities.Metric(name, ((i + j) % 97) / 97, start + 500, 0)
            for j, name in enumerate(names)
        ]
        for chunk in range(0, len(metrics), MAX_METRICS_PER_BATCH):
            client.log_batch(run_id, metrics=metrics[chunk : chunk + MAX_METRICS_PER_BATCH])
        client.log_batch(run_id, params=[entities.Param("seed", str(i))])
        client.set_terminated(run_id, "FINISHED", end_time=start + 900)
    distinct = min(keys, (runs - 1) * stride + per_run)
    return {"keys_experiment_id": exp_id, "key_runs": runs, "distinct_keys": distinct}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--impl", choices=sorted(PACKAGE_BY_IMPL), required=True)
    parser.add_argument("--db", required=True, help="sqlite:////abs/path/ui.db")
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--key-runs", type=int, default=1000)
    parser.add_argument("--keys", type=int, default=5000)
    parser.add_argument("--keys-per-run", type=int, default=250)
    args = parser.parse_args(argv)
    mlflow, entities = load(args.impl)
    client = mlflow.MlflowClient(tracking_uri=args.db)
    started = time.perf_counter()
    result: dict[str, Any] = {}
    result.update(seed_runs(client, entities, args.workdir, args.runs))
    result.update(seed_series(client, entities, args.workdir, args.points))
    if args.key_runs > 0:
        result.update(
            seed_keys(client, entities, args.workdir, args.key_runs, args.keys, args.keys_per_run)
        )
    result["seconds"] = time.perf_counter() - started
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
