"""``pyfunc.save_model`` and ``pyfunc.log_model``: custom models (``python_model=``) and
models with their own loader module (``loader_module=`` + ``data_path=``)."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_ALREADY_EXISTS,
    MlflowException,
)

if TYPE_CHECKING:
    from mltrail.models.model import Model, ModelInfo
    from mltrail.models.signature import ModelSignature

_logger = logging.getLogger(__name__)

CODE_DIR_NAME = "code"
#: Files written after the size is taken (MLflow does not count them in model_size_bytes).
_UNCOUNTED = frozenset({"MLmodel", "conda.yaml", "python_env.yaml", "requirements.txt"})


def prepare_model_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path``; refuse an existing non-empty directory (as MLflow does)."""
    model_dir = Path(path).absolute()
    if model_dir.exists() and (not model_dir.is_dir() or any(model_dir.iterdir())):
        raise MlflowException(
            f"Path '{model_dir}' already exists and is not empty; save the model to a new "
            "or empty directory.",
            RESOURCE_ALREADY_EXISTS,
        )
    model_dir.mkdir(parents=True, exist_ok=True)
    return model_dir


def directory_size(model_dir: Path) -> int:
    """Bytes of the files in ``model_dir`` except MLmodel and the environment files."""
    total = 0
    for path in model_dir.rglob("*"):
        if path.is_file() and path.relative_to(model_dir).as_posix() not in _UNCOUNTED:
            total += path.stat().st_size
    return total


def copy_code_paths(code_paths: list[str] | None, model_dir: Path) -> str | None:
    """Copy ``code_paths`` under ``code/``; return the dir name for the flavor (None if none)."""
    if not code_paths:
        return None
    target = model_dir / CODE_DIR_NAME
    target.mkdir(exist_ok=True)
    for source in map(Path, code_paths):
        if source.is_dir():
            shutil.copytree(source, target / source.name, dirs_exist_ok=True)
        elif source.is_file():
            shutil.copyfile(source, target / source.name)
        else:
            raise MlflowException(f"code path '{source}' does not exist.", INVALID_PARAMETER_VALUE)
    return CODE_DIR_NAME


def _infer_signature_by_predicting(model_dir: Path, input_example: Any) -> ModelSignature | None:
    """Run the saved custom model on its example and infer the signature (None on failure)."""
    from mltrail.models.signature import infer_signature
    from mltrail.pyfunc.model import _load_pyfunc

    data, params = input_example, None
    if isinstance(input_example, tuple) and len(input_example) == 2:
        data, params = input_example
    try:
        wrapper = _load_pyfunc(str(model_dir))
        output = wrapper.predict(data, params=params)
        return infer_signature(data, output, params)
    except Exception as exc:  # MLflow only warns here
        _logger.warning("Could not infer the model signature from the input example: %s", exc)
        return None


def _write_mlmodel_partial(model_dir: Path, model: Model) -> None:
    """MLmodel with the flavor, so the loader can read it while inferring the signature."""
    model.save(model_dir)


