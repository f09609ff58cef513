"""``Model``: the ``MLmodel`` file of a model directory, and ``ModelInfo`` of a logged model.

The YAML is byte-compatible with MLflow 3.17.2: keys sorted, ``model_id`` and ``prompts``
always present, the other optional keys only when set (spec mlmodel-format §2).
"""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST, MlflowException

if TYPE_CHECKING:
    from mltrail.models.signature import ModelSignature
    from mltrail.types.params import ParamSchema
    from mltrail.types.schema import Schema

#: The MLflow release whose model format mltrail writes (``mlflow_version`` in MLmodel).
MLFLOW_COMPAT_VERSION = "3.17.2"
MLMODEL_FILE_NAME = "MLmodel"

#: Keys a Model always has as attributes; anything else read from MLmodel is kept verbatim.
_KNOWN_FIELDS = (
    "artifact_path",
    "run_id",
    "utc_time_created",
    "flavors",
    "signature",
    "saved_input_example_info",
    "model_uuid",
    "mlflow_version",
    "metadata",
    "model_size_bytes",
    "model_id",
)


def _utc_now_string() -> str:
    """``str()`` of a naive UTC datetime, as MLflow writes ``utc_time_created``."""
    return str(datetime.now(UTC).replace(tzinfo=None))


class Model:
    """An MLflow model's metadata: flavors, signature, example info and provenance."""

    def __init__(
        self,
        artifact_path: str | None = None,
        run_id: str | None = None,
        utc_time_created: str | datetime | None = None,
        flavors: dict[str, Any] | None = None,
        signature: ModelSignature | None = None,
        saved_input_example_info: dict[str, Any] | None = None,
        model_uuid: str | None = None,
        mlflow_version: str | None = MLFLOW_COMPAT_VERSION,
        metadata: dict[str, Any] | None = None,
        model_size_bytes: int | None = None,
        model_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.artifact_path = artifact_path
        self.run_id = run_id
        if utc_time_created is None:
            utc_time_created = _utc_now_string()
        self.utc_time_created = str(utc_time_created)
        self.flavors: dict[str, Any] = flavors if flavors is not None else {}
        self.signature = signature
        self.saved_input_example_info = saved_input_example_info
        self.model_uuid: str | None = model_uuid if model_uuid is not None else uuid.uuid4().hex
        self.mlflow_version = mlflow_version
        self.metadata = metadata
        self.model_size_bytes = model_size_bytes
        self.model_id = model_id
        self.prompts: list[Any] | None = kwargs.pop("prompts", None)
        self.__dict__.update(kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Model) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Model(model_uuid={self.model_uuid!r}, flavors={sorted(self.flavors)})"

    # ---- flavors and schemas ---------------------------------------------------------------------
    def add_flavor(self, name: str, **params: Any) -> Model:
        """Record flavor ``name`` with its configuration; returns ``self`` for chaining."""
        self.flavors[name] = params
        return self

    def get_input_schema(self) -> Schema | None:
        return self.signature.inputs if self.signature is not None else None

    def get_output_schema(self) -> Schema | None:
        return self.signature.outputs if self.signature is not None else None

    def get_params_schema(self) -> ParamSchema | None:
        return self.signature.params if self.signature is not None else None

    def load_input_example(self, path: str | os.PathLike[str] | None = None) -> Any:
        """The saved input example (None if there is none); ``path`` is the model directory."""
        from mltrail.models.input_example import read_input_example

        if not self.saved_input_example_info:
            return None
        if path is None:
            raise MlflowException(
                "Pass the model directory to load_input_example(path).", INVALID_PARAMETER_VALUE
            )
        return read_input_example(
            Path(path), self.saved_input_example_info, self.get_input_schema()
        )

    # ---- serialization ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The MLmodel mapping with MLflow's presence rules (§2.1)."""
        result: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            if key.startswith("_"):
                continue
            result[key] = value
        result["flavors"] = self.flavors
        for key in ("artifact_path", "run_id", "metadata", "saved_input_example_info"):
            if result.get(key) is None:
                result.pop(key, None)
        if not result.get("model_size_bytes"):
            result.pop("model_size_bytes", None)
        if result.get("mlflow_version") is None:
            result.pop("mlflow_version", None)
        signature = result.pop("signature", None)
        if signature is not None:
            result["signature"] = signature.to_dict()
            result.setdefault("is_signature_from_type_hint", False)
            result.setdefault("type_hint_from_example", False)
        else:
            result.pop("is_signature_from_type_hint", None)
            result.pop("type_hint_from_example", None)
        result["model_id"] = self.model_id
        result["prompts"] = self.prompts
        return result

    def to_yaml(self, stream: Any = None) -> str | None:
        import yaml

        return yaml.safe_dump(self.to_dict(), stream=stream, default_flow_style=False)

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict())

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write ``<path>/MLmodel`` if ``path`` is a directory, else the file ``path``."""
        target = Path(path)
        if target.is_dir():
            target = target / MLMODEL_FILE_NAME
        with open(target, "w", encoding="utf-8") as out:
            self.to_yaml(out)

    @classmethod
    def from_dict(cls, model_dict: dict[str, Any]) -> Model:
        from mltrail.models.signature import ModelSignature

        values = dict(model_dict)
        signature = values.pop("signature", None)
        values["signature"] = ModelSignature.from_dict(signature) if signature else None
        values.setdefault("model_uuid", None)
        values.setdefault("mlflow_version", None)
        utc = values.get("utc_time_created")
        if isinstance(utc, datetime):
            values["utc_time_created"] = str(utc)
        model = cls(**{key: values.pop(key) for key in _KNOWN_FIELDS if key in values}, **values)
        if model_dict.get("model_uuid") is None:
            model.model_uuid = None  # __init__ generated one; keep the file's "missing"
        return model

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Model:
        """Read a model directory, an MLmodel file or any model URI (downloaded first)."""
        import yaml

        target = Path(os.fspath(path))
        if not target.exists():
            from mltrail.models.uri import download_mlmodel_file

            target = Path(download_mlmodel_file(os.fspath(path)))
        if target.is_dir():
            target = target / MLMODEL_FILE_NAME
        if not target.is_file():
            raise MlflowException(
                f"Could not find an '{MLMODEL_FILE_NAME}' configuration file at '{target}'. "
                "Pass a model directory or the path of its MLmodel file.",
                RESOURCE_DOES_NOT_EXIST,
            )
        with open(target, encoding="utf-8") as stream:
            content = yaml.safe_load(stream)
        if not isinstance(content, dict):
            raise MlflowException(
                f"The MLmodel file at '{target}' is not a YAML mapping.", INVALID_PARAMETER_VALUE
            )
        return cls.from_dict(content)

    # ---- logging ---------------------------------------------------------------------------------
    @classmethod
    def log(
        cls,
        artifact_path: str | None,
        flavor: Any,
        registered_model_name: str | None = None,
        await_registration_for: int = 300,
        name: str | None = None,
        **kwargs: Any,
    ) -> ModelInfo:
        """Log a model with ``flavor.save_model`` as an MLflow 3 logged model (``m-<id>``)."""
        from mltrail.models.model_logging import log_model_with_flavor

        return log_model_with_flavor(
            cls,
            artifact_path=artifact_path,
            flavor=flavor,
            registered_model_name=registered_model_name,
            await_registration_for=await_registration_for,
            name=name,
            **kwargs,
        )

    def get_model_info(self) -> ModelInfo:
        """The ``ModelInfo`` describing this model."""
        if self.model_id:
            model_uri = f"models:/{self.model_id}"
        else:
            model_uri = f"runs:/{self.run_id}/{self.artifact_path}"
        return ModelInfo(
            artifact_path=self.artifact_path,
            flavors=self.flavors,
            model_uri=model_uri,
            model_uuid=self.model_uuid,
            run_id=self.run_id,
            saved_input_example_info=self.saved_input_example_info,
            signature=self.signature,
            utc_time_created=self.utc_time_created,
            mlflow_version=self.mlflow_version,
            metadata=self.metadata,
            model_id=self.model_id,
        )


def get_model_info(model_uri: str) -> ModelInfo:
    """The ``ModelInfo`` of the model at ``model_uri`` (only its MLmodel file is fetched)."""
    info = Model.load(model_uri).get_model_info()
    info.model_uri = str(model_uri)
    return info


class ModelInfo:
    """What ``log_model`` returns: where the model is and what it is."""

    def __init__(
        self,
        artifact_path: str | None,
        flavors: dict[str, Any],
        model_uri: str,
        model_uuid: str | None,
        run_id: str | None,
        saved_input_example_info: dict[str, Any] | None,
        signature: ModelSignature | None,
        utc_time_created: str,
        mlflow_version: str | None,
        metadata: dict[str, Any] | None = None,
        registered_model_version: int | None = None,
        model_id: str | None = None,
        name: str | None = None,
        **extra: Any,
    ) -> None:
        self.artifact_path = artifact_path
        self.flavors = flavors
        self.model_uri = model_uri
        self.model_uuid = model_uuid
        self.run_id = run_id
        self.saved_input_example_info = saved_input_example_info
        self.signature = signature
        self.utc_time_created = utc_time_created
        self.mlflow_version = mlflow_version
        self.metadata = metadata
        self.registered_model_version = registered_model_version
        self.model_id = model_id
        self.name = name
        self.__dict__.update(extra)

    @property
    def signature_dict(self) -> dict[str, Any] | None:
        return self.signature.to_dict() if self.signature is not None else None

    def __repr__(self) -> str:
        return f"ModelInfo(model_uri={self.model_uri!r}, flavors={sorted(self.flavors)})"
