"""What loading refuses: untrusted skops types, dangerous trusted-type lists, disabled pickle."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from sklearn_custom_estimators import MeanOffsetRegressor

import mltrail
import mltrail.sklearn
from mltrail.exceptions import MlflowException

CUSTOM_TYPE = "sklearn_custom_estimators.MeanOffsetRegressor"


def _rewrite_flavor(path: Path, **changes: Any) -> None:
    mlmodel = yaml.safe_load((path / "MLmodel").read_text())
    mlmodel["flavors"]["sklearn"].update(changes)
    (path / "MLmodel").write_text(yaml.safe_dump(mlmodel))


@pytest.fixture
def custom_model() -> MeanOffsetRegressor:
    return MeanOffsetRegressor(offset=2.0).fit(np.zeros((4, 1)), np.array([1.0, 2.0, 3.0, 4.0]))


def test_save_refuses_untrusted_custom_type(custom_model: Any, tmp_path: Path) -> None:
    path = tmp_path / "model"
    with pytest.raises(MlflowException, match="skops_trusted_types") as info:
        mltrail.sklearn.save_model(custom_model, path)
    assert CUSTOM_TYPE in str(info.value)
    assert info.value.error_code == "INVALID_PARAMETER_VALUE"
    assert not (path / "model.skops").exists()


def test_tree_models_need_their_node_type_trusted_for_skops(
    fitted_cases: dict[str, Any], tmp_path: Path
) -> None:
    with pytest.raises(MlflowException, match=r"sklearn\.tree\._tree\.Tree"):
        mltrail.sklearn.save_model(fitted_cases["forest"].model, tmp_path / "model")


def test_trusted_custom_type_round_trips(custom_model: Any, tmp_path: Path) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(custom_model, path, skops_trusted_types=[CUSTOM_TYPE])
    mlmodel = yaml.safe_load((path / "MLmodel").read_text())
    assert mlmodel["flavors"]["sklearn"]["skops_trusted_types"] == [CUSTOM_TYPE]
    loaded = mltrail.sklearn.load_model(str(path))
    np.testing.assert_array_equal(loaded.predict(np.zeros((2, 1))), [4.5, 4.5])
    pyfunc_model = mltrail.pyfunc.load_model(str(path))
    np.testing.assert_array_equal(pyfunc_model.predict(np.zeros((2, 1))), [4.5, 4.5])


def test_skops_file_with_untrusted_type_is_refused_on_load(
    custom_model: Any, tmp_path: Path
) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(custom_model, path, skops_trusted_types=[CUSTOM_TYPE])
    _rewrite_flavor(path, skops_trusted_types=None)  # the file now holds an untrusted type
    for load in (mltrail.sklearn.load_model, mltrail.pyfunc.load_model):
        with pytest.raises(MlflowException, match="types that skops does not trust") as info:
            load(str(path))
        assert CUSTOM_TYPE in str(info.value)
        assert info.value.error_code == "INVALID_PARAMETER_VALUE"


@pytest.mark.parametrize("dangerous", ["builtins.eval", "os.system", "subprocess.Popen"])
def test_dangerous_trusted_types_in_mlmodel_are_refused(
    fitted_cases: dict[str, Any], tmp_path: Path, dangerous: str
) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(fitted_cases["linear"].model, path)
    _rewrite_flavor(path, skops_trusted_types=[dangerous])
    with pytest.raises(MlflowException, match="never trusted") as info:
        mltrail.sklearn.load_model(str(path))
    assert dangerous in str(info.value)
    with pytest.raises(MlflowException, match="never trusted"):
        mltrail.sklearn.save_model(
            fitted_cases["linear"].model, tmp_path / "other", skops_trusted_types=[dangerous]
        )


def test_trusted_types_must_be_a_list_of_names(
    fitted_cases: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(fitted_cases["linear"].model, path)
    _rewrite_flavor(path, skops_trusted_types=True)  # skops < 0.10 meant "trust everything"
    with pytest.raises(MlflowException, match="must be a list of fully qualified type names"):
        mltrail.sklearn.load_model(str(path))


@pytest.mark.parametrize("fmt", ["pickle", "cloudpickle"])
def test_pickle_load_logs_a_warning(
    fitted_cases: dict[str, Any], tmp_path: Path, fmt: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(fitted_cases["linear"].model, path, serialization_format=fmt)
    with caplog.at_level(logging.WARNING, logger="mltrail.sklearn"):
        mltrail.sklearn.load_model(str(path))
    messages = [r.getMessage() for r in caplog.records if r.name == "mltrail.sklearn"]
    assert any(f"serialized with {fmt} executes Python code" in m for m in messages), messages

    caplog.clear()
    skops_path = tmp_path / "skops_model"
    mltrail.sklearn.save_model(fitted_cases["linear"].model, skops_path)
    with caplog.at_level(logging.WARNING, logger="mltrail.sklearn"):
        mltrail.sklearn.load_model(str(skops_path))
    assert not [r for r in caplog.records if "executes Python code" in r.getMessage()]


@pytest.mark.parametrize("fmt", ["skops", "pickle"])
def test_deserialization_can_be_disabled(
    fitted_cases: dict[str, Any], tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model"
    mltrail.sklearn.save_model(fitted_cases["linear"].model, path, serialization_format=fmt)
    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "false")
    with pytest.raises(MlflowException, match="MLFLOW_ALLOW_PICKLE_DESERIALIZATION"):
        mltrail.sklearn.load_model(str(path))


def test_pickle_save_warns_about_the_format(
    fitted_cases: dict[str, Any], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="mltrail.sklearn"):
        mltrail.sklearn.save_model(
            fitted_cases["linear"].model, tmp_path / "m", serialization_format="pickle"
        )
    assert any("'skops' is the safe alternative" in r.getMessage() for r in caplog.records)
