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
    MlflowException,
)
from mltrail.models.model_dir import copy_code_paths, prepare_target_dir, total_file_size

if TYPE_CHECKING:
    from mltrail.models.model import Model, ModelInfo
    from mltrail.models.signature import ModelSignature

_logger = logging.getLogger(__name__)

CODE_DIR_NAME = "code"


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
    model_dir = prepare_target_dir(path)
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
    model.model_size_bytes = total_file_size(model_dir)
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
