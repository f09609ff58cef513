"""Fixtures of the scoring tests: an in-process scoring app client and a saved pyfunc model."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scoring_models import save_linear_model


@pytest.fixture(scope="session")
def linear_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return save_linear_model(tmp_path_factory.mktemp("linear") / "model")


@pytest.fixture
def scoring_client() -> Iterator[Callable[..., Any]]:
    """``make(model, **app_options)`` -> a TestClient of ``create_scoring_app``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from mltrail.pyfunc.scoring_server import create_scoring_app

    clients: list[Any] = []

    def make(model: Any, base_url: str = "http://localhost", **options: Any) -> Any:
        client = TestClient(create_scoring_app(model, **options), base_url=base_url)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
