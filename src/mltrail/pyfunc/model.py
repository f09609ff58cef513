"""Custom Python models: ``PythonModel``, its context, and the loader MLflow names
``mlflow.pyfunc.model`` (``python_model.pkl`` + ``artifacts/``, spec mlmodel-format §3).
"""

from __future__ import annotations

import inspect
import logging
import os
import shutil
from pathlib import Path
from typing import Any

from mltrail.environment_variables import MLFLOW_ALLOW_PICKLE_DESERIALIZATION
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

_logger = logging.getLogger(__name__)

#: ``loader_module`` written for custom models, so MLflow and mltrail both load them.
PYTHON_MODEL_LOADER = "mlflow.pyfunc.model"
PYTHON_MODEL_FILE_NAME = "python_model.pkl"
ARTIFACTS_DIR_NAME = "artifacts"
CONFIG_KEY_PYTHON_MODEL = "python_model"
CONFIG_KEY_ARTIFACTS = "artifacts"
CONFIG_KEY_CLOUDPICKLE_VERSION = "cloudpickle_version"


class PythonModelContext:
    """What ``PythonModel.load_context`` receives: local artifact paths and the model config."""

    def __init__(
        self, artifacts: dict[str, str] | None = None, model_config: dict[str, Any] | None = None
    ) -> None:
        self._artifacts = dict(artifacts or {})
        self._model_config = model_config

    @property
    def artifacts(self) -> dict[str, str]:
        """Artifact name -> absolute local path."""
        return self._artifacts

    @property
    def model_config(self) -> dict[str, Any] | None:
        return self._model_config


class PythonModel:
    """Base class of custom models: override ``predict`` (and ``load_context`` if needed)."""

    def load_context(self, context: PythonModelContext) -> None:
        """Called once at load time, e.g. to read files from ``context.artifacts``."""

    def predict(self, context: PythonModelContext, model_input: Any, params: Any = None) -> Any:
        raise NotImplementedError("Subclasses of PythonModel must implement predict().")


def cloudpickle_version() -> str:
    import cloudpickle

    return str(cloudpickle.__version__)


def save_python_model(python_model: Any, model_dir: Path) -> dict[str, Any]:
    """Pickle ``python_model`` into ``model_dir``; return its flavor configuration keys."""
    import cloudpickle

    with open(model_dir / PYTHON_MODEL_FILE_NAME, "wb") as out:
        cloudpickle.dump(python_model, out)
    return {
        CONFIG_KEY_CLOUDPICKLE_VERSION: cloudpickle_version(),
        CONFIG_KEY_PYTHON_MODEL: PYTHON_MODEL_FILE_NAME,
    }


def copy_artifacts(artifacts: dict[str, str], model_dir: Path) -> dict[str, dict[str, str]]:
    """Copy local (or downloadable) artifacts under ``artifacts/``; return the flavor mapping."""
    from mltrail.models.uri import download_model

    target_root = model_dir / ARTIFACTS_DIR_NAME
    target_root.mkdir(parents=True, exist_ok=True)
    result: dict[str, dict[str, str]] = {}
    for name, uri in artifacts.items():
        if not isinstance(name, str) or not name:
            raise MlflowException(
                f"Artifact names must be non-empty strings, got {name!r}.", INVALID_PARAMETER_VALUE
            )
        source = Path(download_model(os.fspath(uri)))
        target = target_root / source.name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
        else:
            shutil.copyfile(source, target)
        result[name] = {
            "path": f"{ARTIFACTS_DIR_NAME}/{source.name}",
            "uri": os.fspath(uri),
        }
    return result


class _PythonModelWrapper:
    """The object ``_load_pyfunc`` returns: calls ``python_model.predict`` with the context."""

    def __init__(self, python_model: Any, context: PythonModelContext) -> None:
        self.python_model = python_model
        self.context = context
        parameters = inspect.signature(python_model.predict).parameters
        self._takes_context = "context" in parameters or len(parameters) >= 3
        self._takes_params = "params" in parameters or any(
            p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
        )

    def predict(self, model_input: Any, params: dict[str, Any] | None = None) -> Any:
        args = (self.context, model_input) if self._takes_context else (model_input,)
        if self._takes_params:
            return self.python_model.predict(*args, params=params)
        if params:
            _logger.warning("The model's predict() takes no params; ignoring %s.", list(params))
        return self.python_model.predict(*args)

    def get_raw_model(self) -> Any:
        return self.python_model


class _TypeHints:
    """Stand-in for MLflow's ``_TypeHints`` (input/output hints MLflow pickles with models)."""

    def __init__(self, input: Any = None, output: Any = None) -> None:
        self.input = input
        self.output = output


#: MLflow classes found inside MLflow-pickled models, and their mltrail stand-ins.
_MLFLOW_CLASSES = {("mlflow.models.signature", "_TypeHints"): (__name__, "_TypeHints")}


def load_python_model_pickle(path: Path) -> Any:
    """Unpickle a cloudpickled model; MLflow classes map to mltrail's when mlflow is absent."""
    import importlib.util
    import pickle

    mlflow_installed = importlib.util.find_spec("mlflow") is not None

    class _Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if not mlflow_installed and (module == "mlflow" or module.startswith("mlflow.")):
                module, name = _MLFLOW_CLASSES.get((module, name), ("mltrail" + module[6:], name))
            return super().find_class(module, name)

    with open(path, "rb") as stream:
        return _Unpickler(stream).load()


def _load_pyfunc(model_path: str, model_config: dict[str, Any] | None = None) -> Any:
    """Load a custom model directory saved with ``python_model=`` (MLflow's layout)."""

    from mltrail.models.model import Model

    model_dir = Path(model_path)
    conf = Model.load(model_dir).flavors.get("python_function", {})
    relative = conf.get(CONFIG_KEY_PYTHON_MODEL)
    if relative is None:
        raise MlflowException(
            f"The python_function flavor in {model_dir / 'MLmodel'} names no python_model file.",
            INVALID_PARAMETER_VALUE,
        )
    if not MLFLOW_ALLOW_PICKLE_DESERIALIZATION.get():
        raise MlflowException(
            "Loading this model needs pickle deserialization, which "
            "MLFLOW_ALLOW_PICKLE_DESERIALIZATION=false forbids. Set it to true if you trust "
            "the model.",
            INVALID_PARAMETER_VALUE,
        )
    saved_version = conf.get(CONFIG_KEY_CLOUDPICKLE_VERSION)
    if saved_version and saved_version != cloudpickle_version():
        _logger.warning(
            "The model was saved with cloudpickle %s but %s is installed; loading may fail.",
            saved_version,
            cloudpickle_version(),
        )
    python_model = load_python_model_pickle(model_dir / relative)
    artifacts = {
        name: str(model_dir / info["path"])
        for name, info in (conf.get(CONFIG_KEY_ARTIFACTS) or {}).items()
    }
    context = PythonModelContext(artifacts=artifacts, model_config=model_config)
    python_model.load_context(context=context)
    return _PythonModelWrapper(python_model, context)
