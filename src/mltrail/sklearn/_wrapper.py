"""The pyfunc implementation of an sklearn model: what ``pyfunc.load_model`` wraps."""

from __future__ import annotations

from typing import Any

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException

#: Methods a saved model may use as its pyfunc ``predict_fn`` (besides ``predict``).
CUSTOM_PREDICT_FNS = (
    "predict_proba",
    "predict_log_proba",
    "predict_joint_log_proba",
    "score",
)
SUPPORTED_PREDICT_FNS = ("predict", *CUSTOM_PREDICT_FNS)

#: Inference param choosing the estimator method per call (an mltrail extension; MLflow's
#: sklearn wrapper ignores params). It reaches the wrapper through ``PyFuncModel.predict`` only
#: when the model signature declares it, e.g. ``infer_signature(X, y, params={PREDICT_METHOD_PARAM:
#: "predict"})``.
PREDICT_METHOD_PARAM = "predict_method"


class SklearnModelWrapper:
    """Adapts a fitted estimator to the pyfunc ``predict(data, params=None)`` protocol.

    The estimator's ``predict_proba``/``predict_log_proba``/``predict_joint_log_proba``/
    ``score`` are exposed as attributes so a model saved with ``pyfunc_predict_fn`` set to one of
    them is served by that method.
    """

    def __init__(self, sklearn_model: Any) -> None:
        self.sklearn_model = sklearn_model
        for method_name in CUSTOM_PREDICT_FNS:
            method = getattr(sklearn_model, method_name, None)
            if method is not None:
                setattr(self, method_name, method)

    def get_raw_model(self) -> Any:
        """The underlying scikit-learn estimator."""
        return self.sklearn_model

    def predict(self, data: Any, params: dict[str, Any] | None = None) -> Any:
        """``estimator.predict(data)``, or the method named by ``params["predict_method"]``."""
        method_name = (params or {}).get(PREDICT_METHOD_PARAM) or "predict"
        if method_name not in SUPPORTED_PREDICT_FNS:
            raise MlflowException(
                f"Unsupported {PREDICT_METHOD_PARAM} {method_name!r}; use one of "
                f"{list(SUPPORTED_PREDICT_FNS)}.",
                INVALID_PARAMETER_VALUE,
            )
        method = getattr(self.sklearn_model, method_name, None)
        if method is None:
            raise MlflowException(
                f"The model {type(self.sklearn_model).__name__} has no method {method_name!r}; "
                f"pass a {PREDICT_METHOD_PARAM} it implements.",
                INVALID_PARAMETER_VALUE,
            )
        return method(data)
