"""The ``python_function`` flavor: save, log and load any model as a generic Python function.

Models written here use MLflow 3.17.2's layout, so MLflow loads them and mltrail loads
MLflow's (spec mlmodel-format §1, §3).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mltrail.exceptions import (
    INVALID_PARAMETER_VALUE,
    RESOURCE_DOES_NOT_EXIST,
    MlflowException,
)
from mltrail.models.model_dir import add_code_to_sys_path
from mltrail.pyfunc.loaded_model import PyFuncModel
from mltrail.pyfunc.model import PythonModel, PythonModelContext
from mltrail.pyfunc.save import log_model, save_model

if TYPE_CHECKING:
    from mltrail.models.model import Model

_logger = logging.getLogger(__name__)

FLAVOR_NAME = "python_function"
MAIN = "loader_module"
CODE = "code"
DATA = "data"
ENV = "env"
PY_VERSION = "python_version"
MODEL_CONFIG = "config"


def add_to_model(
    model: Model,
    loader_module: str,
    data: str | None = None,
    code: str | None = None,
    conda_env: str | None = None,
    python_env: str | None = None,
    model_config: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Model:
    """Add the ``python_function`` flavor to ``model`` (returns ``model``)."""
    from mltrail.models.environment import (
        CONDA_ENV_FILE_NAME,
        PYTHON_ENV_FILE_NAME,
        python_version,
    )

    params: dict[str, Any] = dict(kwargs)
    params[MAIN] = loader_module
    params[PY_VERSION] = python_version()
    if code:
        params[CODE] = code
    if data:
        params[DATA] = data
    params[ENV] = {
        "conda": conda_env or CONDA_ENV_FILE_NAME,
        "virtualenv": python_env or PYTHON_ENV_FILE_NAME,
    }
    if model_config:
        params[MODEL_CONFIG] = model_config
    return model.add_flavor(FLAVOR_NAME, **params)


def _import_loader(loader_module: str) -> Any:
    """Import the loader; MLflow's built-in loaders (``mlflow.*``) map to ``mltrail.*``."""
    candidates = [loader_module]
    if loader_module.startswith("mlflow."):
        candidates.insert(0, "mltrail." + loader_module[len("mlflow.") :])
    for name in candidates:
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
    raise MlflowException(
        f"Cannot load this model: its loader module {loader_module!r} is not importable here. "
        "Install the package that provides it.",
        RESOURCE_DOES_NOT_EXIST,
    )


def _check_python_version(conf: dict[str, Any], suppress_warnings: bool) -> None:
    saved = conf.get(PY_VERSION)
    current = ".".join(str(part) for part in sys.version_info[:3])
    if saved and saved != current and not suppress_warnings:
        _logger.warning(
            "The model was saved with Python %s but this is Python %s; loading may fail.",
            saved,
            current,
        )


def load_model(
    model_uri: str | os.PathLike[str],
    suppress_warnings: bool = False,
    dst_path: str | None = None,
    model_config: dict[str, Any] | str | os.PathLike[str] | None = None,
) -> PyFuncModel:
    """Load any model with a ``python_function`` flavor from a path or model URI."""
    from mltrail.models.model import Model
    from mltrail.models.uri import download_model

    local_dir = Path(download_model(os.fspath(model_uri), dst_path=dst_path))
    model_meta = Model.load(local_dir)
    conf = model_meta.flavors.get(FLAVOR_NAME)
    if conf is None:
        raise MlflowException(
            f'Model does not have the "{FLAVOR_NAME}" flavor (it has '
            f"{sorted(model_meta.flavors)}); it cannot be loaded as a pyfunc model.",
            RESOURCE_DOES_NOT_EXIST,
        )
    if (model_meta.metadata or {}).get("mlflow.model.isExternal") is True:
        raise MlflowException(
            "This model is an external model (metadata mlflow.model.isExternal); it has no "
            "artifacts to load.",
            INVALID_PARAMETER_VALUE,
        )
    _check_python_version(conf, suppress_warnings)
    add_code_to_sys_path(local_dir, conf.get(CODE))
    config = _merged_config(conf.get(MODEL_CONFIG), model_config)
    data_path = str(local_dir / conf[DATA]) if conf.get(DATA) else str(local_dir)
    loader = _import_loader(conf[MAIN])
    if config is not None and _accepts_model_config(loader._load_pyfunc):
        model_impl = loader._load_pyfunc(data_path, model_config=config)
    else:
        model_impl = loader._load_pyfunc(data_path)
    predict_fn = conf.get("predict_fn", "predict")
    return PyFuncModel(model_meta, model_impl, predict_fn=predict_fn, model_config=config)


def _accepts_model_config(function: Any) -> bool:
    import inspect

    try:
        return "model_config" in inspect.signature(function).parameters
    except (TypeError, ValueError):
        return False


def _merged_config(
    saved: dict[str, Any] | None, given: dict[str, Any] | str | os.PathLike[str] | None
) -> dict[str, Any] | None:
    if isinstance(given, str | os.PathLike):
        import yaml

        given = yaml.safe_load(Path(given).read_text(encoding="utf-8"))
    if saved is None and given is None:
        return None
    return {**(saved or {}), **(dict(given) if isinstance(given, dict) else {})}


def get_model_dependencies(model_uri: str, format: str = "pip") -> str:
    """The local path of the model's ``requirements.txt`` (``format="pip"``) or conda YAML."""
    from mltrail.models.environment import CONDA_ENV_FILE_NAME, REQUIREMENTS_FILE_NAME
    from mltrail.models.uri import download_model

    if format not in ("pip", "conda"):
        raise MlflowException(
            f"Illegal format argument {format!r}; use 'pip' or 'conda'.", INVALID_PARAMETER_VALUE
        )
    local_dir = Path(download_model(model_uri))
    name = REQUIREMENTS_FILE_NAME if format == "pip" else CONDA_ENV_FILE_NAME
    path = local_dir / name
    if not path.is_file():
        raise MlflowException(
            f"The model at {model_uri!r} has no {name} file.", RESOURCE_DOES_NOT_EXIST
        )
    return str(path)


__all__ = [
    "FLAVOR_NAME",
    "PyFuncModel",
    "PythonModel",
    "PythonModelContext",
    "add_to_model",
    "get_model_dependencies",
    "load_model",
    "log_model",
    "save_model",
]
