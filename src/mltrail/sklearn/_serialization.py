"""Writing and reading the serialized estimator file (``model.skops`` or ``model.pkl``).

skops is the safe default: loading it builds only types that are trusted by skops (scikit-learn,
numpy, scipy, ...) or listed in the model's ``skops_trusted_types``, and never runs arbitrary
code. pickle and cloudpickle files execute code while loading: only load them from sources you
trust. Every format is gated by ``MLFLOW_ALLOW_PICKLE_DESERIALIZATION`` (default true), as in
MLflow.
"""

from __future__ import annotations

import logging
import os
import pickle
from pathlib import Path
from typing import Any

from mltrail.environment_variables import MLFLOW_ALLOW_PICKLE_DESERIALIZATION
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

_logger = logging.getLogger("mltrail.sklearn")

SERIALIZATION_FORMAT_SKOPS = "skops"
SERIALIZATION_FORMAT_PICKLE = "pickle"
SERIALIZATION_FORMAT_CLOUDPICKLE = "cloudpickle"
SUPPORTED_SERIALIZATION_FORMATS = [
    SERIALIZATION_FORMAT_SKOPS,
    SERIALIZATION_FORMAT_PICKLE,
    SERIALIZATION_FORMAT_CLOUDPICKLE,
]

SKOPS_MODEL_FILE = "model.skops"
PICKLE_MODEL_FILE = "model.pkl"

# Trusted-type entries that can never be honoured, even when a model's MLmodel lists them:
# the list travels with the model, so a crafted model could otherwise whitelist these.
_NEVER_TRUSTED_PREFIXES = (
    "builtins.eval",
    "builtins.exec",
    "builtins.compile",
    "builtins.__import__",
    "builtins.open",
    "builtins.getattr",
    "builtins.setattr",
    "os.",
    "posix.",
    "nt.",
    "subprocess.",
    "sys.",
    "shutil.",
    "importlib.",
    "pickle.",
    "_pickle.",
    "cloudpickle.",
    "marshal.",
    "socket.",
    "runpy.",
    "ctypes.",
    "code.",
    "pty.",
)

PICKLE_LOAD_WARNING = (
    "Loading a scikit-learn model serialized with %s executes Python code stored in the "
    "model file %s. Only load pickle-based models from locations you trust; save models with "
    "serialization_format='skops' to avoid this risk."
)


def model_file_name(serialization_format: str) -> str:
    """The estimator file name MLflow uses for ``serialization_format``."""
    return (
        SKOPS_MODEL_FILE
        if serialization_format == SERIALIZATION_FORMAT_SKOPS
        else (PICKLE_MODEL_FILE)
    )


def check_serialization_format(serialization_format: Any) -> str:
    """Return the format if supported, else raise INVALID_PARAMETER_VALUE."""
    if serialization_format not in SUPPORTED_SERIALIZATION_FORMATS:
        raise MlflowException(
            f"Unrecognized serialization format: {serialization_format}. Please specify one of "
            f"the following supported formats: {SUPPORTED_SERIALIZATION_FORMATS}.",
            INVALID_PARAMETER_VALUE,
        )
    return str(serialization_format)


def check_trusted_types(trusted_types: Any) -> list[str] | None:
    """Validate a ``skops_trusted_types`` value: None or a list of dotted type names."""
    if trusted_types is None:
        return None
    if not isinstance(trusted_types, (list, tuple)) or not all(
        isinstance(name, str) for name in trusted_types
    ):
        raise MlflowException(
            "skops_trusted_types must be a list of fully qualified type names such as "
            f"'mymodule.MyEstimator', got {trusted_types!r}.",
            INVALID_PARAMETER_VALUE,
        )
    refused = [
        name for name in trusted_types if name.startswith(_NEVER_TRUSTED_PREFIXES) or not name
    ]
    if refused:
        raise MlflowException(
            f"skops_trusted_types lists {refused}, which can run arbitrary code or touch the "
            "system and are never trusted. Remove them from the list.",
            INVALID_PARAMETER_VALUE,
        )
    return list(trusted_types)


