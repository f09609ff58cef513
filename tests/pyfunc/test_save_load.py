"""pyfunc.save_model / load_model round trips for custom models and loader-module models."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
import yaml
from custom_model_sources import LOADER_MODULE

import mltrail
from mltrail import pyfunc
from mltrail.exceptions import MlflowException
from mltrail.models import Model, ModelSignature, infer_signature
from mltrail.types.params import ParamSchema, ParamSpec
from mltrail.types.schema import ColSpec, Schema


def test_custom_model_with_file_and_directory_artifacts(
    tmp_path: Path, models: ModuleType, artifacts: dict[str, str]
) -> None:
    path = tmp_path / "model"
    pyfunc.save_model(path, python_model=models.Affine(), artifacts=artifacts)

    files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    assert files == [
        "MLmodel",
        "artifacts/factor.txt",
        "artifacts/folder/a.txt",
        "artifacts/folder/b.txt",
        "conda.yaml",
        "python_env.yaml",
        "python_model.pkl",
        "requirements.txt",
    ]
    conf = yaml.safe_load((path / "MLmodel").read_text())["flavors"]["python_function"]
    assert conf["loader_module"] == "mlflow.pyfunc.model"
    assert conf["python_model"] == "python_model.pkl"
    assert conf["code"] is None and conf["streamable"] is False
    assert conf["artifacts"] == {
        "factor": {"path": "artifacts/factor.txt", "uri": artifacts["factor"]},
        "folder": {"path": "artifacts/folder", "uri": artifacts["folder"]},
    }
    assert conf["env"] == {"conda": "conda.yaml", "virtualenv": "python_env.yaml"}
    assert set(conf) == {
        "artifacts",
        "cloudpickle_version",
        "code",
        "env",
        "loader_module",
        "python_model",
        "python_version",
        "streamable",
    }

    loaded = pyfunc.load_model(str(path))
    assert isinstance(loaded, pyfunc.PyFuncModel)
    assert loaded.loader_module == "mlflow.pyfunc.model"
    python_model = loaded.unwrap_python_model()
    assert isinstance(python_model, models.Affine)
    assert python_model.files == ["a.txt", "b.txt"]
    assert loaded.get_raw_model() is python_model
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    pd.testing.assert_frame_equal(loaded.predict(frame), pd.DataFrame({"x": [3.0, 6.0]}))
    np.testing.assert_array_equal(loaded.predict(np.array([1, 2])), np.array([3.0, 6.0]))
    # without a params schema, params are dropped (with a warning), as in MLflow
    pd.testing.assert_frame_equal(
        loaded.predict(frame, params={"scale": 10.0}), pd.DataFrame({"x": [3.0, 6.0]})
    )


def test_predict_accepts_lists_dicts_and_scalars_without_signature(
    tmp_path: Path, models: ModuleType
) -> None:
    pyfunc.save_model(tmp_path / "m", python_model=models.Echo())
    loaded = pyfunc.load_model(tmp_path / "m")
    assert loaded.metadata.signature is None
    assert loaded.predict([1, 2, 3])["input"] == [1, 2, 3]
    assert loaded.predict({"a": 1})["input"] == {"a": 1}
    assert loaded.predict("text")["input"] == "text"
    assert loaded.predict(5)["params"] == {}


def test_signature_enforces_inputs_and_params(tmp_path: Path, models: ModuleType) -> None:
    signature = ModelSignature(
        inputs=Schema([ColSpec("double", "x"), ColSpec("string", "s")]),
        params=ParamSchema([ParamSpec("scale", "double", 1.0), ParamSpec("k", "long", 3)]),
    )
    pyfunc.save_model(tmp_path / "m", python_model=models.Echo(), signature=signature)
    loaded = pyfunc.load_model(tmp_path / "m")
    assert loaded.metadata.get_input_schema() == signature.inputs
    assert loaded.metadata.get_params_schema() == signature.params

    result = loaded.predict({"s": "a", "x": 1.5, "extra": 0}, params={"scale": 2})
    assert list(result["input"].columns) == ["x", "s"]  # schema order, extra column dropped
    assert result["params"] == {"scale": 2.0, "k": 3}
    from_list = loaded.predict([{"x": 1.0, "s": "a"}, {"x": 2.0, "s": "b"}])["input"]
    assert from_list["x"].tolist() == [1.0, 2.0]

    with pytest.raises(MlflowException) as missing:
        loaded.predict(pd.DataFrame({"x": [1.0]}))
    assert missing.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Failed to enforce schema of data" in missing.value.message
    assert "Model is missing inputs ['s']." in missing.value.message

    with pytest.raises(MlflowException) as wrong_type:
        loaded.predict(pd.DataFrame({"x": ["not a number"], "s": ["a"]}))
    assert "Incompatible input types for column x" in wrong_type.value.message

    with pytest.raises(MlflowException) as bad_param:
        loaded.predict(pd.DataFrame({"x": [1.0], "s": ["a"]}), params={"k": "three"})
    assert bad_param.value.error_code == "INVALID_PARAMETER_VALUE"
    assert "Invalid parameters found" in bad_param.value.message


def test_tensor_signature_and_ndarray_predict(tmp_path: Path, models: ModuleType) -> None:
    data = np.array([[1.0, 2.0]])
    pyfunc.save_model(tmp_path / "m", python_model=models.Echo(), signature=infer_signature(data))
    loaded = pyfunc.load_model(tmp_path / "m")
    assert loaded.predict(np.array([[3.0, 4.0]]))["input"].tolist() == [[3.0, 4.0]]
    with pytest.raises(MlflowException, match="does not match expected dtype float64"):
        loaded.predict(np.array([[3, 4]], dtype=np.int32))


def test_input_example_is_saved_and_infers_signature(
    tmp_path: Path, models: ModuleType, artifacts: dict[str, str]
) -> None:
    example = pd.DataFrame({"x": [1.0, 2.0]})
    pyfunc.save_model(
        tmp_path / "m", python_model=models.Affine(), artifacts=artifacts, input_example=example
    )
    meta = Model.load(tmp_path / "m")
    assert meta.saved_input_example_info == {
        "artifact_path": "input_example.json",
        "pandas_orient": "split",
        "serving_input_path": "serving_input_example.json",
        "type": "dataframe",
    }
    assert meta.signature.to_dict() == {
        "inputs": '[{"type": "double", "name": "x", "required": true}]',
        "outputs": '[{"type": "double", "name": "x", "required": true}]',
        "params": None,
    }
    pd.testing.assert_frame_equal(meta.load_input_example(tmp_path / "m"), example)
    # model_size_bytes counts the pickle, artifacts and examples, not MLmodel or env files
    counted = ["python_model.pkl", "input_example.json", "serving_input_example.json"]
    expected = sum((tmp_path / "m" / name).stat().st_size for name in counted) + 1 + 1 + 2
    assert meta.model_size_bytes == expected

    pyfunc.save_model(
        tmp_path / "no_sig", python_model=models.Echo(), input_example=example, signature=False
    )
    assert Model.load(tmp_path / "no_sig").signature is None


def test_model_config_saved_and_overridden(
    tmp_path: Path, models: ModuleType, artifacts: dict[str, str]
) -> None:
    pyfunc.save_model(
        tmp_path / "m",
        python_model=models.Affine(),
        artifacts=artifacts,
        model_config={"offset": 1},
    )
    saved = pyfunc.load_model(tmp_path / "m")
    assert saved.model_config == {"offset": 1}
    assert saved.predict(np.array([1.0])).tolist() == [4.0]
    overridden = pyfunc.load_model(tmp_path / "m", model_config={"offset": 10})
    assert overridden.model_config == {"offset": 10}
    assert overridden.predict(np.array([1.0])).tolist() == [13.0]


def test_predict_without_context_argument(tmp_path: Path, models: ModuleType) -> None:
    pyfunc.save_model(tmp_path / "m", python_model=models.NoContext())
    assert pyfunc.load_model(tmp_path / "m").predict([1, 2, 3]) == [3]


def test_loader_module_model_with_data_and_code(tmp_path: Path, models_dir: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("zero one two", encoding="utf-8")
    helper = tmp_path / "helper_code.py"
    helper.write_text("VALUE = 1\n", encoding="utf-8")
    pyfunc.save_model(
        tmp_path / "m",
        loader_module=LOADER_MODULE,
        data_path=str(words),
        code_paths=[str(helper)],
        model_config={"k": "v"},
    )
    conf = Model.load(tmp_path / "m").flavors["python_function"]
    assert conf["loader_module"] == LOADER_MODULE
    assert conf["data"] == "words.txt"
    assert conf["code"] == "code"
    assert (tmp_path / "m" / "code" / "helper_code.py").is_file()
    loaded = pyfunc.load_model(tmp_path / "m")
    assert loaded.predict([2, 0]) == ["two", "zero"]
    assert loaded.get_raw_model().config == {"k": "v"}


def test_save_refuses_bad_arguments(tmp_path: Path, models: ModuleType) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(MlflowException) as exists:
        pyfunc.save_model(tmp_path / "full", python_model=models.Echo())
    assert exists.value.error_code == "RESOURCE_ALREADY_EXISTS"
    assert "already exists and is not empty" in exists.value.message
    with pytest.raises(MlflowException, match="exactly one of python_model"):
        pyfunc.save_model(tmp_path / "none")
    with pytest.raises(MlflowException, match="exactly one of python_model"):
        pyfunc.save_model(tmp_path / "both", python_model=models.Echo(), loader_module="x")


def test_load_errors_are_clear(tmp_path: Path, models: ModuleType) -> None:
    with pytest.raises(MlflowException) as missing:
        pyfunc.load_model(str(tmp_path / "absent"))
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"

    Model().add_flavor("other", x=1).save(tmp_path)
    with pytest.raises(MlflowException) as no_pyfunc:
        pyfunc.load_model(tmp_path)
    assert no_pyfunc.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert 'does not have the "python_function" flavor' in no_pyfunc.value.message

    pyfunc.save_model(tmp_path / "m", python_model=models.Echo())
    model_file = tmp_path / "m" / "MLmodel"
    content = yaml.safe_load(model_file.read_text())
    content["flavors"]["python_function"]["loader_module"] = "no_such_loader_module_xyz"
    model_file.write_text(yaml.safe_dump(content))
    with pytest.raises(MlflowException, match="loader module 'no_such_loader_module_xyz'"):
        pyfunc.load_model(tmp_path / "m")


def test_get_model_dependencies(tmp_path: Path, models: ModuleType) -> None:
    pyfunc.save_model(tmp_path / "m", python_model=models.Echo(), extra_pip_requirements=["rich"])
    requirements = Path(pyfunc.get_model_dependencies(str(tmp_path / "m")))
    assert requirements.name == "requirements.txt"
    lines = requirements.read_text().split("\n")
    assert lines[0] == "mlflow==3.17.2"
    assert lines[-1] == "rich"
    assert any(line.startswith("cloudpickle==") for line in lines)
    conda = pyfunc.get_model_dependencies(str(tmp_path / "m"), format="conda")
    assert Path(conda).name == "conda.yaml"
    with pytest.raises(MlflowException, match="Illegal format"):
        pyfunc.get_model_dependencies(str(tmp_path / "m"), format="npm")


def test_import_mltrail_stays_light_and_exposes_pyfunc_and_models() -> None:
    script = (
        "import sys, mltrail\n"
        "heavy = [m for m in ('numpy', 'pandas', 'yaml', 'cloudpickle') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert mltrail.pyfunc.FLAVOR_NAME == 'python_function'\n"
        "assert mltrail.models.Model.__name__ == 'Model'\n"
        "heavy = [m for m in ('numpy', 'pandas', 'yaml', 'cloudpickle') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr
    assert mltrail.pyfunc is pyfunc
