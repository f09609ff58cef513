"""mltrail.config: the switches, and the lazy tracking URI functions."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mltrail import config
from mltrail.tracking import async_logging


def test_config_import_is_light() -> None:
    code = (
        "import sys, mltrail.config; "
        "print([m for m in ('sqlalchemy', 'numpy', 'pandas', 'PIL', 'yaml') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_enable_and_disable_async_logging(fresh_switch: None) -> None:
    config.enable_async_logging()
    assert async_logging.is_async_logging_enabled() is True
    assert os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] == "true"
    config.enable_async_logging(False)
    assert async_logging.is_async_logging_enabled() is False
    config.enable_async_logging(True)
    config.disable_async_logging()
    assert async_logging.is_async_logging_enabled() is False
    assert os.environ["MLFLOW_ENABLE_ASYNC_LOGGING"] == "false"


def test_system_metrics_switches_are_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "MLFLOW_ENABLE_SYSTEM_METRICS_LOGGING",
        "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL",
        "MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING",
        "MLFLOW_SYSTEM_METRICS_NODE_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    assert config.is_system_metrics_logging_enabled() is False
    config.enable_system_metrics_logging()
    assert config.is_system_metrics_logging_enabled() is True
    config.disable_system_metrics_logging()
    assert config.is_system_metrics_logging_enabled() is False
    config.set_system_metrics_sampling_interval(2.5)
    config.set_system_metrics_samples_before_logging(3)
    config.set_system_metrics_node_id("node-1")
    assert config.MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL.get() == 2.5
    assert config.MLFLOW_SYSTEM_METRICS_SAMPLES_BEFORE_LOGGING.get() == 3
    assert os.environ["MLFLOW_SYSTEM_METRICS_NODE_ID"] == "node-1"
    config.set_system_metrics_sampling_interval(None)
    assert "MLFLOW_SYSTEM_METRICS_SAMPLING_INTERVAL" not in os.environ


def test_mlflow_config_names_are_present() -> None:
    expected = {
        "enable_system_metrics_logging",
        "disable_system_metrics_logging",
        "enable_async_logging",
        "get_registry_uri",
        "get_tracking_uri",
        "is_tracking_uri_set",
        "set_registry_uri",
        "set_system_metrics_sampling_interval",
        "set_system_metrics_samples_before_logging",
        "set_system_metrics_node_id",
        "set_tracking_uri",
    }
    assert expected <= set(config.__all__)
    assert all(callable(getattr(config, name)) for name in config.__all__)


def test_tracking_and_registry_uris_go_through_mltrail_tracking(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking = pytest.importorskip("mltrail.tracking")
    if not hasattr(tracking, "set_tracking_uri"):
        pytest.skip("mltrail.tracking does not export the URI functions yet")
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    monkeypatch.delenv("MLFLOW_REGISTRY_URI", raising=False)
    before = (tracking.get_tracking_uri(), tracking.is_tracking_uri_set())
    try:
        config.set_tracking_uri("sqlite:///config-test.db")
        assert config.get_tracking_uri() == "sqlite:///config-test.db"
        assert tracking.get_tracking_uri() == "sqlite:///config-test.db"
        assert config.is_tracking_uri_set() is True
        assert config.get_registry_uri() == "sqlite:///config-test.db"
        config.set_registry_uri("sqlite:///registry.db")
        assert config.get_registry_uri() == "sqlite:///registry.db"
    finally:
        config.set_registry_uri(None)
        config.set_tracking_uri(None if not before[1] else before[0])
