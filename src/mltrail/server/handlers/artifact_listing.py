"""Artifact listings served by the tracking API (``artifacts/list`` for runs and the logged-model
``artifacts/directories`` view), read through the artifact repository of the stored URI."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.entities_json import file_info_to_json
from mltrail.server.artifact_roots import PROXY_SCHEME, check_local_location
from mltrail.server.context import ServerContext
from mltrail.server.handlers.runs import run_id_of
from mltrail.store.tracking.sql.locations import join_uri
from mltrail.utils.artifact_paths import validate_artifact_path

Body = dict[str, Any]


def storage_uri(ctx: ServerContext, artifact_uri: str) -> str:
    """Where ``artifact_uri`` is stored: ``mlflow-artifacts:/x`` maps into the destination."""
    parsed = urlparse(artifact_uri)
    if parsed.scheme != PROXY_SCHEME:
        check_local_location(ctx.config, artifact_uri, "Artifact location")
        return artifact_uri
    if not ctx.config.serve_artifacts:
        raise MlflowException(
            f"Artifact URI {artifact_uri!r} uses the artifact proxy, which this server does not "
            "serve (--no-serve-artifacts).",
            error_code=INVALID_PARAMETER_VALUE,
        )
    relative = validate_artifact_path(parsed.path.lstrip("/"))
    stored = join_uri(ctx.config.artifacts_destination, relative)
    check_local_location(ctx.config, stored, "Artifact location")
    return stored


def _listing(ctx: ServerContext, root_uri: str, path: str | None) -> Body:
    from mltrail.store.artifacts.resolve import get_artifact_repository

    clean = validate_artifact_path(path or "")
    repository = get_artifact_repository(storage_uri(ctx, root_uri))
    files = [file_info_to_json(info) for info in repository.list_artifacts(clean or None)]
    body: Body = {"root_uri": root_uri}
    if files:
        body["files"] = files
    return body


def list_artifacts(ctx: ServerContext, msg: Body) -> Body:
    run = ctx.store.get_run(run_id_of(msg))
    return _listing(ctx, run.info.artifact_uri, msg.get("path"))


def list_logged_model_artifacts(ctx: ServerContext, msg: Body) -> Body:
    model = ctx.store.get_logged_model(msg["model_id"], allow_deleted=True)
    return _listing(ctx, model.artifact_location, msg.get("artifact_directory_path"))


HANDLERS = {
    "list_artifacts": list_artifacts,
    "list_logged_model_artifacts": list_logged_model_artifacts,
}
