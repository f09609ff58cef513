"""The ASGI application: tracking API, artifact proxy, health, version, metrics, docs.

``create_app(config)`` builds it; ``app_from_environment()`` is the factory uvicorn workers
import (the CLI passes the settings in the environment).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from mltrail.exceptions import ENDPOINT_NOT_FOUND
from mltrail.protocol.endpoints import SERVER_INFO_PATHS
from mltrail.server.config import ServerConfig
from mltrail.server.context import ServerContext, open_context
from mltrail.server.middleware import (
    HostCheckMiddleware,
    MetricsMiddleware,
    OriginCheckMiddleware,
)
from mltrail.server.openapi import MLFLOW_COMPATIBLE_VERSION, docs_page, openapi_document
from mltrail.server.prometheus import CONTENT_TYPE, EntityCounts, RequestMetrics, count_entities
from mltrail.server.responses import JsonResponse, error_response, internal_error_response
from mltrail.server.web_ui import web_ui_routes

_logger = logging.getLogger("mltrail.server")
_HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def _server_info(config: ServerConfig) -> dict[str, Any]:
    return {
        "store_type": "SqlStore",
        "workspaces_enabled": False,
        "trace_archival_enabled": False,
        "multipart_uploads_enabled": False,
        "multipart_downloads_enabled": False,
        "presigned_upload_run_id_supported": False,
        "presigned_upload_model_id_supported": False,
        "features_enabled": {},
    }


def _service_routes(
    config: ServerConfig, ctx: ServerContext | None, metrics: RequestMetrics
) -> list[BaseRoute]:
    prefix = config.static_prefix
    counts = EntityCounts(lambda: count_entities(ctx.db)) if ctx is not None else None
    document = openapi_document(tracking_enabled=ctx is not None)
    docs_html = docs_page(document, prefix)
    info = _server_info(config)

    async def health(_: Request) -> Response:
        return PlainTextResponse("OK")

    async def version(_: Request) -> Response:
        return PlainTextResponse(MLFLOW_COMPATIBLE_VERSION)

    async def server_info(_: Request) -> Response:
        return JsonResponse(info)

    async def prometheus(_: Request) -> Response:
        lines = metrics.render()
        if counts is not None:
            try:
                lines += await run_in_threadpool(counts.render)
            except Exception as error:
                return internal_error_response(error)
        return Response("\n".join(lines) + "\n", media_type=CONTENT_TYPE)

    async def openapi(_: Request) -> Response:
        return JsonResponse(document)

    async def docs(_: Request) -> Response:
        return HTMLResponse(docs_html, headers=_HTML_HEADERS)

    return [
        Route("/health", health, methods=["GET"]),
        Route("/version", version, methods=["GET"]),
        *(Route(path, server_info, methods=["GET"]) for path in SERVER_INFO_PATHS),
        Route("/metrics", prometheus, methods=["GET"]),
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        *web_ui_routes(prefix),
    ]


def _artifact_routes(config: ServerConfig) -> list[BaseRoute]:
    """The mlflow-artifacts proxy routes, if that module is installed."""
    try:
        from mltrail.server.artifacts import artifact_routes
    except ImportError:
        _logger.warning("The artifact proxy module is missing: artifacts are not served.")
        return []
    return list(artifact_routes(config.artifacts_destination))


def _error_handlers(config: ServerConfig) -> dict[Any, Any]:
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        path = request.url.path[:200]
        if error.status_code == 405:
            return error_response(
                ENDPOINT_NOT_FOUND,
                f"Method {request.method} is not allowed for {path}.",
                405,
            )
        if error.status_code == 404:
            hint = (
                " This server runs with --artifacts-only: the tracking API is disabled."
                if config.artifacts_only
                else ""
            )
            return error_response(ENDPOINT_NOT_FOUND, f"No endpoint at {path}.{hint}", 404)
        return error_response("BAD_REQUEST", str(error.detail), error.status_code)

    async def unhandled(_: Request, error: Exception) -> Response:
        return internal_error_response(error)

    return {HTTPException: http_error, Exception: unhandled}


def _prefix_root_redirect(prefix: str) -> Route:
    """``/prefix`` -> ``/prefix/`` (the Mount only matches below the prefix; the UI's relative
    URLs need the trailing slash)."""

    async def redirect(request: Request) -> Response:
        query = request.url.query
        return RedirectResponse(prefix + "/" + (f"?{query}" if query else ""), status_code=308)

    return Route(prefix, redirect, methods=["GET"])


def create_app(config: ServerConfig, ctx: ServerContext | None = None) -> Starlette:
    """The application for ``config`` (opening the tracking database unless artifacts-only)."""
    if ctx is None and not config.artifacts_only:
        ctx = open_context(config)
    metrics = RequestMetrics()
    routes = _service_routes(config, ctx, metrics)
    if ctx is not None:
        from mltrail.server.registry_artifacts import registry_artifact_routes
        from mltrail.server.routing import tracking_routes
        from mltrail.server.run_artifact_download import run_artifact_routes

        routes += tracking_routes(ctx)
        routes += registry_artifact_routes(ctx)
        routes += run_artifact_routes(ctx)
    if config.serve_artifacts:
        routes += _artifact_routes(config)
    if config.static_prefix:
        mount = Mount(config.static_prefix, routes=routes)
        mount.app.redirect_slashes = False  # type: ignore[attr-defined]
        routes = [_prefix_root_redirect(config.static_prefix), mount]
    middleware = [
        Middleware(MetricsMiddleware, metrics=metrics),
        Middleware(HostCheckMiddleware, allowed_hosts=config.host_allow_list()),
    ]
    if config.cors_allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(config.cors_allowed_origins),
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=["*"],
            )
        )
    middleware.append(
        Middleware(OriginCheckMiddleware, allowed_origins=config.cors_allowed_origins)
    )
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers=_error_handlers(config)
    )
    app.router.redirect_slashes = False  # MLflow does not normalise trailing slashes either
    return app


def app_from_environment() -> Starlette:
    """Factory for uvicorn (``--workers``, ``--dev``): settings come from the environment."""
    return create_app(ServerConfig.from_env())
