"""``mltrail.client.MlflowClient``, as ``mlflow.client.MlflowClient``."""

from mltrail.tracking.client import MlflowClient

__all__ = ["MlflowClient"]
