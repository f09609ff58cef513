"""``ModelSignature`` (inputs, outputs, params) and ``infer_signature``."""

from __future__ import annotations

import logging
from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.types.datatypes import AnyType
from mltrail.types.inference import infer_param_schema, infer_schema
from mltrail.types.params import ParamSchema
from mltrail.types.schema import ColSpec, Schema

_logger = logging.getLogger(__name__)


class ModelSignature:
    """What a model takes and returns; stored in MLmodel as JSON strings."""

    def __init__(
        self,
        inputs: Schema | None = None,
        outputs: Schema | None = None,
        params: ParamSchema | None = None,
    ) -> None:
        for label, value, kind in (
            ("inputs", inputs, Schema),
            ("outputs", outputs, Schema),
            ("params", params, ParamSchema),
        ):
            if value is not None and not isinstance(value, kind):
                raise MlflowException(
                    f"ModelSignature {label} must be a {kind.__name__} or None, "
                    f"got {type(value).__name__}.",
                    INVALID_PARAMETER_VALUE,
                )
        if inputs is None and outputs is None and params is None:
            raise MlflowException(
                "A ModelSignature needs at least one of inputs, outputs or params.",
                INVALID_PARAMETER_VALUE,
            )
        self.inputs = inputs
        self.outputs = outputs
        self.params = params

    def to_dict(self) -> dict[str, str | None]:
        """The MLmodel ``signature`` mapping: each value a JSON string or None."""
        return {
            "inputs": self.inputs.to_json() if self.inputs is not None else None,
            "outputs": self.outputs.to_json() if self.outputs is not None else None,
            "params": self.params.to_json() if self.params is not None else None,
        }

    @classmethod
    def from_dict(cls, signature_dict: dict[str, Any]) -> ModelSignature:
        """Read the MLmodel mapping; missing or empty entries are None."""
        inputs = signature_dict.get("inputs")
        outputs = signature_dict.get("outputs")
        params = signature_dict.get("params")
        return cls(
            Schema.from_json(inputs) if inputs else None,
            Schema.from_json(outputs) if outputs else None,
            ParamSchema.from_json(params) if params else None,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ModelSignature) and (
            self.inputs,
            self.outputs,
            self.params,
        ) == (other.inputs, other.outputs, other.params)

    def __hash__(self) -> int:
        return hash((self.inputs, self.outputs, self.params))

    def __repr__(self) -> str:
        return (
            "inputs: \n"
            f"  {self.inputs!r}\n"
            "outputs: \n"
            f"  {self.outputs!r}\n"
            "params: \n"
            f"  {self.params!r}\n"
        )


def _infer_or_any(data: Any, label: str) -> Schema:
    try:
        return infer_schema(data)
    except Exception as exc:  # MLflow falls back to an 'any' column, with a warning
        _logger.warning(
            "Failed to infer the schema of the %s (%s); using a single column of type 'any', "
            "which is not validated at inference time.",
            label,
            exc,
        )
        return Schema([ColSpec(AnyType())])


def infer_signature(
    model_input: Any = None,
    model_output: Any = None,
    params: dict[str, Any] | None = None,
) -> ModelSignature:
    """Infer a signature from example inputs, outputs and params (params become defaults)."""
    inputs = _infer_or_any(model_input, "inputs") if model_input is not None else None
    outputs = _infer_or_any(model_output, "outputs") if model_output is not None else None
    param_schema = infer_param_schema(params) if params else None
    return ModelSignature(inputs, outputs, param_schema)
