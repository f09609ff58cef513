"""Routes of the tracking API, built from the endpoint catalogue and the request messages.

Every endpoint is served under ``/api/2.0`` and mirrored under ``/ajax-api/2.0`` (UI-only
endpoints only under the latter). An endpoint reads its request (query string for GET, JSON
body otherwise, bounded in size), runs its handler in the thread pool (store calls block) and
answers JSON; every failure becomes MLflow's JSON error body.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from mltrail.exceptions import INVALID_PARAMETER_VALUE, MlflowException
from mltrail.protocol.endpoints import (
    AJAX_ONLY_ENDPOINTS,
    AJAX_PREFIX,
    API_PREFIX,
    ENDPOINTS,
    EXTRA_METHODS,
)
from mltrail.protocol.messages import REQUESTS, Message
from mltrail.protocol.requests import decode_json_body, group_query, parse_json, parse_query
from mltrail.server.context import ServerContext
from mltrail.server.handlers import Handler, all_handlers
from mltrail.server.middleware import ROUTE_SCOPE_KEY
from mltrail.server.responses import (
    JsonResponse,
    error_response,
    internal_error_response,
    mlflow_error_response,
)

Endpoint = Callable[[Request], Coroutine[Any, Any, Response]]
# Path parameters that may contain '/' (tag keys such as 'mlflow.source/name').
_PATH_CONVERTERS = {"{tag_key}": "{tag_key:path}"}


class BodyTooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def parse_request(request: Request, message: Message, limit: int) -> dict[str, Any]:
    """The typed request values: query string for GET, JSON body otherwise; path parameters
    are added on top."""
    path_params = {k: v for k, v in request.path_params.items() if isinstance(v, str)}
    method = request.method
    query_string = request.scope.get("query_string", b"")
    if method in ("GET", "HEAD") and (query_string or not request.headers.get("content-length")):
        query = group_query(request.query_params.multi_items())
        query.update({k: [v] for k, v in path_params.items()})
        return parse_query(message, query)
    body = decode_json_body(
        await read_body(request, limit), method, request.headers.get("content-type")
    )
    body.update(path_params)
    return parse_json(message, body)


def make_endpoint(ctx: ServerContext, name: str, handler: Handler, template: str) -> Endpoint:
    message = REQUESTS[name]
    limit = ctx.config.max_body_bytes

    async def endpoint(request: Request) -> Response:
        request.scope[ROUTE_SCOPE_KEY] = template
        try:
            values = await parse_request(request, message, limit)
            body = await run_in_threadpool(handler, ctx, values)
            return JsonResponse(body)
        except MlflowException as error:
            return mlflow_error_response(error)
        except BodyTooLarge:
            return error_response(
                INVALID_PARAMETER_VALUE,
                f"The request body is larger than the limit of {limit} bytes.",
                413,
            )
        except Exception as error:
            return internal_error_response(error)

    endpoint.__name__ = name
    return endpoint


def _route_path(path: str) -> str:
    for plain, converted in _PATH_CONVERTERS.items():
        path = path.replace(plain, converted)
    return path


def tracking_routes(ctx: ServerContext) -> list[BaseRoute]:
    """Every implemented tracking endpoint, under both prefixes."""
    handlers = all_handlers()
    routes: list[BaseRoute] = []
    catalogue: list[tuple[str, str, str, tuple[str, ...]]] = [
        (n, m, p, (API_PREFIX, AJAX_PREFIX)) for n, (m, p) in ENDPOINTS.items()
    ]
    catalogue += [(n, m, p, (AJAX_PREFIX,)) for n, (m, p) in AJAX_ONLY_ENDPOINTS.items()]
    for name, method, path, prefixes in catalogue:
        handler = handlers.get(name)
        if handler is None:
            continue
        methods = [method, *EXTRA_METHODS.get(name, ())]
        for prefix in prefixes:
            full_path = prefix + _route_path(path)
            routes.append(
                Route(
                    full_path,
                    make_endpoint(ctx, name, handler, prefix + path),
                    methods=methods,
                    name=f"{prefix}:{name}",
                )
            )
    return routes
