"""Schema enforcement accepts, converts and refuses the same inputs as the real MLflow."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from model_case_loader import load_cases

from mltrail.exceptions import MlflowException
from mltrail.pyfunc.enforcement import enforce_schema
from mltrail.types import Schema

CASES = load_cases()


def _outcome(value: Any) -> Any:
    import numpy as np
    import pandas as pd

    if isinstance(value, pd.DataFrame):
        return {
            "columns": [str(c) for c in value.columns],
            "dtypes": [str(d) for d in value.dtypes],
            "rows": len(value),
        }
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, dict):
        return {str(k): _outcome(v) for k, v in value.items()}
    return repr(value)


@pytest.mark.parametrize("case", sorted(CASES["enforcement_cases"]()))
def test_enforcement_matches_mlflow(case: str, mlflow_reference: dict) -> None:
    data, schema_json = CASES["enforcement_cases"]()[case]
    expected = mlflow_reference["enforcement"][case]
    logging.disable(logging.WARNING)
    try:
        actual = _outcome(enforce_schema(data, Schema.from_json(schema_json)))
    except MlflowException as exc:
        actual = "ERROR MlflowException"
        assert exc.message  # every refusal says why
    finally:
        logging.disable(logging.NOTSET)
    assert actual == expected
