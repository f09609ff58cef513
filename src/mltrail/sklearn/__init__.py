"""The ``sklearn`` flavor: save, log and load scikit-learn estimators as MLflow models.

Models are written exactly as MLflow 3.17 writes them (``model.skops`` or ``model.pkl``, the same
MLmodel keys, ``loader_module: mlflow.sklearn``), so either tool loads the other's models.

Security: the default ``serialization_format="skops"`` loads without executing arbitrary code;
only types trusted by skops or listed in ``skops_trusted_types`` are built. ``pickle`` and
``cloudpickle`` files run code while loading: never load them from an untrusted location.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mltrail.exceptions import MlflowException
from mltrail.sklearn._serialization import (
    MLFLOW_ALLOW_PICKLE_DESERIALIZATION,
    SERIALIZATION_FORMAT_CLOUDPICKLE,
    SERIALIZATION_FORMAT_PICKLE,
    SERIALIZATION_FORMAT_SKOPS,
    SUPPORTED_SERIALIZATION_FORMATS,
    check_serialization_format,
    check_trusted_types,
    dump_estimator,
    load_estimator,
    model_file_name,
)
from mltrail.sklearn._wrapper import PREDICT_METHOD_PARAM, SklearnModelWrapper

FLAVOR_NAME = "sklearn"
#: The loader module written into the pyfunc flavor; MLflow's name keeps models interchangeable.
LOADER_MODULE = "mlflow.sklearn"

_logger = logging.getLogger(__name__)

#: Packages every loaded sklearn pyfunc model imports, added to the inferred requirements.
_RUNTIME_DISTRIBUTIONS = ("numpy", "pandas", "scipy")

__all__ = [
    "FLAVOR_NAME",
    "MLFLOW_ALLOW_PICKLE_DESERIALIZATION",
    "PREDICT_METHOD_PARAM",
    "SERIALIZATION_FORMAT_CLOUDPICKLE",
    "SERIALIZATION_FORMAT_PICKLE",
    "SERIALIZATION_FORMAT_SKOPS",
    "SUPPORTED_SERIALIZATION_FORMATS",
    "get_default_conda_env",
    "get_default_pip_requirements",
    "load_model",
    "log_model",
    "save_model",
]


def get_default_pip_requirements(
    include_cloudpickle: bool = False, include_skops: bool = False
) -> list[str]:
    """The pinned requirements every sklearn model gets (scikit-learn, plus its serializer)."""
    from mltrail.models.environment import default_pip_requirement

    requirements = [default_pip_requirement("scikit-learn")]
    if include_cloudpickle:
        requirements.append(default_pip_requirement("cloudpickle"))
    if include_skops:
        requirements.append(default_pip_requirement("skops"))
    return requirements


def get_default_conda_env(
    include_cloudpickle: bool = False, include_skops: bool = False
) -> dict[str, Any]:
    """The conda environment written for sklearn models by default."""
    from mltrail.models.environment import conda_env_dict, mlflow_requirement

    requirements = get_default_pip_requirements(include_cloudpickle, include_skops)
    return conda_env_dict([mlflow_requirement(), *requirements])


def _skops_modules(path: Path) -> set[str]:
    """Modules named in a skops file's schema (what the estimator is built from)."""
    import json
    import zipfile

    modules: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            module = node.get("__module__")
            if isinstance(module, str):
                modules.add(module)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    with zipfile.ZipFile(path) as archive:
        walk(json.loads(archive.read("schema.json")))
    return modules


def _default_requirements(model_dir: Path, model_file: str, serialization_format: str) -> list:
    from mltrail.models.environment import default_pip_requirement, infer_pip_requirements

    defaults = get_default_pip_requirements(
        include_cloudpickle=serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE,
        include_skops=serialization_format == SERIALIZATION_FORMAT_SKOPS,
    )
    # Loading any sklearn model as pyfunc imports these (MLflow's inference finds them too).
    defaults += [default_pip_requirement(name) for name in _RUNTIME_DISTRIBUTIONS]
    try:
        if serialization_format == SERIALIZATION_FORMAT_SKOPS:
            return infer_pip_requirements(_skops_modules(model_dir / model_file), defaults)
        return infer_pip_requirements(model_dir, defaults)
    except Exception as exc:  # inference is best effort: the flavor defaults always work
        _logger.warning("Could not infer the model's pip requirements (%s); using defaults.", exc)
        return defaults


