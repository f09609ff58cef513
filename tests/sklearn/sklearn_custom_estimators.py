"""A top-level custom estimator: skops can store it but does not trust it by default."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin


class MeanOffsetRegressor(RegressorMixin, BaseEstimator):
    """Predicts the training mean of ``y`` plus ``offset``."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = offset

    def fit(self, X: Any, y: Any) -> MeanOffsetRegressor:
        self.mean_ = float(np.mean(y))
        return self

    def predict(self, X: Any) -> Any:
        return np.full(len(X), self.mean_ + self.offset)
