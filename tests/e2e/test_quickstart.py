"""The README's quickstart, run as a user runs it, and its results read back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mltrail import MlflowClient

REPO = Path(__file__).resolve().parents[2]


def test_quickstart_runs_and_is_read_back(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_")}
    out = subprocess.run(
        [sys.executable, str(REPO / "examples" / "quickstart.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "mlflow.db").is_file()
    assert "Tracking data:  sqlite:///mlflow.db" in out.stdout

    client = MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    exp = client.get_experiment_by_name("MLflow Quickstart")
    assert exp is not None
    runs = client.search_runs([exp.experiment_id], order_by=["attributes.start_time ASC"])
    assert len(runs) == 4
    parent = next(r for r in runs if r.info.run_name == "iris-logreg")
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert sorted(r.info.run_name for r in children) == ["C=0.01", "C=0.1", "C=1.0"]
    assert parent.info.status == "FINISHED"
    assert parent.data.params == {"solver": "lbfgs", "max_iter": "1000", "random_state": "8888"}
    assert 0.9 <= parent.data.metrics["accuracy"] <= 1.0
    assert parent.data.tags["Training Info"] == "Basic LR model for iris data"
    assert {c.data.params["C"] for c in children} == {"0.01", "0.1", "1.0"}

    # The artifact is on disk under ./mlruns, where the run says it is.
    files = [f.path for f in client.list_artifacts(parent.info.run_id)]
    assert files == ["classification_report.txt"]
    artifact_root = Path(parent.info.artifact_uri.removeprefix("file://"))
    assert artifact_root.is_relative_to(tmp_path / "mlruns")
    report = (artifact_root / "classification_report.txt").read_text()
    assert "precision" in report
    assert parent.info.run_id in out.stdout