def _infer_signature_from_example(input_example: Any, sk_model: Any) -> Any:
    """Signature from the example and the model's prediction on it (None on failure).

    As in MLflow, a 1-D prediction on column data is typed as one unnamed column.
    """
    import numpy as np
    import pandas as pd

    from mltrail.models.signature import infer_signature
    from mltrail.types.inference import infer_schema

    data, params = input_example, None
    if isinstance(input_example, tuple) and len(input_example) == 2:
        data, params = input_example
    try:
        prediction = SklearnModelWrapper(sk_model).predict(data, params=params)
        if (
            isinstance(prediction, np.ndarray)
            and prediction.ndim == 1
            and not infer_schema(data).is_tensor_spec()
        ):
            prediction = pd.Series(prediction)
        return infer_signature(data, prediction, params)
    except Exception as exc:
        _logger.warning("Could not infer the model signature from the input example: %s", exc)
        return None


def save_model(
    sk_model: Any,
    path: str | os.PathLike[str],
    conda_env: Any = None,
    code_paths: list[str] | None = None,
    mlflow_model: Any = None,
    serialization_format: str | None = SERIALIZATION_FORMAT_SKOPS,
    signature: Any = None,
    input_example: Any = None,
    pip_requirements: Any = None,
    extra_pip_requirements: Any = None,
    pyfunc_predict_fn: str = "predict",
    metadata: dict[str, Any] | None = None,
    extra_files: list[str] | None = None,
    skops_trusted_types: list[str] | None = None,
) -> None:
    """Save ``sk_model`` as an MLflow model directory at ``path`` (which must not exist or be
    empty).

    ``serialization_format`` is ``"skops"`` (default, safe to load), ``"cloudpickle"`` or
    ``"pickle"`` (both execute code when loaded). ``signature=False`` skips inferring a
    signature from ``input_example``. ``pyfunc_predict_fn`` picks the method pyfunc ``predict``
    calls (``predict``, ``predict_proba``, ``predict_log_proba``, ``predict_joint_log_proba``,
    ``score``).
    """
    import sklearn

    from mltrail import pyfunc
    from mltrail.models.environment import write_environment_files
    from mltrail.models.input_example import save_input_example
    from mltrail.models.model import MLMODEL_FILE_NAME, Model
    from mltrail.models.model_dir import (
        copy_code_paths,
        copy_extra_files,
        prepare_target_dir,
        total_file_size,
    )

    if serialization_format is None:
        serialization_format = SERIALIZATION_FORMAT_SKOPS
    serialization_format = check_serialization_format(serialization_format)
    skops_trusted_types = check_trusted_types(skops_trusted_types)
    if sum(v is not None for v in (conda_env, pip_requirements, extra_pip_requirements)) > 1:
        raise MlflowException.invalid_parameter_value(
            "Only one of conda_env, pip_requirements and extra_pip_requirements can be given."
        )
    if serialization_format != SERIALIZATION_FORMAT_SKOPS:
        _logger.warning(
            "Saving a scikit-learn model with %s: loading it will execute code stored in the "
            "file. serialization_format='skops' is the safe alternative.",
            serialization_format,
        )

    model_dir = prepare_target_dir(path)
    code_dir = copy_code_paths(code_paths, model_dir)
    if mlflow_model is None:
        mlflow_model = Model()
    if input_example is not None:
        mlflow_model.saved_input_example_info = save_input_example(model_dir, input_example)
    if signature is None and mlflow_model.saved_input_example_info:
        signature = _infer_signature_from_example(input_example, sk_model)
    elif signature is False:
        signature = None
    if signature is not None:
        mlflow_model.signature = signature
    if metadata is not None:
        mlflow_model.metadata = metadata

    model_file = model_file_name(serialization_format)
    dump_estimator(sk_model, model_dir / model_file, serialization_format, skops_trusted_types)
    extra_files_config = copy_extra_files(extra_files, model_dir)

    if hasattr(sk_model, pyfunc_predict_fn):
        pyfunc.add_to_model(
            mlflow_model,
            loader_module=LOADER_MODULE,
            model_path=model_file,
            conda_env="conda.yaml",
            python_env="python_env.yaml",
            code=code_dir,
            predict_fn=pyfunc_predict_fn,
        )
    else:
        _logger.warning(
            "Model was missing function: %s. Not logging python_function flavor!",
            pyfunc_predict_fn,
        )
    mlflow_model.add_flavor(
        FLAVOR_NAME,
        pickled_model=model_file,
        sklearn_version=sklearn.__version__,
        serialization_format=serialization_format,
        code=code_dir,
        skops_trusted_types=skops_trusted_types,
        **extra_files_config,
    )
    size = total_file_size(model_dir)
    if size:
        mlflow_model.model_size_bytes = size
    mlflow_model.save(model_dir / MLMODEL_FILE_NAME)

    write_environment_files(
        model_dir,
        conda_env=conda_env,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        default_requirements=(
            _default_requirements(model_dir, model_file, serialization_format)
            if conda_env is None and pip_requirements is None
            else []
        ),
    )


