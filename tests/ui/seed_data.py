"""Seed a tracking server with the data the UI tests look at (run as a script).

``MLFLOW_TRACKING_URI`` names the server. Prints one JSON line with the ids it made:
{"experiment_id", "empty_experiment_id", "deleted_experiment_id", "runs": {name: run_id},
 "model_run_id", "long_run_id", "registered_model"}.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from pathlib import Path

import mltrail as mlflow
from mltrail import MlflowClient
from mltrail.entities import Metric

LONG_SERIES_POINTS = 50_000
LONG_SERIES_SPIKE_STEP = 31_337


def _write_png(path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(3, 2), dpi=60)
    axes.plot([0, 1, 2, 3], [3, 1, 2, 0.5])
    figure.savefig(path)
    plt.close(figure)


def _seed_sweep(client: MlflowClient, experiment_id: str, runs: dict[str, str]) -> None:
    """12 flat runs with params, metric histories and tags; statuses vary."""
    statuses = ["FINISHED"] * 9 + ["FAILED", "KILLED", "RUNNING"]
    for index in range(12):
        lr = [0.001, 0.003, 0.01, 0.03][index % 4]
        name = f"sweep-{index:02d}"
        team = "vision" if index % 2 else "nlp"
        run = client.create_run(experiment_id, run_name=name, tags={"team": team})
        run_id = run.info.run_id
        runs[name] = run_id
        client.log_param(run_id, "lr", str(lr))
        client.log_param(run_id, "batch_size", str([32, 64, 128][index % 3]))
        client.log_param(run_id, "optimizer", "adam" if index % 3 else "sgd")
        points = []
        for step in range(40):
            loss = 2.0 * math.exp(-lr * 60 * step) + 0.05 * index
            points.append(Metric("loss", loss, 1_700_000_000_000 + step * 1000, step))
            points.append(Metric("accuracy", 1 - loss / 2.5, 1_700_000_000_000 + step * 1000, step))
        client.log_batch(run_id, metrics=points)
        client.log_metric(run_id, "f1", round(0.5 + index * 0.035, 4))
        if statuses[index] != "RUNNING":
            client.set_terminated(run_id, statuses[index])


def _seed_nested(client: MlflowClient, experiment_id: str, runs: dict[str, str]) -> None:
    """A parent with two children; the first child has two children of its own (depth 3)."""
    parent = client.create_run(experiment_id, run_name="tuning-parent").info.run_id
    runs["tuning-parent"] = parent
    client.log_metric(parent, "f1", 0.9)
    for c in range(2):
        child = client.create_run(
            experiment_id, run_name=f"child-{c}", tags={"mlflow.parentRunId": parent}
        ).info.run_id
        runs[f"child-{c}"] = child
        client.log_param(child, "depth", str(c + 2))
        client.log_metric(child, "f1", 0.8 + c / 20)
        if c == 0:
            for g in range(2):
                grandchild = client.create_run(
                    experiment_id, run_name=f"grandchild-{g}", tags={"mlflow.parentRunId": child}
                ).info.run_id
                runs[f"grandchild-{g}"] = grandchild
                client.log_metric(grandchild, "f1", 0.7 + g / 20)
                client.set_terminated(grandchild)
        client.set_terminated(child)
    client.set_terminated(parent)


def _seed_model_run(experiment_id: str, runs: dict[str, str]) -> str:
    """A run with artifacts of every previewable kind and a logged sklearn model."""
    from sklearn.datasets import load_iris
    from sklearn.linear_model import LogisticRegression

    from mltrail.models import infer_signature

    with mlflow.start_run(experiment_id=experiment_id, run_name="trained-model") as run:
        mlflow.log_params({"C": "1.0", "max_iter": "200"})
        mlflow.log_metric("accuracy", 0.973)
        mlflow.set_tag("mlflow.note.content", "# Iris model\n\nA **logistic regression** on iris.")
        mlflow.log_text("hello from mltrail\nsecond line\n", "notes.txt")
        mlflow.log_dict({"layers": [64, 32], "dropout": 0.1}, "config.json")
        mlflow.log_dict({"optimizer": "adam", "epochs": 10}, "params.yaml")
        mlflow.log_text("sepal_length,sepal_width,label\n5.1,3.5,setosa\n6.2,2.9,virginica\n",
                        "data/sample.csv")  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            png = Path(tmp) / "curve.png"
            _write_png(png)
            mlflow.log_artifact(str(png), "plots")
        X, y = load_iris(return_X_y=True, as_frame=True)
        model = LogisticRegression(max_iter=200).fit(X, y)
        mlflow.sklearn.log_model(
            model, name="model", signature=infer_signature(X, model.predict(X)),
            input_example=X.head(3), serialization_format="cloudpickle",
        )  # fmt: skip
        runs["trained-model"] = run.info.run_id
        return run.info.run_id


def _seed_long_series(client: MlflowClient, experiment_id: str, runs: dict[str, str]) -> str:
    """A metric of LONG_SERIES_POINTS points, flat but for one spike at LONG_SERIES_SPIKE_STEP."""
    run_id = client.create_run(experiment_id, run_name="long-series").info.run_id
    runs["long-series"] = run_id
    start = 1_700_000_000_000
    batch: list[Metric] = []
    for step in range(LONG_SERIES_POINTS):
        value = 100.0 if step == LONG_SERIES_SPIKE_STEP else math.sin(step / 500) * 0.5
        batch.append(Metric("signal", value, start + step * 10, step))
        if len(batch) == 1000:
            client.log_batch(run_id, metrics=batch)
            batch = []
    if batch:
        client.log_batch(run_id, metrics=batch)
    client.set_terminated(run_id)
    return run_id


def main() -> None:
    client = MlflowClient()
    experiment_id = client.create_experiment(
        "ui-demo", tags={"team": "vision", "mlflow.note.content": "Runs for the **UI** tests."}
    )
    empty_id = client.create_experiment("empty-experiment")
    deleted_id = client.create_experiment("old-experiment")
    client.delete_experiment(deleted_id)
    runs: dict[str, str] = {}
    _seed_sweep(client, experiment_id, runs)
    _seed_nested(client, experiment_id, runs)
    model_run_id = _seed_model_run(experiment_id, runs)
    long_run_id = _seed_long_series(client, experiment_id, runs)
    client.create_registered_model("iris-classifier", description="Iris **classifier**.")
    source = f"runs:/{model_run_id}/model"
    client.create_model_version("iris-classifier", source, run_id=model_run_id)
    print(json.dumps({
        "experiment_id": experiment_id,
        "empty_experiment_id": empty_id,
        "deleted_experiment_id": deleted_id,
        "runs": runs,
        "model_run_id": model_run_id,
        "long_run_id": long_run_id,
        "registered_model": "iris-classifier",
        "tracking_uri": os.environ["MLFLOW_TRACKING_URI"],
    }))  # fmt: skip
    sys.stdout.flush()


if __name__ == "__main__":
    main()
