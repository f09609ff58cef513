"""Many clients writing at once: 16 threads against one SQLite-backed server, and
``--workers 2`` over PostgreSQL. No request may fail and no write may be lost. The server's
resident memory is measured after start and after the load and printed (run with -s)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import requests

from helpers.servers import ServerHandle, process_tree_rss_mb, start_mltrail_server

IDLE_RSS_LIMIT_MB = 150.0  # the goal is < 100 MB; the bound leaves room for noise


def _write_one_run(base: str, experiment_id: str, index: int, errors: list[str]) -> None:
    """One client: a run with 25 single metrics, a 100-point batch, params, tags, end."""
    api = f"{base}/api/2.0/mlflow"
    with requests.Session() as session:

        def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            response = session.post(f"{api}/{path}", json=body, timeout=60)
            if response.status_code != 200:
                errors.append(f"{path}: {response.status_code} {response.text[:200]}")
            return response.json()

        run_id = post(
            "runs/create",
            {"experiment_id": experiment_id, "start_time": index, "run_name": f"client-{index}"},
        )["run"]["info"]["run_id"]
        for step in range(25):
            post(
                "runs/log-metric",
                {
                    "run_id": run_id,
                    "key": "m",
                    "value": step * 0.1,
                    "timestamp": 1000 + step,
                    "step": step,
                },
            )
        batch = [{"key": "b", "value": i, "timestamp": 5, "step": i} for i in range(100)]
        post(
            "runs/log-batch",
            {
                "run_id": run_id,
                "metrics": batch,
                "params": [{"key": f"p{i}", "value": str(i)} for i in range(5)],
                "tags": [{"key": "client", "value": str(index)}],
            },
        )
        post("runs/set-tag", {"run_id": run_id, "key": "done", "value": "yes"})
        post("runs/update", {"run_id": run_id, "status": "FINISHED", "end_time": 9999})


def _load(server: ServerHandle, clients: int) -> tuple[str, list[str]]:
    created = requests.post(f"{server.url}/api/2.0/mlflow/experiments/create",
                            json={"name": "load"}, timeout=30)  # fmt: skip
    assert created.status_code == 200, created.text
    experiment_id = created.json()["experiment_id"]
    errors: list[str] = []
    threads = [
        threading.Thread(target=_write_one_run, args=(server.url, experiment_id, i, errors))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return experiment_id, errors


def _assert_every_write_landed(server: ServerHandle, experiment_id: str, clients: int) -> None:
    api = f"{server.url}/api/2.0/mlflow"
    runs = requests.post(
        f"{api}/runs/search",
        json={"experiment_ids": [experiment_id], "max_results": 100},
        timeout=30,
    ).json()
    assert len(runs["runs"]) == clients
    for run in runs["runs"]:
        info, data = run["info"], run["data"]
        assert info["status"] == "FINISHED" and info["end_time"] == 9999
        assert len(data["params"]) == 5
        tags = {t["key"]: t["value"] for t in data["tags"]}
        assert tags["done"] == "yes" and tags["mlflow.runName"] == f"client-{tags['client']}"
        for key, expected in (("m", 25), ("b", 100)):
            history = requests.get(
                f"{api}/metrics/get-history",
                timeout=30,
                params={"run_id": info["run_id"], "metric_key": key},
            ).json()
            assert len(history["metrics"]) == expected


def test_sixteen_concurrent_clients_on_sqlite(tmp_path: Path):
    with start_mltrail_server(tmp_path) as server:
        idle_mb = process_tree_rss_mb(server.pid)
        experiment_id, errors = _load(server, clients=16)
        loaded_mb = process_tree_rss_mb(server.pid)
        assert errors == []
        _assert_every_write_landed(server, experiment_id, clients=16)
        log = server.log()
    print(f"\nmltrail server RSS (SQLite, 1 worker): idle {idle_mb:.1f} MB, "
          f"after 16-client load {loaded_mb:.1f} MB")  # fmt: skip
    assert "database is locked" not in log and "Traceback" not in log
    assert 0 < idle_mb < IDLE_RSS_LIMIT_MB


@pytest.mark.postgres
def test_two_workers_over_postgresql(tmp_path: Path, postgres_db_uri: str):
    backend = postgres_db_uri.replace("postgresql://", "postgresql+psycopg://")
    with start_mltrail_server(tmp_path, "--workers", "2", backend_store_uri=backend) as server:
        idle_mb = process_tree_rss_mb(server.pid)
        experiment_id, errors = _load(server, clients=8)
        loaded_mb = process_tree_rss_mb(server.pid)
        assert errors == []
        _assert_every_write_landed(server, experiment_id, clients=8)
        log = server.log()
    print(f"\nmltrail server RSS (PostgreSQL, 2 workers, whole process tree): idle "
          f"{idle_mb:.1f} MB, after load {loaded_mb:.1f} MB")  # fmt: skip
    assert log.count("Started server process") == 2
    assert "Traceback" not in log
