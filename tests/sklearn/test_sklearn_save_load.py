"""save_model / load_model round trips for each serialization format, and the MLmodel written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import mltrail
import mltrail.sklearn
from mltrail.exceptions import MlflowException
from mltrail.models.signature import infer_signature

FORMATS = ["skops", "cloudpickle", "pickle"]
CASES = ["logistic", "linear", "forest", "pipeline"]
TREE_TYPE = "sklearn.tree._tree.Tree"


def _mlmodel(path: Path) -> dict[str, Any]:
    return yaml.safe_load((path / "MLmodel").read_text())


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case_name", CASES)
def test_save_load_round_trip(
    fitted_cases: dict[str, Any], case_name: str, fmt: str, tmp_path: Path
) -> None:
    case = fitted_cases[case_name]
    path = tmp_path / "model"
    # skops >= 0.16 distrusts tree node storage by default (as MLflow 3.17 sees it too).
    trusted = [TREE_TYPE] if case_name == "forest" and fmt == "skops" else None
    mltrail.sklearn.save_model(
        case.model, path, serialization_format=fmt, skops_trusted_types=trusted
    )

    loaded = mltrail.sklearn.load_model(str(path))
    assert type(loaded) is type(case.model)
    np.testing.assert_array_equal(loaded.predict(case.X_test), case.model.predict(case.X_test))

    pyfunc_model = mltrail.pyfunc.load_model(str(path))
    np.testing.assert_array_equal(
        np.asarray(pyfunc_model.predict(case.X_test)), case.model.predict(case.X_test)
    )
    if case.is_classifier:
        np.testing.assert_allclose(
            loaded.predict_proba(case.X_test), case.model.predict_proba(case.X_test)
        )

    file_name = "model.skops" if fmt == "skops" else "model.pkl"
    assert (path / file_name).is_file()
    flavors = _mlmodel(path)["flavors"]
    assert flavors["sklearn"]["pickled_model"] == file_name
    assert flavors["sklearn"]["serialization_format"] == fmt
    assert flavors["python_function"]["model_path"] == file_name


def test_mlmodel_matches_mlflow_layout(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    import sklearn

    path = tmp_path / "model"
    mltrail.sklearn.save_model(fitted_cases["logistic"].model, path)
    mlmodel = _mlmodel(path)
    assert mlmodel["flavors"]["sklearn"] == {
        "code": None,
        "pickled_model": "model.skops",
        "serialization_format": "skops",
        "sklearn_version": sklearn.__version__,
        "skops_trusted_types": None,
    }
    pyfunc_conf = mlmodel["flavors"]["python_function"]
    assert pyfunc_conf["loader_module"] == "mlflow.sklearn"
    assert pyfunc_conf["predict_fn"] == "predict"
    assert pyfunc_conf["env"] == {"conda": "conda.yaml", "virtualenv": "python_env.yaml"}
    assert mlmodel["model_id"] is None and mlmodel["prompts"] is None
    assert "artifact_path" not in mlmodel and "run_id" not in mlmodel
    assert mlmodel["model_size_bytes"] == (path / "model.skops").stat().st_size
    assert sorted(p.name for p in path.iterdir()) == [
        "MLmodel",
        "conda.yaml",
        "model.skops",
        "python_env.yaml",
        "requirements.txt",
    ]
    requirements = (path / "requirements.txt").read_text().splitlines()
    assert requirements[0].startswith("mlflow==")
    assert f"scikit-learn=={sklearn.__version__}" in requirements
    assert any(line.startswith("skops==") for line in requirements)
    assert not any(line.startswith("cloudpickle") for line in requirements)


def test_cloudpickle_requirements(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(
        fitted_cases["linear"].model, path, serialization_format="cloudpickle"
    )
    requirements = (path / "requirements.txt").read_text().splitlines()
    assert any(line.startswith("cloudpickle==") for line in requirements)
    assert not any(line.startswith("skops") for line in requirements)


def test_predict_proba_via_params(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    case = fitted_cases["pipeline"]
    path = tmp_path / "model"
    signature = infer_signature(
        case.X_train, case.model.predict(case.X_train), params={"predict_method": "predict"}
    )
    mltrail.sklearn.save_model(case.model, path, signature=signature)
    pyfunc_model = mltrail.pyfunc.load_model(str(path))

    np.testing.assert_array_equal(
        np.asarray(pyfunc_model.predict(case.X_test)), case.model.predict(case.X_test)
    )
    np.testing.assert_allclose(
        np.asarray(pyfunc_model.predict(case.X_test, params={"predict_method": "predict_proba"})),
        case.model.predict_proba(case.X_test),
    )
    np.testing.assert_allclose(
        np.asarray(
            pyfunc_model.predict(case.X_test, params={"predict_method": "predict_log_proba"})
        ),
        case.model.predict_log_proba(case.X_test),
    )
    with pytest.raises(MlflowException, match="Unsupported predict_method 'fit'"):
        pyfunc_model.predict(case.X_test, params={"predict_method": "fit"})


def test_wrapper_refuses_method_the_estimator_lacks(fitted_cases: dict[str, Any]) -> None:
    from mltrail.sklearn._wrapper import SklearnModelWrapper

    wrapper = SklearnModelWrapper(fitted_cases["linear"].model)
    with pytest.raises(MlflowException, match="has no method 'predict_proba'") as info:
        wrapper.predict(fitted_cases["linear"].X_test, params={"predict_method": "predict_proba"})
    assert info.value.error_code == "INVALID_PARAMETER_VALUE"


def test_pyfunc_predict_fn_predict_proba(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    case = fitted_cases["logistic"]
    path = tmp_path / "model"
    mltrail.sklearn.save_model(case.model, path, pyfunc_predict_fn="predict_proba")
    assert _mlmodel(path)["flavors"]["python_function"]["predict_fn"] == "predict_proba"
    pyfunc_model = mltrail.pyfunc.load_model(str(path))
    np.testing.assert_allclose(
        np.asarray(pyfunc_model.predict(case.X_test)), case.model.predict_proba(case.X_test)
    )


def test_missing_predict_fn_skips_pyfunc_flavor(
    fitted_cases: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(
        fitted_cases["linear"].model, path, pyfunc_predict_fn="predict_proba"
    )
    assert set(_mlmodel(path)["flavors"]) == {"sklearn"}
    assert mltrail.sklearn.load_model(str(path)) is not None


def test_input_example_infers_signature(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    case = fitted_cases["logistic"]
    path = tmp_path / "model"
    mltrail.sklearn.save_model(case.model, path, input_example=case.X_train.head(3))
    mlmodel = _mlmodel(path)
    assert mlmodel["saved_input_example_info"]["type"] == "dataframe"
    inputs = mlmodel["signature"]["inputs"]
    assert '"name": "sepal length (cm)"' in inputs and '"type": "double"' in inputs
    assert mlmodel["signature"]["outputs"] == '[{"type": "long", "required": true}]'
    assert (path / "input_example.json").is_file()
    assert (path / "serving_input_example.json").is_file()

    no_sig = tmp_path / "no_sig"
    mltrail.sklearn.save_model(
        case.model, no_sig, input_example=case.X_train.head(3), signature=False
    )
    assert "signature" not in _mlmodel(no_sig)


def test_metadata_code_paths_and_extra_files(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    helper = tmp_path / "my_helpers.py"
    helper.write_text("VALUE = 1\n")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    path = tmp_path / "model"
    mltrail.sklearn.save_model(
        fitted_cases["linear"].model,
        path,
        code_paths=[str(helper)],
        extra_files=[str(notes)],
        metadata={"team": "ml"},
    )
    mlmodel = _mlmodel(path)
    assert mlmodel["metadata"] == {"team": "ml"}
    assert mlmodel["flavors"]["sklearn"]["code"] == "code"
    assert mlmodel["flavors"]["python_function"]["code"] == "code"
    assert mlmodel["flavors"]["sklearn"]["extra_files"] == [{"path": "extra_files/notes.txt"}]
    assert (path / "code" / "my_helpers.py").read_text() == "VALUE = 1\n"
    assert (path / "extra_files" / "notes.txt").read_text() == "hello"


def test_pip_requirements_and_conda_env(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(
        fitted_cases["linear"].model, path, pip_requirements=["scikit-learn", "pandas"]
    )
    assert (path / "requirements.txt").read_text().splitlines()[1:] == ["scikit-learn", "pandas"]

    conda_path = tmp_path / "conda_model"
    conda_env = {
        "name": "env",
        "channels": ["conda-forge"],
        "dependencies": ["python=3.11", {"pip": ["mlflow", "scikit-learn==1.9.1"]}],
    }
    mltrail.sklearn.save_model(fitted_cases["linear"].model, conda_path, conda_env=conda_env)
    assert yaml.safe_load((conda_path / "conda.yaml").read_text()) == conda_env
    assert "scikit-learn==1.9.1" in (conda_path / "requirements.txt").read_text()


def test_invalid_arguments(fitted_cases: dict[str, Any], tmp_path: Path) -> None:
    model = fitted_cases["linear"].model
    with pytest.raises(MlflowException, match="Unrecognized serialization format: joblib") as e:
        mltrail.sklearn.save_model(model, tmp_path / "a", serialization_format="joblib")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"

    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "file").write_text("x")
    with pytest.raises(MlflowException, match="already exists and is not empty") as e:
        mltrail.sklearn.save_model(model, taken)
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"

    with pytest.raises(MlflowException, match="Only one of conda_env"):
        mltrail.sklearn.save_model(
            model, tmp_path / "b", conda_env={"dependencies": []}, pip_requirements=["x"]
        )


def test_load_model_without_sklearn_flavor(tmp_path: Path) -> None:
    (tmp_path / "MLmodel").write_text("flavors:\n  python_function: {}\n")
    with pytest.raises(MlflowException, match='does not have the "sklearn" flavor') as e:
        mltrail.sklearn.load_model(str(tmp_path))
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_legacy_model_with_data_key_and_no_format(
    fitted_cases: dict[str, Any], tmp_path: Path
) -> None:
    """MLflow 1.x models: pyfunc ``data: model.pkl``, sklearn flavor without a format key."""
    import pickle

    case = fitted_cases["logistic"]
    with open(tmp_path / "model.pkl", "wb") as out:
        pickle.dump(case.model, out)
    (tmp_path / "MLmodel").write_text(
        "flavors:\n"
        "  python_function:\n"
        "    data: model.pkl\n"
        "    env: conda.yaml\n"
        "    loader_module: mlflow.sklearn\n"
        "    python_version: 3.8.10\n"
        "  sklearn:\n"
        "    pickled_model: model.pkl\n"
        "    sklearn_version: 0.24.2\n"
        "utc_time_created: '2021-05-01 10:00:00.123456'\n"
    )
    expected = case.model.predict(case.X_test)
    np.testing.assert_array_equal(
        mltrail.sklearn.load_model(str(tmp_path)).predict(case.X_test), expected
    )
    wrapper = mltrail.sklearn._load_pyfunc(str(tmp_path / "model.pkl"))
    np.testing.assert_array_equal(wrapper.predict(case.X_test), expected)
    np.testing.assert_array_equal(
        np.asarray(mltrail.pyfunc.load_model(str(tmp_path)).predict(case.X_test)), expected
    )


def test_flavor_loads_lazily_from_the_top_level_package() -> None:
    """``mltrail.sklearn`` is reachable as an attribute and does not import sklearn itself."""
    import subprocess
    import sys

    script = (
        "import sys, mltrail\n"
        "flavor = mltrail.sklearn\n"
        "assert callable(flavor.log_model) and callable(flavor.load_model)\n"
        "heavy = [m for m in ('sklearn', 'skops', 'pandas', 'cloudpickle') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
