"""The MLmodel YAML (keys, sorting, presence rules, timestamps) and the environment files."""

from __future__ import annotations

import importlib.metadata
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from mltrail import pyfunc
from mltrail.exceptions import MlflowException
from mltrail.models import Model, ModelSignature
from mltrail.models.environment import infer_pip_requirements, write_environment_files
from mltrail.types.schema import ColSpec, Schema

UTC_FORMAT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$")
PYTHON = ".".join(map(str, sys.version_info[:3]))


def _version(distribution: str) -> str:
    return importlib.metadata.version(distribution)


def test_plain_model_has_only_the_always_present_keys(tmp_path: Path) -> None:
    model = Model()
    model.add_flavor("python_function", loader_module="x", python_version=PYTHON)
    model.save(tmp_path)
    text = (tmp_path / "MLmodel").read_text()
    content = yaml.safe_load(text)
    assert list(content) == [
        "flavors",
        "mlflow_version",
        "model_id",
        "model_uuid",
        "prompts",
        "utc_time_created",
    ]
    assert content["mlflow_version"] == "3.17.2"
    assert content["model_id"] is None and content["prompts"] is None
    assert re.fullmatch(r"[0-9a-f]{32}", content["model_uuid"])
    assert UTC_FORMAT.match(content["utc_time_created"])
    assert "utc_time_created: '" in text  # quoted like MLflow's
    assert text.index("loader_module") < text.index("python_version")  # nested keys sorted


def test_optional_keys_appear_when_set_and_round_trip(tmp_path: Path) -> None:
    signature = ModelSignature(inputs=Schema([ColSpec("double", "x")]))
    model = Model(
        artifact_path="file:///x/models/m-1/artifacts",
        run_id="r1",
        signature=signature,
        saved_input_example_info={"artifact_path": "input_example.json", "type": "ndarray"},
        metadata={"k": "v"},
        model_size_bytes=12,
        model_id="m-1",
        model_uuid="m-1",
        env_vars=["A_KEY"],
    )
    model.save(tmp_path / "MLmodel")
    content = yaml.safe_load((tmp_path / "MLmodel").read_text())
    assert list(content) == sorted(content)
    assert content["artifact_path"] == "file:///x/models/m-1/artifacts"
    assert content["run_id"] == "r1"
    assert content["metadata"] == {"k": "v"}
    assert content["model_size_bytes"] == 12
    assert content["env_vars"] == ["A_KEY"]
    assert content["is_signature_from_type_hint"] is False
    assert content["type_hint_from_example"] is False
    assert content["signature"] == {
        "inputs": '[{"type": "double", "name": "x", "required": true}]',
        "outputs": None,
        "params": None,
    }
    loaded = Model.load(tmp_path / "MLmodel")
    assert loaded.signature == signature
    assert loaded.env_vars == ["A_KEY"]
    assert loaded.get_input_schema() == signature.inputs
    assert loaded.get_output_schema() is None and loaded.get_params_schema() is None
    assert loaded.to_dict() == content
    assert yaml.safe_load(loaded.to_yaml()) == content


def test_zero_size_is_omitted_and_missing_uuid_reads_as_none(tmp_path: Path) -> None:
    assert "model_size_bytes" not in Model(model_size_bytes=0).to_dict()
    (tmp_path / "MLmodel").write_text("flavors: {}\nold_key: 1\n")
    loaded = Model.load(tmp_path)
    assert loaded.model_uuid is None and loaded.mlflow_version is None
    assert loaded.old_key == 1
    assert "utc_time_created" in loaded.to_dict()


def test_load_of_missing_or_invalid_mlmodel(tmp_path: Path) -> None:
    tmp_path.joinpath("empty").mkdir()
    with pytest.raises(MlflowException) as missing:
        Model.load(tmp_path / "empty")
    assert missing.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    (tmp_path / "MLmodel").write_text("- a list\n")
    with pytest.raises(MlflowException, match="not a YAML mapping"):
        Model.load(tmp_path)


