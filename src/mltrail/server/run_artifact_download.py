"""``GET /get-artifact?run_id=&path=``: one file of a run's artifacts, for the web UI's
previews and downloads (``run_uuid`` is accepted for ``run_id``, as MLflow's UI sends it), and
``GET .../mlflow/logged-models/<model_id>/artifacts/files?artifact_file_path=``: one file of a
logged model (MLflow 3 keeps a model logged in a run outside the run's artifacts).

The run's artifact URI is resolved like the listing endpoint resolves it (``mlflow-artifacts:/``
maps into the proxy's destination, local roots must lie inside the roots the server manages)
and ``path`` is a validated relative path, so no request reads outside the run's artifacts.
"""

from __future__ import annotations

import re
from typing import BinaryIO

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.endpoints import AJAX_PREFIX, API_PREFIX
from mltrail.protocol.requests import missing_parameter
from mltrail.server.artifact_download import file_path_parameter, file_response, query_parameter
from mltrail.server.context import ServerContext
from mltrail.server.handlers.artifact_listing import storage_uri
from mltrail.server.middleware import ROUTE_SCOPE_KEY
from mltrail.server.responses import internal_error_response, mlflow_error_response
from mltrail.utils.artifact_paths import validate_artifact_path
from mltrail.utils.validation import validate_run_id

RUN_ARTIFACT_PATH = "/get-artifact"
LOGGED_MODEL_FILE_PATH = "/mlflow/logged-models/{model_id}/artifacts/files"
_MODEL_ID = re.compile(r"^m-[0-9a-f]{32}$")


def _open(ctx: ServerContext, run_id: str, path: str) -> BinaryIO:
    from mltrail.store.artifacts.resolve import get_artifact_repository

    root = ctx.store.get_run(run_id).info.artifact_uri
    return get_artifact_repository(storage_uri(ctx, root)).open_read(path)


def _open_logged_model_file(ctx: ServerContext, model_id: str, path: str) -> BinaryIO:
    from mltrail.store.artifacts.resolve import get_artifact_repository

    root = ctx.store.get_logged_model(model_id).artifact_location
    return get_artifact_repository(storage_uri(ctx, root)).open_read(path)


def _model_id(request: Request) -> str:
    model_id = str(request.path_params.get("model_id", ""))
    if not _MODEL_ID.match(model_id):
        raise MlflowException(
            f"Invalid logged model id {model_id[:80]!r}: expected 'm-' and 32 hex digits.",
            error_code=INVALID_PARAMETER_VALUE,
        )
    return model_id


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

    async def get_logged_model_file(request: Request) -> Response:
        request.scope[ROUTE_SCOPE_KEY] = LOGGED_MODEL_FILE_PATH
        try:
            model_id = _model_id(request)
            path = validate_artifact_path(query_parameter(request, "artifact_file_path"))
            if not path:
                raise missing_parameter("artifact_file_path")
            stream = await run_in_threadpool(_open_logged_model_file, ctx, model_id, path)
        except MlflowException as error:
            return mlflow_error_response(error)
        except Exception as error:
            return internal_error_response(error)
        return file_response(stream, path)

    return [
        Route(RUN_ARTIFACT_PATH, get_artifact, methods=["GET"]),
        *(
            Route(prefix + LOGGED_MODEL_FILE_PATH, get_logged_model_file, methods=["GET"])
            for prefix in (API_PREFIX, AJAX_PREFIX)
        ),
    ]
