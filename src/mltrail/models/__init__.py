"""MLflow Models: signatures, input examples (and, later, the Model/MLmodel API).

Names load lazily so ``import mltrail.models`` stays cheap; add new public names to
``_LAZY`` (name -> defining module) and ``__all__``.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "ModelSignature": "mltrail.models.signature",
    "infer_signature": "mltrail.models.signature",
}

__all__ = ["ModelSignature", "infer_signature"]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mltrail.models' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
