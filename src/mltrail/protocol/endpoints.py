"""The catalogue of MLflow REST endpoints: name -> (HTTP method, path).

Paths are relative to the API prefix (``/api/2.0`` for everything here; the server mirrors
each of them under ``/ajax-api/2.0``). Path parameters are written ``{name}``. The server
routes from this table and the REST store builds its requests from it, so the two cannot
disagree about a path or a method.
"""

from __future__ import annotations

API_PREFIX = "/api/2.0"
AJAX_PREFIX = "/ajax-api/2.0"

# Tracking service (rest-tracking.md §4), logged models (§6) and the model registry.
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
    # model registry (rest-registry.md §2): registered models
    "create_registered_model": ("POST", "/mlflow/registered-models/create"),
    "get_registered_model": ("GET", "/mlflow/registered-models/get"),
    "rename_registered_model": ("POST", "/mlflow/registered-models/rename"),
    "update_registered_model": ("PATCH", "/mlflow/registered-models/update"),
    "delete_registered_model": ("DELETE", "/mlflow/registered-models/delete"),
    "search_registered_models": ("GET", "/mlflow/registered-models/search"),
    "get_latest_versions": ("POST", "/mlflow/registered-models/get-latest-versions"),
    "set_registered_model_tag": ("POST", "/mlflow/registered-models/set-tag"),
    "delete_registered_model_tag": ("DELETE", "/mlflow/registered-models/delete-tag"),
    "set_registered_model_alias": ("POST", "/mlflow/registered-models/alias"),
    "delete_registered_model_alias": ("DELETE", "/mlflow/registered-models/alias"),
    "get_model_version_by_alias": ("GET", "/mlflow/registered-models/alias"),
    # model registry: model versions
    "create_model_version": ("POST", "/mlflow/model-versions/create"),
    "get_model_version": ("GET", "/mlflow/model-versions/get"),
    "update_model_version": ("PATCH", "/mlflow/model-versions/update"),
    "delete_model_version": ("DELETE", "/mlflow/model-versions/delete"),
    "search_model_versions": ("GET", "/mlflow/model-versions/search"),
    "transition_model_version_stage": ("POST", "/mlflow/model-versions/transition-stage"),
    "get_model_version_download_uri": ("GET", "/mlflow/model-versions/get-download-uri"),
    "set_model_version_tag": ("POST", "/mlflow/model-versions/set-tag"),
    "delete_model_version_tag": ("DELETE", "/mlflow/model-versions/delete-tag"),
}

# Endpoints that also answer a second method (MLflow registers both).
EXTRA_METHODS: dict[str, tuple[str, ...]] = {
    "search_experiments": ("GET",),
    "get_latest_versions": ("GET",),
}

# Routes served only under the ajax prefix (the web UI's helpers).
AJAX_ONLY_ENDPOINTS: dict[str, tuple[str, str]] = {
    "get_metric_history_bulk": ("GET", "/mlflow/metrics/get-history-bulk"),
    "search_datasets": ("POST", "/mlflow/experiments/search-datasets"),
    # mltrail's own UI endpoints (server/handlers/ui_*.py)
    "search_runs_table": ("POST", "/mltrail/runs/table"),
    "get_experiment_columns": ("GET", "/mltrail/experiments/columns"),
    "get_metric_history_reduced": ("GET", "/mltrail/metrics/history-reduced"),
}

# The capability probe (rest-artifacts.md §5); a /api/3.0 route, also mirrored under ajax.
SERVER_INFO_PATHS = ("/api/3.0/mlflow/server-info", "/ajax-api/3.0/mlflow/server-info")


def endpoint_url(name: str, **path_params: str) -> tuple[str, str]:
    """The method and ``/api/2.0``-prefixed path of endpoint ``name``, path parameters filled."""
    method, path = ENDPOINTS[name]
    return method, API_PREFIX + path.format(**path_params)
