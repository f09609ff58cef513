"""``PyFuncModel``: a loaded model with schema-enforced ``predict`` (spec mlmodel-format §8)."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any

from mltrail.exceptions import MlflowException

if TYPE_CHECKING:
    from mltrail.models.model import Model


class PyFuncModel:
    """The generic Python-function view of a model, whatever its flavor."""

    def __init__(
        self,
        model_meta: Model,
        model_impl: Any,
        predict_fn: str = "predict",
        model_config: dict[str, Any] | None = None,
    ) -> None:
        if not hasattr(model_impl, predict_fn):
            raise MlflowException(
                f"The loaded model has no '{predict_fn}' method to call for predictions."
            )
        self._model_meta = model_meta
        self._model_impl = model_impl
        self._predict_fn = getattr(model_impl, predict_fn)
        self._model_config = model_config
        try:
            parameters = inspect.signature(self._predict_fn).parameters
        except (TypeError, ValueError):
            parameters = {}  # type: ignore[assignment]
        self._predict_takes_params = "params" in parameters

    @property
    def metadata(self) -> Model:
        """The model's ``Model`` (MLmodel contents)."""
        return self._model_meta

    @property
    def model_config(self) -> dict[str, Any] | None:
        return self._model_config

    @property
    def loader_module(self) -> str | None:
        conf = self._model_meta.flavors.get("python_function", {})
        return conf.get("loader_module")

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        """Enforce the signature on ``data`` and ``params``, then call the model."""
        from mltrail.pyfunc.enforcement import enforce_params, enforce_schema
        from mltrail.pyfunc.enforcement import schema_enforcement_error as enforcement_error

        input_schema = self._model_meta.get_input_schema()
        if input_schema is not None:
            try:
                data = enforce_schema(data, input_schema)
            except Exception as exc:
                raise enforcement_error(data, input_schema, exc) from exc
        params = enforce_params(params, self._model_meta.get_params_schema())
        if self._predict_takes_params:
            return self._predict_fn(data, params=params)
        return self._predict_fn(data)

    def unwrap_python_model(self) -> Any:
        """The user's ``PythonModel`` instance (custom models only)."""
        python_model = getattr(self._model_impl, "python_model", None)
        if python_model is None:
            raise MlflowException(
                "unwrap_python_model() only works for models saved with python_model=; this "
                f"model's loader is {self.loader_module!r}. Use get_raw_model() instead."
            )
        return python_model

    def get_raw_model(self) -> Any:
        """The underlying model object (the estimator, the PythonModel, ...)."""
        getter = getattr(self._model_impl, "get_raw_model", None)
        return getter() if callable(getter) else self._model_impl

    def __repr__(self) -> str:
        meta = self._model_meta
        lines = ["mlflow.pyfunc.loaded_model:"]
        if meta.artifact_path:
            lines.append(f"  artifact_path: {meta.artifact_path}")
        lines.append(f"  flavor: {self.loader_module}")
        if meta.run_id:
            lines.append(f"  run_id: {meta.run_id}")
        return "\n".join(lines) + "\n"
