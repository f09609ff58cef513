"""Runs left active when a script exits are ended, and queued async logging is written."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mltrail as mlflow


def _run_script(tmp_path: Path, tracking_db: str, body: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(
        "import mltrail as mlflow\n"
        f"mlflow.set_tracking_uri({tracking_db!r})\n" + textwrap.dedent(body)
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    env["MLFLOW_DEFAULT_ARTIFACT_ROOT"] = str(tmp_path / "artifacts")
    return subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )


def _only_run() -> mlflow.entities.Run:
    runs = mlflow.search_runs(["0"], output_format="list")
    assert len(runs) == 1
    return runs[0]


@pytest.mark.parametrize(
    ("body", "exit_ok", "status"),
    [
        ("mlflow.start_run()\nmlflow.log_metric('m', 1.0)\n", True, "FINISHED"),
        ("mlflow.log_metric('m', 1.0)\nraise RuntimeError('crash')\n", False, "FAILED"),
    ],
)
def test_active_run_is_ended_at_exit(
    tmp_path: Path, tracking_db: str, body: str, exit_ok: bool, status: str
) -> None:
    out = _run_script(tmp_path, tracking_db, body)
    assert (out.returncode == 0) is exit_ok, out.stderr
    run = _only_run()
    assert run.info.status == status
    assert run.info.end_time is not None
    assert run.data.metrics == {"m": 1.0}


def test_queued_async_logging_is_written_at_exit(tmp_path: Path, tracking_db: str) -> None:
    body = """
    mlflow.start_run()
    for step in range(300):
        mlflow.log_metric("m", step, step=step, synchronous=False)
    mlflow.log_param("p", 1, synchronous=False)
    """
    out = _run_script(tmp_path, tracking_db, body)
    assert out.returncode == 0, out.stderr
    run = _only_run()
    assert run.info.status == "FINISHED"
    assert run.data.params == {"p": "1"}
    assert len(mlflow.MlflowClient().get_metric_history(run.info.run_id, "m")) == 300