def log_model(
    sk_model: Any,
    artifact_path: str | None = None,
    conda_env: Any = None,
    code_paths: list[str] | None = None,
    serialization_format: str | None = SERIALIZATION_FORMAT_SKOPS,
    registered_model_name: str | None = None,
    signature: Any = None,
    input_example: Any = None,
    await_registration_for: int = 300,
    pip_requirements: Any = None,
    extra_pip_requirements: Any = None,
    pyfunc_predict_fn: str = "predict",
    metadata: dict[str, Any] | None = None,
    extra_files: list[str] | None = None,
    params: dict[str, Any] | None = None,
    tags: dict[str, Any] | None = None,
    model_type: str | None = None,
    step: int = 0,
    model_id: str | None = None,
    name: str | None = None,
    skops_trusted_types: list[str] | None = None,
    **kwargs: Any,
) -> Any:
    """Log ``sk_model`` as a logged model of the active run; returns its ``ModelInfo``.

    Takes the arguments of :func:`save_model` plus ``name`` (or the older ``artifact_path``),
    ``registered_model_name`` and the logged-model ``params``/``tags``/``model_type``/``step``.
    """
    import mltrail.sklearn
    from mltrail.models.model import Model

    if model_id is not None:  # log into an existing logged model
        kwargs["model_id"] = model_id
    return Model.log(
        artifact_path=artifact_path,
        name=name,
        flavor=mltrail.sklearn,
        sk_model=sk_model,
        conda_env=conda_env,
        code_paths=code_paths,
        serialization_format=serialization_format,
        registered_model_name=registered_model_name,
        signature=signature,
        input_example=input_example,
        await_registration_for=await_registration_for,
        pip_requirements=pip_requirements,
        extra_pip_requirements=extra_pip_requirements,
        pyfunc_predict_fn=pyfunc_predict_fn,
        metadata=metadata,
        extra_files=extra_files,
        params=params,
        tags=tags,
        model_type=model_type,
        step=step,
        skops_trusted_types=skops_trusted_types,
        **kwargs,
    )


def _flavor_conf(model_dir: str | os.PathLike[str], flavor: str) -> dict[str, Any]:
    from mltrail.exceptions import RESOURCE_DOES_NOT_EXIST
    from mltrail.models.model import Model

    model = Model.load(model_dir)
    if flavor not in model.flavors:
        raise MlflowException(
            f'Model does not have the "{flavor}" flavor; it has {sorted(model.flavors)}.',
            RESOURCE_DOES_NOT_EXIST,
        )
    return model.flavors[flavor]


def load_model(model_uri: str, dst_path: str | None = None) -> Any:
    """Load the scikit-learn estimator of the model at ``model_uri`` (path or model URI).

    pickle/cloudpickle models execute code while loading: load them only from trusted places.
    """
    from mltrail.models.model_dir import add_code_to_sys_path
    from mltrail.models.uri import download_model

    local_dir = Path(download_model(model_uri, dst_path=dst_path))
    conf = _flavor_conf(local_dir, FLAVOR_NAME)
    add_code_to_sys_path(local_dir, conf.get("code"))
    return load_estimator(
        local_dir / conf["pickled_model"],
        conf.get("serialization_format", SERIALIZATION_FORMAT_PICKLE),
        conf.get("skops_trusted_types"),
    )


def _load_pyfunc(path: str, model_config: Any = None) -> SklearnModelWrapper:
    """The pyfunc implementation for ``pyfunc.load_model``.

    ``path`` is the model directory, or (models from MLflow 1.x/2.x, whose pyfunc flavor has
    ``data: model.pkl``) the estimator file inside it.
    """
    model_dir = os.path.dirname(path) if os.path.isfile(path) else path
    try:
        conf = _flavor_conf(model_dir, FLAVOR_NAME)
        serialization_format = conf.get("serialization_format", SERIALIZATION_FORMAT_PICKLE)
        trusted = conf.get("skops_trusted_types")
    except MlflowException:
        _logger.warning(
            "The model has no scikit-learn flavor configuration; assuming 'pickle' format."
        )
        serialization_format, trusted = SERIALIZATION_FORMAT_PICKLE, None
    if not os.path.isfile(path):
        path = os.path.join(path, _flavor_conf(path, "python_function")["model_path"])
    return SklearnModelWrapper(load_estimator(path, serialization_format, trusted))
