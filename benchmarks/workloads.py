"""Benchmark workloads, run unchanged by the mltrail and the MLflow interpreter.

Usage: ``python workloads.py WORKLOAD --impl {mltrail,mlflow} [--db URI] [--workdir DIR] [...]``.
Each workload prints one line ``BENCH_RESULT <json>`` on stdout. Only MLflow's public API is used,
so the same code runs as ``import mlflow`` and as ``import mltrail as mlflow``.

Only ``sys``, ``time`` and ``resource`` are imported at module level, so the ``import`` workload
measures the package import against an interpreter that has loaded nothing else.
"""

from __future__ import annotations

import resource
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:  # keep ``typing`` out of the interpreter the import workload measures
    from typing import Any, NoReturn

RESULT_PREFIX = "BENCH_RESULT "
PACKAGE_BY_IMPL = {"mltrail": "mltrail", "mlflow": "mlflow"}

SEARCH_EXPERIMENT = "bench-search"
SEARCH_FILTER = "metrics.m1 > 0.5 and params.p1 = 'v1'"
SEARCH_ORDER = ["metrics.m2 DESC"]
SEARCH_MAX_RESULTS = 1000


def emit(result: dict[str, Any]) -> None:
    """Print the one result line the runner parses."""
    import json

    print(RESULT_PREFIX + json.dumps(result), flush=True)


