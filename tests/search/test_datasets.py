"""dataset.name / dataset.digest / dataset.context clauses in the in-memory evaluator (the SQL
store is checked against it in test_sql_datasets.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mltrail.entities import Run, RunInfo, RunInputs
from mltrail.search import parse_run_filter
from mltrail.search.evaluate import run_matches


@dataclass(frozen=True)
class Dataset:  # the fields of MLflow's Dataset that search uses
    name: str
    digest: str


@dataclass(frozen=True)
class InputTag:
    key: str
    value: str


@dataclass(frozen=True)
class DatasetInput:
    dataset: Dataset
    tags: tuple[InputTag, ...] = ()


def _run(*inputs: DatasetInput) -> Run:
    info = RunInfo("r" * 32, "1", "run", "u", "FINISHED", 1, None, "a", "active")
    return Run(info, inputs=RunInputs(dataset_inputs=inputs))


TRAIN = DatasetInput(Dataset("iris", "abc123"), (InputTag("mlflow.data.context", "train"),))
EVAL = DatasetInput(Dataset("iris-eval", "def456"), (InputTag("mlflow.data.context", "eval"),))
NO_CONTEXT = DatasetInput(Dataset("raw", "000"))


@pytest.mark.parametrize(
    ("filter_string", "expected"),
    [
        ("dataset.name = 'iris'", True),
        ("dataset.name = 'IRIS'", False),
        ("dataset.name ILIKE 'IRIS-%'", True),
        ("dataset.digest IN ('zzz', 'def456')", True),
        ("dataset.digest NOT IN ('abc123', 'def456')", False),
        ("datasets.context = 'train'", True),
        ("dataset.context = 'test'", False),
        ("dataset.context LIKE 'ev%' and dataset.name = 'iris'", True),  # any dataset, per clause
    ],
)
def test_dataset_clauses_match_any_input(filter_string: str, expected: bool) -> None:
    run = _run(TRAIN, EVAL)
    assert run_matches(run, parse_run_filter(filter_string)) is expected


def test_runs_without_datasets_never_match() -> None:
    for filter_string in ("dataset.name != 'x'", "dataset.context NOT IN ('a')"):
        assert not run_matches(_run(), parse_run_filter(filter_string))
    assert not run_matches(_run(NO_CONTEXT), parse_run_filter("dataset.context != 'train'"))
