"""Input examples saved by mltrail are byte-identical to MLflow's, and load back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from model_case_loader import load_cases

from mltrail.exceptions import MlflowException
from mltrail.models import infer_signature
from mltrail.models.input_example import (
    read_input_example,
    read_input_example_params,
    save_input_example,
)

CASES = load_cases()
EXAMPLES = {**CASES["input_examples"](), **CASES["sparse_examples"]()}


def _saved_files(directory: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(directory.iterdir())}


@pytest.mark.parametrize("case", sorted(EXAMPLES))
def test_saved_example_matches_mlflow(case: str, tmp_path: Path, mlflow_reference: dict) -> None:
    expected = mlflow_reference["examples"][case]
    info = save_input_example(tmp_path, EXAMPLES[case])
    assert info == expected["info"]
    assert list(info) == list(expected["info"])  # same key order in MLmodel
    assert _saved_files(tmp_path) == expected["files"]


@pytest.mark.filterwarnings("ignore:The inferred schema has integer columns")
@pytest.mark.parametrize("case", sorted(CASES["read_back_cases"]()))
@pytest.mark.parametrize("with_schema", [False, True])
def test_read_back_matches_mlflow(
    case: str, with_schema: bool, tmp_path: Path, mlflow_reference: dict
) -> None:
    example = CASES["read_back_cases"]()[case]
    info = save_input_example(tmp_path, example)
    schema = infer_signature(example).inputs if with_schema else None
    loaded = read_input_example(tmp_path, info, schema)
    expected = mlflow_reference["read_back"][case][int(with_schema)]
    assert json.loads(json.dumps(CASES["describe"](loaded))) == expected


def test_dataframe_example_reads_back(tmp_path: Path) -> None:
    df = pd.DataFrame({"a": [1.0, np.nan], "s": ["x", "y"]})
    info = save_input_example(tmp_path, df)
    loaded = read_input_example(tmp_path, info)
    assert list(loaded.columns) == ["a", "s"]
    assert loaded["a"].tolist()[0] == 1.0 and np.isnan(loaded["a"].tolist()[1])
    assert loaded["s"].tolist() == ["x", "y"]


def test_ndarray_and_dict_examples_read_back(tmp_path: Path) -> None:
    info = save_input_example(tmp_path, np.arange(6).reshape(2, 3))
    assert read_input_example(tmp_path, info).tolist() == [[0, 1, 2], [3, 4, 5]]
    info = save_input_example(tmp_path, {"a": np.array([1.0, 2.0])})
    assert read_input_example(tmp_path, info)["a"].tolist() == [1.0, 2.0]
    info = save_input_example(tmp_path, {"q": "hi", "n": [1, 2]})
    assert read_input_example(tmp_path, info) == {"q": "hi", "n": [1, 2]}


def test_sparse_example_reads_back(tmp_path: Path) -> None:
    matrix = EXAMPLES["csr"]
    info = save_input_example(tmp_path, matrix)
    assert info["type"] == "sparse_matrix_csr"
    loaded = read_input_example(tmp_path, info)
    assert (loaded.toarray() == matrix.toarray()).all()


def test_params_are_stored_and_read_separately(tmp_path: Path) -> None:
    info = save_input_example(tmp_path, (pd.DataFrame({"a": [1.0]}), {"p": 1}))
    assert info["params"] == "true"
    assert read_input_example(tmp_path, info)["a"].tolist() == [1.0]
    assert read_input_example_params(tmp_path, info) == {"p": 1}
    plain = save_input_example(tmp_path, [1])
    assert read_input_example_params(tmp_path, plain) is None
    assert read_input_example(tmp_path, None) is None


def test_unsupported_example_is_refused(tmp_path: Path) -> None:
    with pytest.raises(MlflowException, match="Unsupported input example type set"):
        save_input_example(tmp_path, {1, 2})
    assert json.dumps(list(tmp_path.iterdir())) == "[]"
