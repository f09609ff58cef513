"""``GET /model-versions/get-artifact?name=&version=&path=``: a file of a registered model
version, for the web UI (rest-artifacts.md §7).

The version's download URI is resolved (``runs:/<run>/<path>`` through the run's artifact
root, ``mlflow-artifacts:/`` into the proxy's destination) and ``path`` is served relative to
it. ``path`` is a validated relative path, and local storage must lie inside the roots the
server manages, so no request can read a file outside the version's artifacts.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import BinaryIO
from urllib.parse import urlparse

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.requests import missing_parameter
from mltrail.server.artifacts import content_disposition, download_content_type
from mltrail.server.context import ServerContext
from mltrail.server.handlers.artifact_listing import storage_uri
from mltrail.server.handlers.registry import model_name, version_number
from mltrail.server.responses import internal_error_response, mlflow_error_response
from mltrail.store.tracking.sql.locations import join_uri
from mltrail.utils.artifact_paths import validate_artifact_path

GET_ARTIFACT_PATH = "/model-versions/get-artifact"
_CHUNK_BYTES = 1024 * 1024


def _parameter(request: Request, name: str) -> str:
    value = request.query_params.get(name)
    if not value:
        raise missing_parameter(name)
    return value


def version_storage_uri(ctx: ServerContext, name: str, version: str) -> str:
    """Where the files of ``name``/``version`` are stored, as a URI this server can read."""
    assert ctx.registry_store is not None
    uri = ctx.registry_store.get_model_version_download_uri(name, version)
    parsed = urlparse(uri)
    if parsed.scheme == "runs":
        run_id, _, inner = parsed.path.lstrip("/").partition("/")
        root = ctx.store.get_run(parsed.netloc or run_id).info.artifact_uri
        inner = validate_artifact_path(inner)
        uri = join_uri(root, inner) if inner else root
    elif parsed.scheme == "models":
        raise MlflowException(
            f"Model version {name}/{version} points to {uri!r}, which this route cannot serve.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return storage_uri(ctx, uri)


def _open(ctx: ServerContext, name: str, version: str, path: str) -> BinaryIO:
    from mltrail.store.artifacts.resolve import get_artifact_repository

    repository = get_artifact_repository(version_storage_uri(ctx, name, version))
    return repository.open_read(path)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(_CHUNK_BYTES):
        yield chunk


def registry_artifact_routes(ctx: ServerContext) -> list[BaseRoute]:
    async def get_artifact(request: Request) -> Response:
        try:
            name = model_name(_parameter(request, "name"))
            version = version_number(_parameter(request, "version"))
            path = validate_artifact_path(_parameter(request, "path"))
            if not path:
                raise missing_parameter("path")
            stream = await run_in_threadpool(_open, ctx, name, version, path)
        except MlflowException as error:
            return mlflow_error_response(error)
        except Exception as error:
            return internal_error_response(error)
        file_name = posixpath.basename(path)
        media_type, inline = download_content_type(file_name)
        headers = {
            "Content-Disposition": content_disposition(file_name, inline),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "no-cache",
        }
        return StreamingResponse(
            _chunks(stream),
            media_type=media_type,
            headers=headers,
            background=BackgroundTask(stream.close),
        )

    return [Route(GET_ARTIFACT_PATH, get_artifact, methods=["GET"])]
