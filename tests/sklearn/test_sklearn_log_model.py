"""log_model on a SQLite tracking store, and the issue's tutorials run as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import mltrail
import mltrail.sklearn
from mltrail import MlflowClient


@pytest.mark.parametrize("fmt", ["skops", "cloudpickle", "pickle"])
@pytest.mark.parametrize("case_name", ["logistic", "pipeline", "linear"])
def test_log_and_load_round_trip(
    fitted_cases: dict[str, Any], sqlite_tracking: str, case_name: str, fmt: str
) -> None:
    case = fitted_cases[case_name]
    with mltrail.start_run() as run:
        info = mltrail.sklearn.log_model(case.model, name="model", serialization_format=fmt)
    assert info.model_uri == f"models:/{info.model_id}"
    assert info.run_id == run.info.run_id
    assert info.flavors["sklearn"]["serialization_format"] == fmt

    expected = case.model.predict(case.X_test)
    for uri in (info.model_uri, f"runs:/{run.info.run_id}/model"):
        np.testing.assert_array_equal(
            mltrail.sklearn.load_model(uri).predict(case.X_test), expected
        )
        np.testing.assert_array_equal(
            np.asarray(mltrail.pyfunc.load_model(uri).predict(case.X_test)), expected
        )
    logged = MlflowClient().get_logged_model(info.model_id)
    assert logged.source_run_id == run.info.run_id
    assert logged.name == "model"


def test_log_model_with_artifact_path_and_input_example(
    fitted_cases: dict[str, Any], sqlite_tracking: str
) -> None:
    case = fitted_cases["logistic"]
    with mltrail.start_run():
        info = mltrail.sklearn.log_model(
            case.model,
            artifact_path="legacy_name",
            input_example=case.X_train.head(2),
        )
    assert info.flavors["sklearn"]["pickled_model"] == "model.skops"
    assert info.signature is not None
    assert info.signature.outputs.to_json() == '[{"type": "long", "required": true}]'
    assert MlflowClient().get_logged_model(info.model_id).name == "legacy_name"
    loaded = mltrail.sklearn.load_model(info.model_uri)
    np.testing.assert_array_equal(loaded.predict(case.X_test), case.model.predict(case.X_test))


def test_seed_tutorial_iris(sqlite_tracking: str) -> None:
    """The issue's seed tutorial, unchanged apart from ``import mltrail as mlflow``."""
    from sklearn import datasets
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    import mltrail as mlflow
    from mltrail.models import infer_signature

    X, y = datasets.load_iris(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.2, random_state=42)
    params = {"solver": "lbfgs", "max_iter": 1000, "random_state": 8888}
    lr = LogisticRegression(**params)
    lr.fit(X_train, y_train)

    mlflow.set_experiment("MLflow Quickstart")
    signature = infer_signature(X_train, lr.predict(X_train))
    with mlflow.start_run():
        mlflow.log_params(params)
        model_info = mlflow.sklearn.log_model(
            sk_model=lr, name="iris_model", signature=signature, input_example=X_train
        )

    loaded_model = mlflow.pyfunc.load_model(model_info.model_uri)
    predictions = loaded_model.predict(X_test)
    np.testing.assert_array_equal(predictions, lr.predict(X_test))
    assert model_info.signature.inputs.to_json() == (
        '[{"type": "tensor", "tensor-spec": {"dtype": "float64", "shape": [-1, 4]}}]'
    )
    assert model_info.saved_input_example_info["type"] == "ndarray"


def test_breast_cancer_manual_signature(tmp_path: Path) -> None:
    """The breast-cancer example: a hand-written ColSpec signature and a conda env."""
    from sklearn.datasets import load_breast_cancer
    from sklearn.ensemble import GradientBoostingClassifier  # noqa: F401 - as in the example
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    import mltrail as mlflow
    from mltrail.models.signature import ModelSignature
    from mltrail.types.schema import ColSpec, Schema

    data = load_breast_cancer(as_frame=True)
    X_train, X_test, y_train, _ = train_test_split(
        data.data, data.target, test_size=0.25, random_state=0
    )
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    model.fit(X_train, y_train)

    input_schema = Schema([ColSpec("double", name) for name in X_train.columns])
    output_schema = Schema([ColSpec("long")])
    signature = ModelSignature(inputs=input_schema, outputs=output_schema)
    conda_env = {
        "name": "breast-cancer-env",
        "channels": ["conda-forge"],
        "dependencies": [
            "python=3.11",
            "pip",
            {"pip": ["mlflow", "scikit-learn", "pandas"]},
        ],
    }
    path = tmp_path / "breast_cancer_model"
    mlflow.sklearn.save_model(model, str(path), conda_env=conda_env, signature=signature)

    mlmodel = yaml.safe_load((path / "MLmodel").read_text())
    assert mlmodel["signature"]["outputs"] == '[{"type": "long", "required": true}]'
    assert yaml.safe_load((path / "conda.yaml").read_text()) == conda_env

    expected = model.predict(X_test)
    pyfunc_model = mlflow.pyfunc.load_model(str(path))
    np.testing.assert_array_equal(np.asarray(pyfunc_model.predict(X_test)), expected)
    sk_model = mlflow.sklearn.load_model(str(path))
    np.testing.assert_array_equal(sk_model.predict(X_test), expected)
    np.testing.assert_allclose(sk_model.predict_proba(X_test), model.predict_proba(X_test))
    # The signature is enforced: a missing column is refused with MLflow's message.
    with pytest.raises(mlflow.MlflowException, match="Model is missing inputs"):
        pyfunc_model.predict(X_test.drop(columns=["mean radius"]))
