"""MLflow Models: the MLmodel file (``Model``), signatures, input examples, model URIs.

Names load lazily so ``import mltrail.models`` stays cheap; add new public names to
``_LAZY`` (name -> defining module) and ``__all__``.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "Model": "mltrail.models.model",
    "ModelInfo": "mltrail.models.model",
    "ModelSignature": "mltrail.models.signature",
    "get_model_info": "mltrail.models.model",
    "infer_signature": "mltrail.models.signature",
}

__all__ = ["Model", "ModelInfo", "ModelSignature", "get_model_info", "infer_signature"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mltrail.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
