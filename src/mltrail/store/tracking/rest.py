"""The REST tracking store: every store call becomes one request to a tracking server.

Works against ``mltrail server`` and MLflow's ``mlflow server`` alike: requests and responses
follow MLflow's REST protocol (``mltrail.protocol``). The transport (auth, TLS, retries,
error mapping) lives in :mod:`mltrail.utils.rest_http`; credentials are read from the
environment on every call, so changing ``MLFLOW_TRACKING_TOKEN`` takes effect at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from mltrail.entities import (
    DatasetInput,
    Experiment,
    ExperimentTag,
    LoggedModel,
    LoggedModelInput,
    LoggedModelOutput,
    Metric,
    PagedList,
    Param,
    Run,
    RunInfo,
    RunStatus,
    RunTag,
    ViewType,
)
from mltrail.exceptions import RESOURCE_DOES_NOT_EXIST, RestException
from mltrail.protocol.endpoints import endpoint_url
from mltrail.protocol.entities_json import (
    dataset_input_to_json,
    double_to_json,
    experiment_from_json,
    key_values_to_json,
    logged_model_from_json,
    metric_from_json,
    metric_to_json,
    model_input_to_json,
    model_output_to_json,
    run_from_json,
    run_info_from_json,
)
from mltrail.store.tracking.abstract import SEARCH_MAX_RESULTS_DEFAULT, AbstractTrackingStore
from mltrail.utils.rest_http import HostCreds, call_endpoint, host_creds_from_env

#: Page size used to read a whole metric history (what MLflow's client asks for too).
METRIC_HISTORY_PAGE_SIZE = 25000


def _key_values(items: Sequence[ExperimentTag] | Sequence[Param] | Sequence[RunTag]) -> list:
    return [{"key": item.key, "value": item.value} for item in items]


def _view_type_name(view_type: int | str | None) -> str:
    if view_type is None:
        return "ACTIVE_ONLY"
    if isinstance(view_type, str):
        return ViewType.to_string(ViewType.from_string(view_type))
    return ViewType.to_string(int(view_type))


def _status_name(status: int | str) -> str:
    if isinstance(status, str):
        return RunStatus.to_string(RunStatus.from_string(status))
    return RunStatus.to_string(int(status))


class RestTrackingStore(AbstractTrackingStore):
    """Tracking store backed by a tracking server at ``tracking_uri`` (``http(s)://...``).

    A path prefix in the URI (``http://host:5000/mlflow``) is kept: every API path is
    appended to it.
    """

    def __init__(self, tracking_uri: str) -> None:
        self.tracking_uri = tracking_uri.rstrip("/")

    def __repr__(self) -> str:
        return f"RestTrackingStore({self.tracking_uri!r})"

    def get_host_creds(self) -> HostCreds:
        """The server address and credentials, read from the environment now."""
        return host_creds_from_env(self.tracking_uri)

    def _call(
        self, name: str, body: dict[str, Any] | None = None, **path_params: str
    ) -> dict[str, Any]:
        method, path = endpoint_url(name, **path_params)
        if body is not None:
            body = {k: v for k, v in body.items() if v is not None}
        return call_endpoint(self.get_host_creds(), path, method, body)

    # ---- experiments ---------------------------------------------------------------------------
    def create_experiment(
        self,
        name: str,
        artifact_location: str | None = None,
        tags: Sequence[ExperimentTag] | None = None,
    ) -> str:
        body: dict[str, Any] = {"name": name, "artifact_location": artifact_location or None}
        if tags:
            body["tags"] = _key_values(tags)
        return str(self._call("create_experiment", body)["experiment_id"])

    def get_experiment(self, experiment_id: str) -> Experiment:
        response = self._call("get_experiment", {"experiment_id": str(experiment_id)})
        return experiment_from_json(response["experiment"])

    def get_experiment_by_name(self, experiment_name: str) -> Experiment | None:
        try:
            response = self._call("get_experiment_by_name", {"experiment_name": experiment_name})
        except RestException as exc:
            if exc.error_code == RESOURCE_DOES_NOT_EXIST:
                return None
            raise
        return experiment_from_json(response["experiment"])

    def delete_experiment(self, experiment_id: str) -> None:
        self._call("delete_experiment", {"experiment_id": str(experiment_id)})

    def restore_experiment(self, experiment_id: str) -> None:
        self._call("restore_experiment", {"experiment_id": str(experiment_id)})

    def rename_experiment(self, experiment_id: str, new_name: str) -> None:
        self._call("update_experiment", {"experiment_id": str(experiment_id), "new_name": new_name})

    def search_experiments(
        self,
        view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        filter_string: str | None = None,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Experiment]:
        body = {
            "view_type": _view_type_name(view_type),
            "max_results": max_results,
            "filter": filter_string or None,
            "order_by": list(order_by) if order_by else None,
            "page_token": page_token or None,
        }
        response = self._call("search_experiments", body)
        experiments = [experiment_from_json(e) for e in response.get("experiments", ())]
        return PagedList(experiments, response.get("next_page_token") or None)

    def set_experiment_tag(self, experiment_id: str, tag: ExperimentTag) -> None:
        body = {"experiment_id": str(experiment_id), "key": tag.key, "value": tag.value}
        self._call("set_experiment_tag", body)

    def delete_experiment_tag(self, experiment_id: str, key: str) -> None:
        self._call("delete_experiment_tag", {"experiment_id": str(experiment_id), "key": key})

    # ---- runs ----------------------------------------------------------------------------------
    def create_run(
        self,
        experiment_id: str,
        user_id: str | None,
        start_time: int | None,
        tags: Sequence[RunTag] | None,
        run_name: str | None,
    ) -> Run:
        body: dict[str, Any] = {
            "experiment_id": str(experiment_id),
            "user_id": user_id,
            "start_time": start_time,
            "run_name": run_name or None,
        }
        if tags:
            body["tags"] = _key_values(tags)
        return run_from_json(self._call("create_run", body)["run"])

    def get_run(self, run_id: str) -> Run:
        response = self._call("get_run", {"run_uuid": run_id, "run_id": run_id})
        return run_from_json(response["run"])

    def update_run_info(
        self,
        run_id: str,
        run_status: int | None,
        end_time: int | None,
        run_name: str | None,
    ) -> RunInfo:
        body = {
            "run_uuid": run_id,
            "run_id": run_id,
            "status": None if run_status is None else _status_name(run_status),
            "end_time": end_time,
            "run_name": run_name or None,
        }
        return run_info_from_json(self._call("update_run", body)["run_info"])

    def delete_run(self, run_id: str) -> None:
        self._call("delete_run", {"run_id": run_id})

    def restore_run(self, run_id: str) -> None:
        self._call("restore_run", {"run_id": run_id})

    # ---- logging -------------------------------------------------------------------------------
    def log_batch(
        self,
        run_id: str,
        metrics: Sequence[Metric],
        params: Sequence[Param],
        tags: Sequence[RunTag],
    ) -> None:
        """One ``log-batch`` request. The client keeps batches within the server's limits."""
        body: dict[str, Any] = {"run_id": run_id}
        if metrics:
            body["metrics"] = [metric_to_json(m) for m in metrics]
        if params:
            body["params"] = _key_values(params)
        if tags:
            body["tags"] = _key_values(tags)
        self._call("log_batch", body)

    def log_metric(self, run_id: str, metric: Metric) -> None:
        body = {
            "run_uuid": run_id,
            "run_id": run_id,
            "key": metric.key,
            "value": double_to_json(metric.value),
            "timestamp": metric.timestamp,
            "step": metric.step,
            "model_id": metric.model_id or None,
            "dataset_name": metric.dataset_name or None,
            "dataset_digest": metric.dataset_digest or None,
        }
        self._call("log_metric", body)

    def log_param(self, run_id: str, param: Param) -> None:
        body = {"run_uuid": run_id, "run_id": run_id, "key": param.key, "value": param.value}
        self._call("log_param", body)

    def set_tag(self, run_id: str, tag: RunTag) -> None:
        body = {"run_uuid": run_id, "run_id": run_id, "key": tag.key, "value": tag.value}
        self._call("set_tag", body)

    def delete_tag(self, run_id: str, key: str) -> None:
        self._call("delete_tag", {"run_id": run_id, "key": key})

    def get_metric_history(
        self,
        run_id: str,
        metric_key: str,
        max_results: int | None = None,
        page_token: str | None = None,
    ) -> PagedList[Metric]:
        """One page when ``max_results`` is given; otherwise the whole history, page by page."""
        if max_results is not None:
            return self._metric_history_page(run_id, metric_key, max_results, page_token)
        points: list[Metric] = []
        token = page_token
        while True:
            page = self._metric_history_page(run_id, metric_key, METRIC_HISTORY_PAGE_SIZE, token)
            points.extend(page)
            token = page.token
            if not token:
                return PagedList(points, None)

    def _metric_history_page(
        self, run_id: str, metric_key: str, max_results: int, page_token: str | None
    ) -> PagedList[Metric]:
        body = {
            "run_uuid": run_id,
            "run_id": run_id,
            "metric_key": metric_key,
            "max_results": max_results,
            "page_token": page_token or None,
        }
        response = self._call("get_metric_history", body)
        metrics = [metric_from_json(m) for m in response.get("metrics", ())]
        return PagedList(metrics, response.get("next_page_token") or None)

    def search_runs(
        self,
        experiment_ids: Sequence[str],
        filter_string: str = "",
        run_view_type: int = ViewType.ACTIVE_ONLY,
        max_results: int = SEARCH_MAX_RESULTS_DEFAULT,
        order_by: Sequence[str] | None = None,
        page_token: str | None = None,
    ) -> PagedList[Run]:
        body = {
            "experiment_ids": [str(e) for e in experiment_ids],
            "filter": filter_string or None,
            "run_view_type": _view_type_name(run_view_type),
            "max_results": max_results,
            "order_by": list(order_by) if order_by else None,
            "page_token": page_token or None,
        }
        response = self._call("search_runs", body)
        runs = [run_from_json(r) for r in response.get("runs", ())]
        return PagedList(runs, response.get("next_page_token") or None)

    # ---- run inputs and outputs ----------------------------------------------------------------
    def log_inputs(
        self,
        run_id: str,
        datasets: Sequence[DatasetInput] | None = None,
        models: Sequence[LoggedModelInput] | None = None,
    ) -> None:
        body: dict[str, Any] = {"run_id": run_id}
        if datasets:
            body["datasets"] = [dataset_input_to_json(d) for d in datasets]
        if models:
            body["models"] = [model_input_to_json(m) for m in models]
        self._call("log_inputs", body)

    def log_outputs(self, run_id: str, models: Sequence[LoggedModelOutput]) -> None:
        body = {"run_id": run_id, "models": [model_output_to_json(m) for m in models]}
        self._call("log_outputs", body)

    # ---- logged models -------------------------------------------------------------------------
    def create_logged_model(
        self,
        experiment_id: str,
        name: str | None = None,
        source_run_id: str | None = None,
        tags: Mapping[str, str] | None = None,
        params: Mapping[str, str] | None = None,
        model_type: str | None = None,
    ) -> LoggedModel:
        body: dict[str, Any] = {
            "experiment_id": str(experiment_id),
            "name": name,
            "source_run_id": source_run_id or None,
            "model_type": model_type or None,
        }
        if tags:
            body["tags"] = key_values_to_json(dict(tags))
        if params:
            body["params"] = key_values_to_json(dict(params))
        return logged_model_from_json(self._call("create_logged_model", body)["model"])

    def get_logged_model(self, model_id: str, allow_deleted: bool = False) -> LoggedModel:
        body = {"allow_deleted": "true"} if allow_deleted else None
        response = self._call("get_logged_model", body, model_id=model_id)
        return logged_model_from_json(response["model"])

    def finalize_logged_model(self, model_id: str, status: str) -> LoggedModel:
        body = {"model_id": model_id, "status": status}
        response = self._call("finalize_logged_model", body, model_id=model_id)
        return logged_model_from_json(response["model"])

    def set_logged_model_tags(self, model_id: str, tags: Mapping[str, str]) -> None:
        body = {"model_id": model_id, "tags": key_values_to_json(dict(tags))}
        self._call("set_logged_model_tags", body, model_id=model_id)

    def delete_logged_model_tag(self, model_id: str, key: str) -> None:
        self._call("delete_logged_model_tag", {}, model_id=model_id, tag_key=quote(key, safe=""))

    def log_logged_model_params(self, model_id: str, params: Mapping[str, str]) -> None:
        body = {"model_id": model_id, "params": key_values_to_json(dict(params))}
        self._call("log_logged_model_params", body, model_id=model_id)

    def delete_logged_model(self, model_id: str) -> None:
        self._call("delete_logged_model", {}, model_id=model_id)

    def search_logged_models(
        self,
        experiment_ids: Sequence[str],
        filter_string: str | None = None,
        datasets: Sequence[Mapping[str, Any]] | None = None,
        max_results: int | None = None,
        order_by: Sequence[Mapping[str, Any]] | None = None,
        page_token: str | None = None,
    ) -> PagedList[LoggedModel]:
        body = {
            "experiment_ids": [str(e) for e in experiment_ids],
            "filter": filter_string or None,
            "datasets": [dict(d) for d in datasets] if datasets else None,
            "max_results": max_results,
            "order_by": [dict(o) for o in order_by] if order_by else None,
            "page_token": page_token or None,
        }
        response = self._call("search_logged_models", body)
        models = [logged_model_from_json(m) for m in response.get("models", ())]
        return PagedList(models, response.get("next_page_token") or None)
