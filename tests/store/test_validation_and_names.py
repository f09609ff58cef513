"""The pure helpers behind the store: key/value validation, limits and generated run names."""

from __future__ import annotations

import re

import pytest

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.store.tracking.sql.locations import join_uri, resolve_root
from mltrail.store.tracking.sql.metric_values import decode, encode
from mltrail.utils import validation
from mltrail.utils.names import ADJECTIVES, NOUNS, generate_run_name


def test_generated_names_are_short_and_readable():
    pattern = re.compile(r"^([a-z]+)-([a-z]+)-(\d{1,3})$")
    for _ in range(200):
        name = generate_run_name()
        match = pattern.match(name)
        assert match, name
        assert match.group(1) in ADJECTIVES and match.group(2) in NOUNS
        assert 0 <= int(match.group(3)) < 1000
        assert len(name) <= 20
    assert max(len(a) for a in ADJECTIVES) + max(len(n) for n in NOUNS) + 5 <= 20


@pytest.mark.parametrize("key", ["a", "a/b", "a.b", "a-b_c", "a b", "a:b", "ünï", "x" * 250])
def test_valid_keys(key: str):
    assert validation.validate_key("metric", key) == key


@pytest.mark.parametrize(
    "key", ["", ".", "..", "../a", "/a", "a/", "a//b", "a/./b", "a$", "x" * 251]
)
def test_invalid_keys(key: str):
    with pytest.raises(MlflowException) as info:
        validation.validate_key("param", key)
    assert info.value.error_code == INVALID_PARAMETER_VALUE
    assert "Invalid param key" in str(info.value)


def test_experiment_ids():
    assert validation.parse_experiment_id("12") == 12
    assert validation.parse_experiment_id(3) == 3
    for bad in ("x", "1.5", " 1", "", None, True):
        with pytest.raises(MlflowException) as info:
            validation.parse_experiment_id(bad)
        assert "Experiment ID must be a valid integer" in str(info.value)


def test_batch_size_limits():
    validation.validate_batch_sizes(1000, 0, 0)
    validation.validate_batch_sizes(800, 100, 100)
    for sizes in ((1001, 0, 0), (0, 101, 0), (0, 0, 101), (900, 100, 1)):
        with pytest.raises(MlflowException):
            validation.validate_batch_sizes(*sizes)


def test_max_results():
    assert validation.validate_max_results(50000) == 50000
    for bad in (0, -5, 50001, "10", 1.5, None):
        with pytest.raises(MlflowException):
            validation.validate_max_results(bad)


def test_truncation_switch(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MLFLOW_TRUNCATE_LONG_VALUES", "TRUE")
    assert validation.param_value("k", "v" * 6001) == "v" * 6000
    monkeypatch.setenv("MLFLOW_TRUNCATE_LONG_VALUES", "0")
    with pytest.raises(MlflowException):
        validation.run_tag_value("k", "v" * 8001)
    assert validation.run_tag_value("k", "v" * 8000) == "v" * 8000


def test_metric_value_encoding_round_trips():
    for value in (0.0, -0.0, 1.5, -1e308, 1.7976931348623157e308):
        stored, special = encode(value)
        assert (stored, special) == (value, 0)
        assert decode(stored, special) == value
    nan_stored = encode(float("nan"))
    assert nan_stored == (0.0, 1)
    assert decode(*nan_stored) != decode(*nan_stored)  # NaN
    assert decode(*encode(float("inf"))) == float("inf")
    assert decode(*encode(float("-inf"))) == float("-inf")
    assert encode(float("inf"))[0] == 1.7976931348623157e308


def test_artifact_uri_joining(tmp_path, monkeypatch: pytest.MonkeyPatch):
    assert join_uri("mlflow-artifacts:/", "3") == "mlflow-artifacts:/3"
    assert (
        join_uri("s3://bucket/root/", "3", "abc", "artifacts") == "s3://bucket/root/3/abc/artifacts"
    )
    assert join_uri("/abs/mlruns", "0") == "/abs/mlruns/0"
    monkeypatch.chdir(tmp_path)
    assert resolve_root("./mlruns") == str(tmp_path / "mlruns")
    assert resolve_root("s3://bucket/x") == "s3://bucket/x"


def test_fast_history_points_equal_constructed_metrics():
    from mltrail.entities import Metric
    from mltrail.store.tracking.sql.history import build_points

    rows = [(10, 1, 0.5, 0), (11, 2, 0.0, 1), (12, 3, 1.7976931348623157e308, 2)]
    points = build_points("loss", rows)
    assert points[0] == Metric("loss", 0.5, 10, 1)
    assert repr(points[2]) == repr(Metric("loss", float("inf"), 12, 3))
    assert points[1].value != points[1].value  # NaN
    assert (points[1].run_id, points[1].model_id, points[1].dataset_name) == (None, None, None)
    assert hash(points[0]) == hash(Metric("loss", 0.5, 10, 1))
