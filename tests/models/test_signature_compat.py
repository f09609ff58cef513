"""infer_signature and the signature JSON match the real MLflow 3.17 exactly."""

from __future__ import annotations

import json
import logging
import warnings
from typing import Any

import pytest
from model_case_loader import load_cases

from mltrail.models import ModelSignature, infer_signature

CASES = load_cases()


def _infer(*args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return infer_signature(*args, **kwargs).to_dict()
        except Exception as exc:
            return "ERROR " + type(exc).__name__


@pytest.mark.parametrize("case", sorted(CASES["signature_inputs"]()))
def test_input_signature_matches_mlflow(case: str, mlflow_reference: dict) -> None:
    value = CASES["signature_inputs"]()[case]
    expected = mlflow_reference["inputs"][case]
    assert _infer(value) == expected


@pytest.mark.parametrize("case", sorted(CASES["signature_outputs"]()))
def test_output_signature_matches_mlflow(case: str, mlflow_reference: dict) -> None:
    model_input, model_output = CASES["signature_outputs"]()[case]
    expected = mlflow_reference["outputs"][case]
    assert expected["outputs"] is not None
    assert _infer(model_input, model_output) == expected


@pytest.mark.parametrize("case", sorted(CASES["signature_params"]()))
def test_params_signature_matches_mlflow(case: str, mlflow_reference: dict) -> None:
    params = CASES["signature_params"]()[case]
    expected = mlflow_reference["params"][case]
    assert expected["params"] is not None
    assert _infer(["x"], params=params) == expected


def test_from_dict_round_trips_every_mlflow_signature(mlflow_reference: dict) -> None:
    signatures = [
        s
        for group in ("inputs", "outputs", "params")
        for s in mlflow_reference[group].values()
        if isinstance(s, dict)
    ]
    assert len(signatures) >= 40
    for signature_dict in signatures:
        signature = ModelSignature.from_dict(signature_dict)
        assert signature.to_dict() == signature_dict
        assert ModelSignature.from_dict(signature.to_dict()) == signature


def test_uninferable_input_falls_back_to_any_with_a_warning(caplog: Any) -> None:
    with caplog.at_level(logging.WARNING, logger="mltrail.models.signature"):
        signature = infer_signature([1, "a"])
    assert json.loads(signature.to_dict()["inputs"]) == [{"type": "any", "required": True}]
    assert "mixed types" in caplog.text


def test_integer_columns_warn_about_missing_values() -> None:
    pd = pytest.importorskip("pandas")
    with pytest.warns(UserWarning, match="missing values"):
        infer_signature(pd.DataFrame({"a": [1, 2]}))
