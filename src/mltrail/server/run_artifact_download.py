"""``GET /get-artifact?run_id=&path=``: one file of a run's artifacts, for the web UI's
previews and downloads (``run_uuid`` is accepted for ``run_id``, as MLflow's UI sends it).

The run's artifact URI is resolved like the listing endpoint resolves it (``mlflow-artifacts:/``
maps into the proxy's destination, local roots must lie inside the roots the server manages)
and ``path`` is a validated relative path, so no request reads outside the run's artifacts.
"""

from __future__ import annotations

from typing import BinaryIO

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mltrail.exceptions import MlflowException
from mltrail.server.artifact_download import file_path_parameter, file_response, query_parameter
from mltrail.server.context import ServerContext
from mltrail.server.handlers.artifact_listing import storage_uri
from mltrail.server.middleware import ROUTE_SCOPE_KEY
from mltrail.server.responses import internal_error_response, mlflow_error_response
from mltrail.utils.validation import validate_run_id

RUN_ARTIFACT_PATH = "/get-artifact"


def _open(ctx: ServerContext, run_id: str, path: str) -> BinaryIO:
    from mltrail.store.artifacts.resolve import get_artifact_repository

    root = ctx.store.get_run(run_id).info.artifact_uri
    return get_artifact_repository(storage_uri(ctx, root)).open_read(path)


def run_artifact_routes(ctx: ServerContext) -> list[BaseRoute]:
    async def get_artifact(request: Request) -> Response:
        request.scope[ROUTE_SCOPE_KEY] = RUN_ARTIFACT_PATH
        try:
            run_id = validate_run_id(query_parameter(request, "run_id", "run_uuid"))
            path = file_path_parameter(request)
            stream = await run_in_threadpool(_open, ctx, run_id, path)
        except MlflowException as error:
            return mlflow_error_response(error)
        except Exception as error:
            return internal_error_response(error)
        return file_response(stream, path)

    return [Route(RUN_ARTIFACT_PATH, get_artifact, methods=["GET"])]
