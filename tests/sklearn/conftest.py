"""Shared data and fitted estimators for the sklearn flavor tests, plus a SQLite tracking store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class FittedCase:
    """A fitted estimator with its held-out data."""

    name: str
    model: Any
    X_train: Any
    X_test: Any
    is_classifier: bool


def _iris() -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split

    X, y = load_iris(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.2, random_state=42)


def _diabetes() -> tuple[Any, Any, Any, Any]:
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    return train_test_split(X, y, test_size=0.2, random_state=42)


@pytest.fixture(scope="session")
def iris_data() -> tuple[Any, Any, Any, Any]:
    return _iris()


@pytest.fixture(scope="session")
def fitted_cases() -> dict[str, FittedCase]:
    """A classifier, two regressors and a Pipeline, fitted once per session."""
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    iris_train, iris_test, iris_y, _ = _iris()
    diab_train, diab_test, diab_y, _ = _diabetes()
    forest = RandomForestRegressor(n_estimators=10, max_depth=4, random_state=0)
    pipeline = Pipeline([("scale", StandardScaler()), ("clf", LogisticRegression(max_iter=500))])
    return {
        "logistic": FittedCase(
            "logistic",
            LogisticRegression(max_iter=500).fit(iris_train, iris_y),
            iris_train,
            iris_test,
            True,
        ),
        "linear": FittedCase(
            "linear", LinearRegression().fit(diab_train, diab_y), diab_train, diab_test, False
        ),
        "forest": FittedCase(
            "forest", forest.fit(diab_train, diab_y), diab_train, diab_test, False
        ),
        "pipeline": FittedCase(
            "pipeline", pipeline.fit(iris_train, iris_y), iris_train, iris_test, True
        ),
    }


@pytest.fixture
def sqlite_tracking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Track into a fresh SQLite file (artifacts under ``tmp_path/mlruns``) for one test."""
    import mltrail

    monkeypatch.chdir(tmp_path)
    for name in ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID"):
        monkeypatch.delenv(name, raising=False)
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    mltrail.set_tracking_uri(uri)
    try:
        yield uri
    finally:
        while mltrail.active_run() is not None:
            mltrail.end_run()
        from mltrail.store.tracking.sql.engine import dispose_database

        dispose_database(uri)
        mltrail.set_tracking_uri(None)
