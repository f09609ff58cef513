"""The catalogue of MLflow REST endpoints: name -> (HTTP method, path).

Paths are relative to the API prefix (``/api/2.0`` for everything here; the server mirrors
each of them under ``/ajax-api/2.0``). Path parameters are written ``{name}``. The server
routes from this table and the REST store builds its requests from it, so the two cannot
disagree about a path or a method.
"""

from __future__ import annotations

API_PREFIX = "/api/2.0"
AJAX_PREFIX = "/ajax-api/2.0"

# Tracking service (rest-tracking.md §4) and logged models (§6).
ENDPOINTS: dict[str, tuple[str, str]] = {
    # experiments
    "create_experiment": ("POST", "/mlflow/experiments/create"),
    "get_experiment": ("GET", "/mlflow/experiments/get"),
    "get_experiment_by_name": ("GET", "/mlflow/experiments/get-by-name"),
    "search_experiments": ("POST", "/mlflow/experiments/search"),
    "update_experiment": ("POST", "/mlflow/experiments/update"),
    "delete_experiment": ("POST", "/mlflow/experiments/delete"),
    "restore_experiment": ("POST", "/mlflow/experiments/restore"),
    "set_experiment_tag": ("POST", "/mlflow/experiments/set-experiment-tag"),
    "delete_experiment_tag": ("POST", "/mlflow/experiments/delete-experiment-tag"),
    # runs
    "create_run": ("POST", "/mlflow/runs/create"),
    "get_run": ("GET", "/mlflow/runs/get"),
    "update_run": ("POST", "/mlflow/runs/update"),
    "delete_run": ("POST", "/mlflow/runs/delete"),
    "restore_run": ("POST", "/mlflow/runs/restore"),
    "search_runs": ("POST", "/mlflow/runs/search"),
    "log_metric": ("POST", "/mlflow/runs/log-metric"),
    "log_param": ("POST", "/mlflow/runs/log-parameter"),
    "set_tag": ("POST", "/mlflow/runs/set-tag"),
    "delete_tag": ("POST", "/mlflow/runs/delete-tag"),
    "log_batch": ("POST", "/mlflow/runs/log-batch"),
    "log_inputs": ("POST", "/mlflow/runs/log-inputs"),
    "log_outputs": ("POST", "/mlflow/runs/outputs"),
    "log_model": ("POST", "/mlflow/runs/log-model"),
    # metrics
    "get_metric_history": ("GET", "/mlflow/metrics/get-history"),
    "get_metric_history_bulk_interval": ("GET", "/mlflow/metrics/get-history-bulk-interval"),
    # run artifacts (tracking service listing; the proxy service lives elsewhere)
    "list_artifacts": ("GET", "/mlflow/artifacts/list"),
    # logged models
    "create_logged_model": ("POST", "/mlflow/logged-models"),
    "search_logged_models": ("POST", "/mlflow/logged-models/search"),
    "get_logged_model": ("GET", "/mlflow/logged-models/{model_id}"),
    "finalize_logged_model": ("PATCH", "/mlflow/logged-models/{model_id}"),
    "delete_logged_model": ("DELETE", "/mlflow/logged-models/{model_id}"),
    "set_logged_model_tags": ("PATCH", "/mlflow/logged-models/{model_id}/tags"),
    "delete_logged_model_tag": ("DELETE", "/mlflow/logged-models/{model_id}/tags/{tag_key}"),
    "log_logged_model_params": ("POST", "/mlflow/logged-models/{model_id}/params"),
    "list_logged_model_artifacts": (
        "GET",
        "/mlflow/logged-models/{model_id}/artifacts/directories",
    ),
}

# Endpoints that also answer a second method (MLflow registers both).
EXTRA_METHODS: dict[str, tuple[str, ...]] = {
    "search_experiments": ("GET",),
}

# Routes served only under the ajax prefix (the web UI's helpers).
AJAX_ONLY_ENDPOINTS: dict[str, tuple[str, str]] = {
    "get_metric_history_bulk": ("GET", "/mlflow/metrics/get-history-bulk"),
    "search_datasets": ("POST", "/mlflow/experiments/search-datasets"),
}

# The capability probe (rest-artifacts.md §5); a /api/3.0 route, also mirrored under ajax.
SERVER_INFO_PATHS = ("/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info")


def endpoint_url(name: str, **path_params: str) -> tuple[str, str]:
    """The method and ``/api/2.0``-prefixed path of endpoint ``name``, path parameters filled."""
    method, path = ENDPOINTS[name]
    return method, API_PREFIX + path.format(**path_params)
