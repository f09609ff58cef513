"""Fluent model registry API: ``mltrail.register_model`` and the two registry searches."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

from mltrail.entities import ModelVersion, RegisteredModel
from mltrail.exceptions import ALREADY_EXISTS, RESOURCE_ALREADY_EXISTS, MlflowException
from mltrail.tracking._model_registry import logged_model_id_of
from mltrail.tracking.client import MlflowClient

SEARCH_PAGE_SIZE = 1000


def register_model(
    model_uri: str,
    name: str,
    await_registration_for: int = 300,
    *,
    tags: Mapping[str, Any] | None = None,
) -> ModelVersion:
    """Register the model at ``model_uri`` as a new version of ``name`` (created if missing).

    ``model_uri`` is ``models:/m-<id>`` (a logged model), ``runs:/<run_id>/<name>`` (the logged
    model ``<name>`` of that run, else the run's artifact path) or a storage URI.
    """
    client = MlflowClient()
    try:
        client.create_registered_model(name)
    except MlflowException as error:
        if error.error_code not in (RESOURCE_ALREADY_EXISTS, ALREADY_EXISTS):
            raise
    source, run_id, model_id = model_uri, None, logged_model_id_of(model_uri)
    if model_uri.startswith("runs:"):
        run_id, artifact_path = _split_runs_uri(model_uri)
        logged = client.find_logged_model_of_run(run_id, artifact_path)
        if logged is not None:
            source, model_id = f"models:/{logged.model_id}", logged.model_id
    return client.create_model_version(
        name,
        source,
        run_id=run_id,
        tags=tags,
        await_creation_for=await_registration_for,
        model_id=model_id,
    )


def _split_runs_uri(uri: str) -> tuple[str, str]:
    parsed = urlparse(uri)
    parts = [p for p in (parsed.netloc + "/" + parsed.path).split("/") if p]
    if not parts:
        raise MlflowException.invalid_parameter_value(
            f"Invalid runs URI {uri!r}: expected 'runs:/<run_id>/<artifact path>'."
        )
    return parts[0], "/".join(parts[1:])


def search_registered_models(
    max_results: int | None = None,
    filter_string: str | None = None,
    order_by: Sequence[str] | None = None,
) -> list[RegisteredModel]:
    """Every registered model matching ``filter_string`` (or the first ``max_results``)."""
    client = MlflowClient()
    return _all_pages(
        lambda size, token: client.search_registered_models(filter_string, size, order_by, token),
        max_results,
        SEARCH_PAGE_SIZE,
    )


def search_model_versions(
    max_results: int | None = None,
    filter_string: str | None = None,
    order_by: Sequence[str] | None = None,
) -> list[ModelVersion]:
    """Every model version matching ``filter_string`` (or the first ``max_results``)."""
    client = MlflowClient()
    return _all_pages(
        lambda size, token: client.search_model_versions(filter_string, size, order_by, token),
        max_results,
        SEARCH_PAGE_SIZE * 10,
    )


def _all_pages(fetch: Any, max_results: int | None, page_size: int) -> list[Any]:
    results: list[Any] = []
    token: str | None = None
    while True:
        size = page_size if max_results is None else min(page_size, max_results - len(results))
        page = fetch(size, token)
        results.extend(page)
        token = page.token
        if not token or (max_results is not None and len(results) >= max_results):
            return results