def _untrusted_types_error(exc: Exception) -> MlflowException:
    return MlflowException(
        "The scikit-learn model references types that skops does not trust, so it was not "
        f"loaded ({exc}). If you are sure these types are safe, pass them as "
        "skops_trusted_types to save_model/log_model; otherwise use a model from a trusted "
        "source.",
        INVALID_PARAMETER_VALUE,
    )


def dump_estimator(
    sk_model: Any,
    output_path: str | Path,
    serialization_format: str,
    skops_trusted_types: list[str] | None = None,
) -> None:
    """Serialize ``sk_model`` to ``output_path``; skops files are re-loaded to verify them."""
    output_path = Path(output_path)
    if serialization_format == SERIALIZATION_FORMAT_SKOPS:
        import skops.io
        from skops.io.exceptions import UntrustedTypesFoundException

        try:
            skops.io.dump(sk_model, output_path)
            skops.io.load(output_path, trusted=skops_trusted_types)
        except UntrustedTypesFoundException as exc:
            output_path.unlink(missing_ok=True)
            raise _untrusted_types_error(exc) from None
        except Exception as exc:
            output_path.unlink(missing_ok=True)
            raise MlflowException(
                "The scikit-learn model could not be serialized with skops "
                f"({type(exc).__name__}: {exc}). skops cannot store functions or classes that "
                "are not defined at module top level; use serialization_format='cloudpickle' "
                "instead, keeping in mind that pickle-based files execute code when loaded.",
                INVALID_PARAMETER_VALUE,
            ) from exc
        return
    if serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE:
        import cloudpickle

        dump: Any = cloudpickle.dump
    else:
        dump = pickle.dump
    try:
        with open(output_path, "wb") as out:
            dump(sk_model, out, protocol=pickle.DEFAULT_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        output_path.unlink(missing_ok=True)
        raise MlflowException(
            f"Pickling the scikit-learn model {type(sk_model).__name__} with "
            f"{serialization_format} failed: {exc}. Custom estimators defined inside functions "
            "need serialization_format='cloudpickle'.",
            INVALID_PARAMETER_VALUE,
        ) from exc


def load_estimator(
    path: str | Path,
    serialization_format: str,
    skops_trusted_types: Any = None,
) -> Any:
    """Deserialize the estimator file at ``path`` written in ``serialization_format``."""
    check_serialization_format(serialization_format)
    if not MLFLOW_ALLOW_PICKLE_DESERIALIZATION.get():
        raise MlflowException(
            "Deserializing this model is disallowed because MLFLOW_ALLOW_PICKLE_DESERIALIZATION "
            "is not 'true'. Only load models from trusted sources, then set "
            "MLFLOW_ALLOW_PICKLE_DESERIALIZATION=true to allow loading.",
            INVALID_PARAMETER_VALUE,
        )
    if not os.path.isfile(path):
        raise MlflowException(
            f"The scikit-learn model file {path} does not exist; the model directory is "
            "incomplete.",
            INVALID_PARAMETER_VALUE,
        )
    if serialization_format == SERIALIZATION_FORMAT_SKOPS:
        import skops.io
        from skops.io.exceptions import UntrustedTypesFoundException

        trusted = check_trusted_types(skops_trusted_types)
        try:
            return skops.io.load(path, trusted=trusted)
        except UntrustedTypesFoundException as exc:
            raise _untrusted_types_error(exc) from None
    _logger.warning(PICKLE_LOAD_WARNING, serialization_format, path)
    with open(path, "rb") as f:
        if serialization_format == SERIALIZATION_FORMAT_CLOUDPICKLE:
            import cloudpickle

            return cloudpickle.load(f)
        return pickle.load(f)
