"""Process exit: queued data is written, and failures then are printed, never dropped."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from async_helpers import sql_store_available

# A store that appends each batch as one JSON line to a file: slow, so that plenty is still
# queued when the script's last line runs.
_FILE_STORE = """
import json, sys, time
from mltrail.entities import Metric, Param
from mltrail.tracking.async_logging import AsyncBatchLogger

OUT = sys.argv[1]

def log_batch(run_id, metrics, params, tags):
    time.sleep(0.05)
    with open(OUT, "a") as f:
        f.write(json.dumps({"run": run_id, "steps": [m.step for m in metrics],
                            "params": {p.key: p.value for p in params}}) + "\\n")
"""


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_exit_flushes_everything_queued(tmp_path: Path) -> None:
    out = tmp_path / "batches.jsonl"
    script = (
        _FILE_STORE
        + """
logger = AsyncBatchLogger(log_batch)
for step in range(3000):
    logger.enqueue("run-1", [Metric("loss", 0.5, 1, step)])
logger.enqueue("run-1", [], [Param("lr", "0.1")])
print("queued")  # exits here without flush()
"""
    )
    result = _run(script, str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "queued"
    batches = [json.loads(line) for line in out.read_text().splitlines()]
    assert [s for b in batches for s in b["steps"]] == list(range(3000))
    assert {"lr": "0.1"} in [b["params"] for b in batches]
    assert result.stderr == ""


def test_failures_at_exit_are_printed_with_what_was_lost(tmp_path: Path) -> None:
    script = """
from mltrail.entities import Metric, Param
from mltrail.exceptions import MlflowException
from mltrail.tracking.async_logging import AsyncBatchLogger

def log_batch(run_id, metrics, params, tags):
    raise MlflowException("the tracking server is unreachable", "TEMPORARILY_UNAVAILABLE")

logger = AsyncBatchLogger(log_batch)
logger.enqueue("run-7", [Metric("accuracy", 0.9, 1, s) for s in range(5)], [Param("lr", "1")])
"""
    result = _run(script)
    assert result.returncode == 0
    printed = [line for line in result.stderr.splitlines() if line.startswith("mltrail:")]
    assert len(printed) == 1, result.stderr
    assert "run-7" in printed[0]
    assert "NOT written" in printed[0]
    assert "5 metric points (accuracy)" in printed[0]
    assert "1 params (lr)" in printed[0]
    assert "the tracking server is unreachable" in printed[0]


def test_failures_nobody_waited_for_are_printed_at_exit(tmp_path: Path) -> None:
    """A failure that happened long before exit and was never flushed is still reported."""
    script = """
import time
from mltrail.entities import Param
from mltrail.exceptions import MlflowException
from mltrail.tracking.async_logging import AsyncBatchLogger

def log_batch(run_id, metrics, params, tags):
    raise MlflowException("param changed", "INVALID_PARAMETER_VALUE")

logger = AsyncBatchLogger(log_batch)
logger.enqueue("run-9", [], [Param("a", "2")])
time.sleep(0.3)  # written (and failed) long before exit
"""
    result = _run(script)
    assert "run-9" in result.stderr and "param changed" in result.stderr
    assert "NOT written" in result.stderr


@pytest.mark.skipif(not sql_store_available(), reason="the SQL store is not written yet")
def test_exit_flush_into_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "mlflow.db"
    setup = f"""
import time
from mltrail.store.tracking.sql import SqlTrackingStore
store = SqlTrackingStore("sqlite:///{db}", "{tmp_path / "artifacts"}")
"""
    create = (
        setup
        + """
exp = store.create_experiment("exit-test")
print(store.create_run(exp, "u", int(time.time() * 1000), [], None).info.run_id)
"""
    )
    run_id = _run(create).stdout.strip().splitlines()[-1]
    log = (
        setup
        + f"""
from mltrail.entities import Metric
from mltrail.tracking.async_logging import AsyncBatchLogger
logger = AsyncBatchLogger(store.log_batch)
for step in range(2500):
    logger.enqueue("{run_id}", [Metric("loss", float(step), 1_700_000_000_000 + step, step)])
"""
    )
    result = _run(log)
    assert result.returncode == 0, result.stderr
    read = (
        setup
        + f"""
points = store.get_metric_history("{run_id}", "loss")
print(len(points), sorted(p.step for p in points) == list(range(2500)))
"""
    )
    assert _run(read).stdout.strip().splitlines()[-1] == "2500 True"
