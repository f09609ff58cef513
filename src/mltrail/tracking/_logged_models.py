"""``MlflowClient`` methods for MLflow 3 logged models and run inputs/outputs.

A mixin so the client module stays small; every method converts user values and calls the
tracking store (``self.store``), which validates and writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mltrail.entities import (
    DatasetInput,
    LoggedModel,
    LoggedModelInput,
    LoggedModelOutput,
    LoggedModelStatus,
    PagedList,
)
from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.tracking import _values

if TYPE_CHECKING:
    from mltrail.store.tracking.abstract import AbstractTrackingStore

#: Short status names MLflow's client accepts, mapped to the protocol names.
_STATUS_ALIASES = {
    "READY": LoggedModelStatus.READY,
    "PENDING": LoggedModelStatus.PENDING,
    "FAILED": LoggedModelStatus.UPLOAD_FAILED,
    "UPLOAD_FAILED": LoggedModelStatus.UPLOAD_FAILED,
}


def logged_model_status(status: Any) -> str:
    """The protocol name of ``status``: ``"READY"``, ``"LOGGED_MODEL_READY"``, 2, an enum..."""
    if isinstance(status, int) and not isinstance(status, bool):
        if status in LoggedModelStatus.NAMES:
            return LoggedModelStatus.NAMES[status]
    else:
        name = str(getattr(status, "name", status)).upper()
        name = _STATUS_ALIASES.get(name, name)
        if name in LoggedModelStatus.NUMBERS:
            return name
    raise MlflowException(
        f"Invalid logged model status {status!r}. Use one of READY, FAILED, PENDING (or "
        f"{', '.join(LoggedModelStatus.NUMBERS)}).",
        error_code=INVALID_PARAMETER_VALUE,
    )


def _strings(values: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(key): str(value) for key, value in (values or {}).items()}


class LoggedModelsMixin:
    """Logged-model and run input/output methods of :class:`MlflowClient`."""

    @property
    def store(self) -> AbstractTrackingStore:  # provided by MlflowClient
        raise NotImplementedError

    # ---- logged models -------------------------------------------------------------------------
    def create_logged_model(
        self,
        experiment_id: str,
        name: str | None = None,
        source_run_id: str | None = None,
        tags: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
        model_type: str | None = None,
    ) -> LoggedModel:
        """Create a PENDING logged model; its artifacts go under
        ``<experiment artifact location>/models/<model_id>/artifacts``."""
        return self.store.create_logged_model(
            _values.experiment_id(experiment_id),
            name=name,
            source_run_id=source_run_id,
            tags=_strings(tags),
            params=_strings(params),
            model_type=model_type,
        )

    def get_logged_model(self, model_id: str) -> LoggedModel:
        return self.store.get_logged_model(model_id)

    def finalize_logged_model(self, model_id: str, status: Any) -> LoggedModel:
        """Mark the model READY or FAILED once its artifacts are uploaded."""
        return self.store.finalize_logged_model(model_id, logged_model_status(status))

    def set_logged_model_tags(self, model_id: str, tags: Mapping[str, Any]) -> None:
        self.store.set_logged_model_tags(model_id, _strings(tags))

    def delete_logged_model_tag(self, model_id: str, key: str) -> None:
        self.store.delete_logged_model_tag(model_id, key)

    def log_model_params(self, model_id: str, params: Mapping[str, Any]) -> None:
        """Add params to a logged model (changing a logged value is an error)."""
        self.store.log_logged_model_params(model_id, _strings(params))

    def delete_logged_model(self, model_id: str) -> None:
        self.store.delete_logged_model(model_id)

    def search_logged_models(
        self,
        experiment_ids: str | Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[Mapping[str, Any]] | None = None,
        max_results: int | None = None,
        order_by: Sequence[Mapping[str, Any]] | None = None,
        page_token: str | None = None,
    ) -> PagedList[LoggedModel]:
        """One page of logged models; pass ``.token`` as ``page_token`` for the next one.

        ``filter_string`` like ``name = 'model' AND metrics.acc > 0.9``; ``datasets`` and
        ``order_by`` are lists of dicts (``{"field_name": "creation_timestamp",
        "ascending": False}``).
        """
        if isinstance(experiment_ids, str | int):
            experiment_ids = [experiment_ids]  # type: ignore[list-item]
        return self.store.search_logged_models(
            [_values.experiment_id(e) for e in experiment_ids],
            filter_string=filter_string,
            datasets=datasets,
            max_results=max_results,
            order_by=order_by,
            page_token=page_token,
        )

    def find_logged_model_of_run(self, run_id: str, name: str) -> LoggedModel | None:
        """The newest logged model called ``name`` that run ``run_id`` produced, if any.

        This is how ``runs:/<run_id>/<name>`` finds an MLflow 3 model.
        """
        if not name:
            return None
        experiment_id = self.store.get_run(run_id).info.experiment_id
        escaped = name.replace("\\", "\\\\").replace("'", "\\'")
        page = self.search_logged_models(
            [experiment_id], filter_string=f"name = '{escaped}'", max_results=100
        )
        mine = [model for model in page if model.source_run_id == run_id]
        return max(mine, key=lambda m: m.creation_timestamp) if mine else None

    # ---- run inputs and outputs ----------------------------------------------------------------
    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] | None = None,
        models: Sequence[LoggedModelInput] | None = None,
    ) -> None:
        """Record the datasets and logged models a run used."""
        if datasets or models:
            self.store.log_inputs(run_id, list(datasets or ()), list(models or ()))

    def log_outputs(self, run_id: str, models: Sequence[LoggedModelOutput]) -> None:
        """Record the logged models a run produced."""
        self.store.log_outputs(run_id, list(models))
