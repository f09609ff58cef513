"""Models move both ways between mltrail and the real MLflow 3.17.2 (run out of process)."""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import mltrail
import mltrail.sklearn
from helpers.servers import run_with_real_mlflow
from mltrail.models.signature import infer_signature

_MLFLOW_SCRIPT = textwrap.dedent(
    """
    import json, logging, pickle, sys, warnings
    warnings.filterwarnings("ignore")
    logging.disable(logging.CRITICAL)
    import numpy as np, pandas as pd, yaml
    import mlflow, mlflow.pyfunc, mlflow.sklearn
    from mlflow.models import infer_signature

    root = sys.argv[1] if len(sys.argv) > 1 else "."
    columns = json.load(open("columns.json"))
    X = pd.DataFrame(np.load("x_test.npy"), columns=columns)
    out = {"mltrail_models": {}, "mlflow_models": {}}

    for name in json.load(open("mltrail_models.json")):
        sk = mlflow.sklearn.load_model("mltrail_" + name)
        py = mlflow.pyfunc.load_model("mltrail_" + name)
        out["mltrail_models"][name] = {
            "sklearn": sk.predict(X).tolist(),
            "pyfunc": np.asarray(py.predict(X)).tolist(),
            "proba": sk.predict_proba(X).tolist() if hasattr(sk, "predict_proba") else None,
            "type": type(sk).__name__,
        }

    with open("estimator.pkl", "rb") as f:
        estimator = pickle.load(f)
    signature = infer_signature(X, estimator.predict(X))
    for fmt in ("skops", "cloudpickle"):
        mlflow.sklearn.save_model(
            estimator, "mlflow_" + fmt, serialization_format=fmt, signature=signature,
            input_example=X.head(2),
        )
        with open("mlflow_" + fmt + "/MLmodel") as f:
            out["mlflow_models"][fmt] = yaml.safe_load(f)
    print(json.dumps(out))
    """
)


@pytest.fixture(scope="module")
def exchange(
    fitted_cases: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Save mltrail models, run one MLflow script that loads them and saves its own."""
    work = tmp_path_factory.mktemp("interchange")
    pipeline = fitted_cases["pipeline"]
    np.save(work / "x_test.npy", pipeline.X_test.to_numpy())
    (work / "columns.json").write_text(json.dumps(list(pipeline.X_test.columns)))
    with open(work / "estimator.pkl", "wb") as out:
        pickle.dump(pipeline.model, out)
    saved = {
        "logistic_skops": ("logistic", "skops"),
        "pipeline_cloudpickle": ("pipeline", "cloudpickle"),
    }
    for label, (case_name, fmt) in saved.items():
        case = fitted_cases[case_name]
        mltrail.sklearn.save_model(
            case.model,
            work / f"mltrail_{label}",
            serialization_format=fmt,
            signature=infer_signature(case.X_train, case.model.predict(case.X_train)),
            input_example=case.X_train.head(2),
        )
    (work / "mltrail_models.json").write_text(json.dumps(list(saved)))
    result = run_with_real_mlflow(_MLFLOW_SCRIPT, cwd=work)
    return {"dir": work, "result": result, "saved": saved}


def test_mlflow_loads_mltrail_models(
    exchange: dict[str, Any], fitted_cases: dict[str, Any]
) -> None:
    for label, (case_name, _fmt) in exchange["saved"].items():
        case = fitted_cases[case_name]
        got = exchange["result"]["mltrail_models"][label]
        expected = case.model.predict(case.X_test).tolist()
        assert got["sklearn"] == expected
        assert got["pyfunc"] == expected
        assert got["type"] == type(case.model).__name__
        np.testing.assert_array_equal(got["proba"], case.model.predict_proba(case.X_test))


@pytest.mark.parametrize("fmt", ["skops", "cloudpickle"])
def test_mltrail_loads_mlflow_models(
    exchange: dict[str, Any], fitted_cases: dict[str, Any], fmt: str
) -> None:
    case = fitted_cases["pipeline"]
    path = str(exchange["dir"] / f"mlflow_{fmt}")
    expected = case.model.predict(case.X_test)
    loaded = mltrail.sklearn.load_model(path)
    np.testing.assert_array_equal(loaded.predict(case.X_test), expected)
    np.testing.assert_array_equal(
        loaded.predict_proba(case.X_test), case.model.predict_proba(case.X_test)
    )
    pyfunc_model = mltrail.pyfunc.load_model(path)
    np.testing.assert_array_equal(np.asarray(pyfunc_model.predict(case.X_test)), expected)
    assert pyfunc_model.metadata.signature is not None


@pytest.mark.parametrize("fmt", ["skops", "cloudpickle"])
def test_flavor_blocks_match_mlflow(
    exchange: dict[str, Any], fitted_cases: dict[str, Any], fmt: str, tmp_path: Path
) -> None:
    case = fitted_cases["pipeline"]
    ours_dir = tmp_path / "ours"
    mltrail.sklearn.save_model(
        case.model,
        ours_dir,
        serialization_format=fmt,
        signature=infer_signature(case.X_test, case.model.predict(case.X_test)),
        input_example=case.X_test.head(2),
    )
    ours = yaml.safe_load((ours_dir / "MLmodel").read_text())
    theirs = exchange["result"]["mlflow_models"][fmt]
    assert ours["flavors"] == theirs["flavors"]
    assert sorted(ours) == sorted(theirs)
    for key in ("signature", "saved_input_example_info", "model_id", "prompts"):
        assert ours[key] == theirs[key], key
    mlflow_dir = exchange["dir"] / f"mlflow_{fmt}"
    assert sorted(p.name for p in ours_dir.iterdir()) == sorted(
        p.name for p in mlflow_dir.iterdir()
    )
    for name in ("input_example.json", "serving_input_example.json"):
        assert (ours_dir / name).read_text() == (mlflow_dir / name).read_text()
    ours_reqs = (ours_dir / "requirements.txt").read_text()
    assert ours_reqs == (mlflow_dir / "requirements.txt").read_text()
