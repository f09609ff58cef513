"""``GET /model-versions/get-artifact?name=&version=&path=``: a file of a registered model
version, for the web UI (rest-artifacts.md §7).

The version's download URI is resolved (``runs:/<run>/<path>`` through the run's artifact
root or, failing that, the run's logged model of that name; ``mlflow-artifacts:/`` into the
proxy's destination) and ``path`` is served relative to
it. ``path`` is a validated relative path, and local storage must lie inside the roots the
server manages, so no request can read a file outside the version's artifacts.
"""

from __future__ import annotations

from typing import BinaryIO
from urllib.parse import urlparse

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.server.artifact_download import file_path_parameter, file_response, query_parameter
from mltrail.server.context import ServerContext
from mltrail.server.handlers.artifact_listing import storage_uri
from mltrail.server.handlers.registry import model_name, version_number
from mltrail.server.responses import internal_error_response, mlflow_error_response
from mltrail.store.tracking.sql.locations import join_uri
from mltrail.utils.artifact_paths import validate_artifact_path

GET_ARTIFACT_PATH = "/model-versions/get-artifact"


def version_storage_uri(ctx: ServerContext, name: str, version: str) -> str:
    """Where the files of ``name``/``version`` are stored, as a URI this server can read."""
    assert ctx.registry_store is not None
    uri = ctx.registry_store.get_model_version_download_uri(name, version)
    parsed = urlparse(uri)
    if parsed.scheme == "runs":
        run_id, _, inner = parsed.path.lstrip("/").partition("/")
        uri = run_model_uri(ctx, parsed.netloc or run_id, validate_artifact_path(inner))
    elif parsed.scheme == "models":
        raise MlflowException(
            f"Model version {name}/{version} points to {uri!r}, which this route cannot serve.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return storage_uri(ctx, uri)


def run_model_uri(ctx: ServerContext, run_id: str, inner: str) -> str:
    """Where ``runs:/<run_id>/<inner>`` is stored: in the run's artifacts when they hold that
    path, else (MLflow 3, where ``log_model(name=...)`` stores a logged model outside the
    run's artifacts) the artifact location of the run's logged model named ``inner``."""
    from mltrail.store.artifacts.resolve import get_artifact_repository

    run = ctx.store.get_run(run_id)
    root = run.info.artifact_uri
    uri = join_uri(root, inner) if inner else root
    if not inner or get_artifact_repository(storage_uri(ctx, uri)).list_artifacts():
        return uri
    for output in run.outputs.model_outputs:
        model = ctx.store.get_logged_model(output.model_id)
        if model.name == inner:
            return model.artifact_location
    return uri


def _open(ctx: ServerContext, name: str, version: str, path: str) -> BinaryIO:
    from mltrail.store.artifacts.resolve import get_artifact_repository

    repository = get_artifact_repository(version_storage_uri(ctx, name, version))
    return repository.open_read(path)


def registry_artifact_routes(ctx: ServerContext) -> list[BaseRoute]:
    async def get_artifact(request: Request) -> Response:
        try:
            name = model_name(query_parameter(request, "name"))
            version = version_number(query_parameter(request, "version"))
            path = file_path_parameter(request)
            stream = await run_in_threadpool(_open, ctx, name, version, path)
        except MlflowException as error:
            return mlflow_error_response(error)
        except Exception as error:
            return internal_error_response(error)
        return file_response(stream, path)

    return [Route(GET_ARTIFACT_PATH, get_artifact, methods=["GET"])]