def test_environment_files_of_a_custom_model(tmp_path: Path, models: ModuleType) -> None:
    pyfunc.save_model(tmp_path / "m", python_model=models.Echo())
    cloudpickle = f"cloudpickle=={_version('cloudpickle')}"
    requirements = (tmp_path / "m" / "requirements.txt").read_text()
    assert requirements == f"mlflow==3.17.2\n{cloudpickle}"  # no trailing newline
    conda_text = (tmp_path / "m" / "conda.yaml").read_text()
    assert yaml.safe_load(conda_text) == {
        "channels": ["conda-forge"],
        "dependencies": [
            f"python={PYTHON}",
            f"pip<={_version('pip')}",
            {"pip": ["mlflow==3.17.2", cloudpickle]},
        ],
        "name": "mlflow-env",
    }
    assert conda_text.startswith("channels:\n- conda-forge\ndependencies:\n")
    python_env_text = (tmp_path / "m" / "python_env.yaml").read_text()
    assert python_env_text.startswith(f"python: {PYTHON}\nbuild_dependencies:\n- pip==")
    python_env = yaml.safe_load(python_env_text)
    assert list(python_env) == ["python", "build_dependencies", "dependencies"]
    assert python_env["dependencies"] == ["-r requirements.txt"]
    assert [line.split("==")[0] for line in python_env["build_dependencies"]] == [
        "pip",
        "setuptools",
        "wheel",
    ]


def test_pip_requirements_replace_and_extra_requirements_append(tmp_path: Path) -> None:
    defaults = ["zlib-thing==1", "alpha==2"]
    (tmp_path / "a").mkdir()
    write_environment_files(tmp_path / "a", default_requirements=defaults)
    assert (tmp_path / "a" / "requirements.txt").read_text() == (
        "mlflow==3.17.2\nalpha==2\nzlib-thing==1"
    )
    (tmp_path / "b").mkdir()
    write_environment_files(
        tmp_path / "b", pip_requirements=["x==1"], default_requirements=defaults
    )
    assert (tmp_path / "b" / "requirements.txt").read_text() == "mlflow==3.17.2\nx==1"
    (tmp_path / "c").mkdir()
    write_environment_files(
        tmp_path / "c", extra_pip_requirements=["extra"], default_requirements=defaults
    )
    assert (tmp_path / "c" / "requirements.txt").read_text().split("\n")[-1] == "extra"
    (tmp_path / "d").mkdir()
    conda_env = {"name": "custom", "dependencies": ["python=3.11", {"pip": ["mlflow", "y"]}]}
    write_environment_files(tmp_path / "d", conda_env=conda_env, default_requirements=defaults)
    assert yaml.safe_load((tmp_path / "d" / "conda.yaml").read_text()) == conda_env
    assert (tmp_path / "d" / "requirements.txt").read_text() == "mlflow\ny"
    with pytest.raises(MlflowException, match="Only one of"):
        write_environment_files(
            tmp_path / "d",
            pip_requirements=["a"],
            extra_pip_requirements=["b"],
            default_requirements=[],
        )


def test_infer_pip_requirements_maps_modules_to_pinned_distributions(tmp_path: Path) -> None:
    inferred = infer_pip_requirements(["sklearn.linear_model", "numpy", "os", "mltrail"], [])
    assert inferred == [f"numpy=={_version('numpy')}", f"scikit-learn=={_version('scikit-learn')}"]
    with_default = infer_pip_requirements(["numpy"], ["cloudpickle==9", "numpy==0"])
    assert with_default == ["cloudpickle==9", f"numpy=={_version('numpy')}"]

    import pickle

    from sklearn.linear_model import LinearRegression

    (tmp_path / "model.pkl").write_bytes(pickle.dumps(LinearRegression()))
    from_dir = infer_pip_requirements(tmp_path, [])
    assert f"scikit-learn=={_version('scikit-learn')}" in from_dir