def save_model(
    path: str | os.PathLike[str],
    loader_module: str | None = None,
    data_path: str | None = None,
    code_paths: list[str] | None = None,
    conda_env: Any = None,
    python_model: Any = None,
    artifacts: dict[str, str] | None = None,
    signature: ModelSignature | bool | None = None,
    input_example: Any = None,
    pip_requirements: Any = None,
    extra_pip_requirements: Any = None,
    metadata: dict[str, Any] | None = None,
    model_config: dict[str, Any] | None = None,
    mlflow_model: Model | None = None,
    **kwargs: Any,
) -> None:
    """Save a custom ``python_model`` (or a model with its own ``loader_module``) to ``path``."""
    from mltrail.models.environment import (
        CONDA_ENV_FILE_NAME,
        PYTHON_ENV_FILE_NAME,
        infer_pip_requirements,
        write_environment_files,
    )
    from mltrail.models.input_example import save_input_example
    from mltrail.models.model import Model
    from mltrail.pyfunc import FLAVOR_NAME, add_to_model
    from mltrail.pyfunc.model import (
        PYTHON_MODEL_LOADER,
        cloudpickle_version,
        copy_artifacts,
        save_python_model,
    )

    if (python_model is None) == (loader_module is None):
        raise MlflowException(
            "Pass exactly one of python_model (a PythonModel instance) or loader_module (with "
            "data_path) to save a pyfunc model.",
            INVALID_PARAMETER_VALUE,
        )
    if artifacts and python_model is None:
        raise MlflowException(
            "artifacts= only applies to custom models saved with python_model=.",
            INVALID_PARAMETER_VALUE,
        )
    if kwargs:
        _logger.debug("Ignoring unsupported save_model arguments %s", sorted(kwargs))
    model_dir = prepare_model_dir(path)
    model = mlflow_model if mlflow_model is not None else Model()
    if metadata is not None:
        model.metadata = metadata
    code_dir = copy_code_paths(code_paths, model_dir)
    if signature is not None and signature is not False:
        model.signature = signature  # type: ignore[assignment]
    if input_example is not None:
        model.saved_input_example_info = save_input_example(model_dir, input_example)

    if python_model is not None:
        flavor_conf = save_python_model(python_model, model_dir)
        if artifacts:
            flavor_conf["artifacts"] = copy_artifacts(artifacts, model_dir)
        flavor_conf.update(code=code_dir, streamable=False)
        add_to_model(
            model,
            loader_module=PYTHON_MODEL_LOADER,
            conda_env=CONDA_ENV_FILE_NAME,
            python_env=PYTHON_ENV_FILE_NAME,
            model_config=model_config,
            **flavor_conf,
        )
        model.flavors[FLAVOR_NAME][CODE_DIR_NAME] = code_dir  # MLflow writes `code: null` here
        defaults = [f"cloudpickle=={cloudpickle_version()}"]
        if signature is None and input_example is not None:
            _write_mlmodel_partial(model_dir, model)
            model.signature = _infer_signature_by_predicting(model_dir, input_example)
    else:
        assert loader_module is not None
        data = None
        if data_path is not None:
            source = Path(data_path)
            data = source.name
            if source.is_dir():
                shutil.copytree(source, model_dir / data)
            else:
                shutil.copyfile(source, model_dir / data)
        add_to_model(
            model, loader_module=loader_module, data=data, code=code_dir, model_config=model_config
        )
        defaults = []
    if FLAVOR_NAME not in model.flavors:  # pragma: no cover - add_to_model always adds it
        raise MlflowException("internal error: python_function flavor missing")
    model.model_size_bytes = directory_size(model_dir)
    model.save(model_dir)
    write_environment_files(
        model_dir,
        conda_env=conda_env,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        default_requirements=infer_pip_requirements(model_dir, defaults),
    )


def log_model(
    artifact_path: str | None = None,
    loader_module: str | None = None,
    data_path: str | None = None,
    code_paths: list[str] | None = None,
    conda_env: Any = None,
    python_model: Any = None,
    artifacts: dict[str, str] | None = None,
    registered_model_name: str | None = None,
    signature: ModelSignature | bool | None = None,
    input_example: Any = None,
    pip_requirements: Any = None,
    extra_pip_requirements: Any = None,
    metadata: dict[str, Any] | None = None,
    model_config: dict[str, Any] | None = None,
    name: str | None = None,
    **kwargs: Any,
) -> ModelInfo:
    """Log a pyfunc model as an MLflow 3 logged model; returns its ``ModelInfo``."""
    import mltrail.pyfunc as flavor
    from mltrail.models.model import Model

    return Model.log(
        artifact_path=artifact_path,
        name=name,
        flavor=flavor,
        registered_model_name=registered_model_name,
        loader_module=loader_module,
        data_path=data_path,
        code_paths=code_paths,
        conda_env=conda_env,
        python_model=python_model,
        artifacts=artifacts,
        signature=signature,
        input_example=input_example,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        metadata=metadata,
        model_config=model_config,
        **kwargs,
    )