def peak_rss_kib() -> int:
    """Peak resident set size of this process image, in KiB.

    Linux's ``ru_maxrss`` survives ``exec``: a child starts with its parent's peak (the runner's
    ~20 MiB), which would hide a small import. ``VmHWM`` belongs to the new image, so use it.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure_import(impl: str) -> dict[str, Any]:
    """(a) Wall time and peak-RSS growth of ``import <package>`` in this fresh interpreter."""
    baseline_kib = peak_rss_kib()
    start = time.perf_counter()
    __import__(PACKAGE_BY_IMPL[impl])
    seconds = time.perf_counter() - start
    peak_kib = peak_rss_kib()
    return {
        "seconds": seconds,
        "rss_delta_kib": peak_kib - baseline_kib,
        "baseline_kib": baseline_kib,
    }


# --------------------------------------------------------------------------- helpers


def load(impl: str) -> tuple[Any, Any]:
    """Return ``(mlflow_module, entities_module)`` for the selected implementation."""
    import importlib

    package = PACKAGE_BY_IMPL[impl]
    return importlib.import_module(package), importlib.import_module(package + ".entities")


def now_ms() -> int:
    return int(time.time() * 1000)


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def timed_repeats(fn: Any, repeats: int, warmup: int = 1) -> tuple[list[float], Any]:
    """Call ``fn`` ``warmup`` times untimed, then ``repeats`` times timed."""
    result = None
    for _ in range(warmup):
        result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def new_client_and_run(impl: str, db: str, workdir: str, name: str) -> tuple[Any, Any, str, str]:
    """Create an experiment (artifacts under ``workdir``) and a run in it."""
    from pathlib import Path

    mlflow, entities = load(impl)
    client = mlflow.MlflowClient(tracking_uri=db)
    artifacts = (Path(workdir) / "artifacts" / name).resolve().as_uri()
    exp_id = client.create_experiment(name, artifact_location=artifacts)
    run = client.create_run(exp_id, run_name=name + "-run")
    return client, entities, exp_id, run.info.run_id


def points(entities: Any, start_step: int, count: int, keys: int, ts0: int) -> list[Any]:
    """``count`` metric points spread over ``keys`` keys, distinct steps, deterministic values."""
    per_key = count // keys
    return [
        entities.Metric(
            key=f"m{k}",
            value=(start_step + i) * 0.001 + k,
            timestamp=ts0 + start_step + i,
            step=start_step + i,
        )
        for k in range(keys)
        for i in range(per_key)
    ]


# --------------------------------------------------------------------------- (b)


def log_metric_rate(impl: str, db: str, workdir: str, n: int) -> dict[str, Any]:
    """(b) Sequential ``MlflowClient.log_metric`` calls per second."""
    client, _, _, run_id = new_client_and_run(impl, db, workdir, "bench-log-metric")
    for i in range(10):  # warm-up: connection, lazy imports, statement caches
        client.log_metric(run_id, "warmup", float(i), step=i)
    start = time.perf_counter()
    for i in range(n):
        client.log_metric(run_id, "loss", 1.0 / (i + 1), step=i)
    seconds = time.perf_counter() - start
    history = client.get_metric_history(run_id, "loss")
    assert len(history) == n, f"expected {n} points, store has {len(history)}"
    assert sorted(m.step for m in history) == list(range(n)), "steps do not match"
    return {"calls": n, "seconds": seconds, "calls_per_s": n / seconds}


# --------------------------------------------------------------------------- (c)


def log_batch_rate(
    impl: str, db: str, workdir: str, batches: int, size: int, repeats: int
) -> dict[str, Any]:
    """(c) ``log_batch`` points/s: ``batches`` calls of ``size`` metrics, a fresh run per repeat."""
    client, entities, exp_id, run_id = new_client_and_run(impl, db, workdir, "bench-log-batch")
    ts0 = now_ms()
    client.log_batch(run_id, metrics=points(entities, 0, size, 10, ts0))  # warm-up
    total, times = batches * size, []
    for _ in range(repeats):
        run_id = client.create_run(exp_id).info.run_id
        prepared = [points(entities, b * size, size, 10, ts0) for b in range(batches)]
        start = time.perf_counter()
        for batch in prepared:
            client.log_batch(run_id, metrics=batch)
        times.append(time.perf_counter() - start)
        stored = sum(len(client.get_metric_history(run_id, f"m{k}")) for k in range(10))
        assert stored == total, f"expected {total} points, store has {stored}"
    return {"points": total, "times": times, "points_per_s": total / median(times)}


RAW_TABLES = {
    "plain": "CREATE TABLE metrics (run_uuid TEXT, key TEXT, value REAL, timestamp INTEGER, "
    "step INTEGER)",
    "primary_key": "CREATE TABLE metrics (run_uuid TEXT NOT NULL, key TEXT NOT NULL, "
    "value REAL NOT NULL, timestamp INTEGER NOT NULL, step INTEGER NOT NULL, "
    "PRIMARY KEY (key, timestamp, step, run_uuid, value))",
}


def raw_executemany_rate(
    workdir: str, batches: int, size: int, table: str, repeats: int
) -> dict[str, Any]:
    """(c) baseline: raw sqlite3 ``executemany`` of the same rows, WAL, synchronous=NORMAL.

    One commit per ``size`` rows, into a fresh database file per repeat.
    """
    import sqlite3
    import uuid
    from pathlib import Path

    insert = "INSERT INTO metrics (run_uuid, key, value, timestamp, step) VALUES (?, ?, ?, ?, ?)"
    total, times, per_key = batches * size, [], size // 10
    for repeat in range(repeats):
        conn = sqlite3.connect(Path(workdir) / f"raw-{table}-{repeat}.db")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(RAW_TABLES[table])
        conn.commit()
        run_id, ts0 = uuid.uuid4().hex, now_ms()
        prepared = [
            [
                (run_id, f"m{k}", (b * size + i) * 0.001 + k, ts0 + b * size + i, b * size + i)
                for k in range(10)
                for i in range(per_key)
            ]
            for b in range(batches)
        ]
        start = time.perf_counter()
        for rows in prepared:
            conn.executemany(insert, rows)
            conn.commit()
        times.append(time.perf_counter() - start)
        (stored,) = conn.execute("SELECT count(*) FROM metrics").fetchone()
        conn.close()
        assert stored == total, f"expected {total} rows, table has {stored}"
    return {"points": total, "times": times, "points_per_s": total / median(times)}


# --------------------------------------------------------------------------- (d), (f)


def seed_runs(impl: str, db: str, workdir: str, runs: int) -> dict[str, Any]:
    """Seed ``runs`` runs (10 params, 5 metrics, 5 tags each, via log_batch). Not timed by goals."""
    import random
    from pathlib import Path

    mlflow, entities = load(impl)
    client = mlflow.MlflowClient(tracking_uri=db)
    artifacts = (Path(workdir) / "artifacts" / SEARCH_EXPERIMENT).resolve().as_uri()
    exp_id = client.create_experiment(SEARCH_EXPERIMENT, artifact_location=artifacts)
    rng, ts = random.Random(20240601), now_ms()
    start = time.perf_counter()
    for i in range(runs):
        run = client.create_run(exp_id, run_name=f"run-{i:05d}")
        params = [entities.Param(f"p{k}", f"v{rng.randrange(5)}") for k in range(10)]
        metrics = [
            entities.Metric(key=f"m{k}", value=rng.random(), timestamp=ts, step=0) for k in range(5)
        ]
        tags = [entities.RunTag("t0", f"idx-{i:05d}")]
        tags += [entities.RunTag(f"t{k}", f"tag-{rng.randrange(100)}") for k in range(1, 5)]
        client.log_batch(run.info.run_id, metrics=metrics, params=params, tags=tags)
    return {"runs": runs, "seconds": time.perf_counter() - start, "experiment_id": exp_id}


def search_filtered(impl: str, db: str, repeats: int) -> dict[str, Any]:
    """(d) ``MlflowClient.search_runs`` with a metric+param filter and a metric order."""
    import hashlib

    mlflow, _ = load(impl)
    client = mlflow.MlflowClient(tracking_uri=db)
    exp_id = client.get_experiment_by_name(SEARCH_EXPERIMENT).experiment_id

    def search() -> Any:
        return client.search_runs(
            [exp_id],
            filter_string=SEARCH_FILTER,
            order_by=SEARCH_ORDER,
            max_results=SEARCH_MAX_RESULTS,
        )

    times, runs = timed_repeats(search, repeats)
    order = [r.data.tags["t0"] for r in runs]
    m2 = [r.data.metrics["m2"] for r in runs]
    assert m2 == sorted(m2, reverse=True), "runs are not ordered by metrics.m2 DESC"
    assert all(r.data.metrics["m1"] > 0.5 and r.data.params["p1"] == "v1" for r in runs)
    assert all(len(r.data.params) == 10 and len(r.data.metrics) == 5 for r in runs)
    return {
        "seconds": median(times),
        "times": times,
        "rows": len(runs),
        "order_digest": hashlib.sha1(",".join(order).encode()).hexdigest()[:12],
    }


def search_dataframe(impl: str, db: str, repeats: int, runs: int) -> dict[str, Any]:
    """(f) fluent ``mlflow.search_runs`` returning a pandas DataFrame of every run."""
    mlflow, _ = load(impl)
    mlflow.set_tracking_uri(db)
    exp_id = mlflow.MlflowClient().get_experiment_by_name(SEARCH_EXPERIMENT).experiment_id
    times, frame = timed_repeats(lambda: mlflow.search_runs(experiment_ids=[exp_id]), repeats)
    assert len(frame) == runs, f"expected {runs} rows, DataFrame has {len(frame)}"
    wanted = {f"params.p{k}" for k in range(10)} | {f"metrics.m{k}" for k in range(5)}
    wanted |= {f"tags.t{k}" for k in range(5)} | {"run_id", "experiment_id", "status"}
    missing = wanted - set(frame.columns)
    assert not missing, f"DataFrame lacks columns {sorted(missing)}"
    return {
        "seconds": median(times),
        "times": times,
        "rows": len(frame),
        "columns": sorted(frame.columns),
    }


# --------------------------------------------------------------------------- (e)


def metric_history(impl: str, db: str, workdir: str, n: int, repeats: int) -> dict[str, Any]:
    """(e) ``get_metric_history`` of ``n`` points of one metric (logged untimed in 1000s)."""
    client, entities, _, run_id = new_client_and_run(impl, db, workdir, "bench-history")
    ts0 = now_ms()
    for start_step in range(0, n, 1000):
        count = min(1000, n - start_step)
        batch = [
            entities.Metric(key="loss", value=1.0 / (s + 1), timestamp=ts0 + s, step=s)
            for s in range(start_step, start_step + count)
        ]
        client.log_batch(run_id, metrics=batch)
    times, history = timed_repeats(lambda: client.get_metric_history(run_id, "loss"), repeats)
    assert len(history) == n, f"expected {n} points, got {len(history)}"
    assert sum(m.step for m in history) == n * (n - 1) // 2, "steps do not match"
    return {"seconds": median(times), "times": times, "points": len(history)}


# --------------------------------------------------------------------------- durability


def durability_setup(impl: str, db: str, workdir: str) -> dict[str, Any]:
    """Create the run the durability writer logs to."""
    _, _, _, run_id = new_client_and_run(impl, db, workdir, "bench-durability")
    return {"run_id": run_id}


def durability_writer(impl: str, db: str, run_id: str, first_step: int) -> NoReturn:
    """Log ``loss`` forever, printing each step after ``log_metric`` returned (= committed)."""
    mlflow, _ = load(impl)
    client = mlflow.MlflowClient(tracking_uri=db)
    step = first_step
    while True:
        client.log_metric(run_id, "loss", float(step), step=step)
        sys.stdout.write(f"{step}\n")
        sys.stdout.flush()
        step += 1


def durability_check(impl: str, db: str, run_id: str) -> dict[str, Any]:
    """Reopen the store and list the ``loss`` steps it holds."""
    mlflow, _ = load(impl)
    client = mlflow.MlflowClient(tracking_uri=db)
    return {"steps": sorted(m.step for m in client.get_metric_history(run_id, "loss"))}


# --------------------------------------------------------------------------- entry point


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workload")
    parser.add_argument("--impl", choices=sorted(PACKAGE_BY_IMPL), required=True)
    parser.add_argument("--db", help="tracking URI, e.g. sqlite:////tmp/x/bench.db")
    parser.add_argument("--workdir", default=".")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--batches", type=int, default=50)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--table", choices=sorted(RAW_TABLES), default="plain")
    parser.add_argument("--run-id")
    args = parser.parse_args(argv)
    impl, db, workdir = args.impl, args.db, args.workdir
    dispatch = {
        "log_metric": lambda: log_metric_rate(impl, db, workdir, args.n),
        "log_batch": lambda: log_batch_rate(
            impl, db, workdir, args.batches, args.size, args.repeats
        ),
        "raw_executemany": lambda: raw_executemany_rate(
            workdir, args.batches, args.size, args.table, args.repeats
        ),
        "seed_runs": lambda: seed_runs(impl, db, workdir, args.runs),
        "search_filtered": lambda: search_filtered(impl, db, args.repeats),
        "search_dataframe": lambda: search_dataframe(impl, db, args.repeats, args.runs),
        "metric_history": lambda: metric_history(impl, db, workdir, args.n, args.repeats),
        "durability_setup": lambda: durability_setup(impl, db, workdir),
        "durability_writer": lambda: durability_writer(impl, db, args.run_id, args.n),
        "durability_check": lambda: durability_check(impl, db, args.run_id),
    }
    if args.workload not in dispatch:
        parser.error(f"unknown workload {args.workload!r}; choose from import, {sorted(dispatch)}")
    emit(dispatch[args.workload]())


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "import" and sys.argv[2] == "--impl":
        # Measure before argparse/json are loaded, so the baseline is an empty interpreter.
        emit(measure_import(sys.argv[3]))
    else:
        main(sys.argv[1:])
