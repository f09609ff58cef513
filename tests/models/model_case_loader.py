"""Loads ``signature_cases.py`` by path (it is also sent as source to the real MLflow)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

CASES_PATH = Path(__file__).with_name("signature_cases.py")


def load_cases() -> dict[str, Any]:
    """Execute the shared case definitions in this process and return their namespace."""
    namespace: dict[str, Any] = {}
    exec(compile(CASES_PATH.read_text(), str(CASES_PATH), "exec"), namespace)
    return namespace
