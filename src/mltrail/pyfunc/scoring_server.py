"""The model scoring server: ``/invocations``, ``/ping``, ``/health``, ``/version`` on Starlette.

``create_scoring_app(model)`` serves an already loaded pyfunc model; ``app_from_environment``
is the uvicorn factory used when several workers each load the model themselves. Every error
leaves as JSON without a stack trace; bad requests are 4xx (415 for an unsupported content
type, 413 for an oversized body, 400 for malformed or schema-violating input).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mltrail.exceptions import BAD_REQUEST, DEADLINE_EXCEEDED, MlflowException
from mltrail.pyfunc.scoring_input import (
    UnsupportedContentType,
    parse_content_type,
    parse_request_body,
)
from mltrail.pyfunc.scoring_output import predictions_to_json
from mltrail.server.middleware import HostCheckMiddleware
from mltrail.server.responses import JsonResponse, error_body

_logger = logging.getLogger("mltrail.scoring_server")

CONFIG_ENV_VAR = "_MLTRAIL_SCORING_SERVER_CONFIG"
DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
DEFAULT_TIMEOUT_SECONDS = 60.0
_PREVIEW_CHARS = 1000
# (sqlstate, error_class) for error classes MLflow reports with their own sqlstate.
_ERROR_CLASS_SQLSTATE = {"SCHEMA_ENFORCEMENT_FAILED": "KAM01"}


@dataclass(frozen=True)
class ScoringConfig:
    """What a worker needs to build the app; passed to workers through the environment."""

    model_path: str = ""
    host: str = "127.0.0.1"
    allowed_hosts: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    extra: dict[str, str] = field(default_factory=dict)

    def host_allow_list(self) -> tuple[str, ...]:
        from mltrail.server.config import ServerConfig

        return ServerConfig(host=self.host, allowed_hosts=self.allowed_hosts).host_allow_list()

    def to_env(self) -> dict[str, str]:
        return {CONFIG_ENV_VAR: json.dumps(asdict(self))}

    @classmethod
    def from_env(cls) -> ScoringConfig:
        raw = os.environ.get(CONFIG_ENV_VAR)
        if not raw:
            raise RuntimeError(f"{CONFIG_ENV_VAR} is not set: start with `mltrail models serve`.")
        values = json.loads(raw)
        values["allowed_hosts"] = tuple(values.get("allowed_hosts", ()))
        return cls(**values)


class _BodyTooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than ``limit`` bytes without reading all of it."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def error_json(error: MlflowException) -> dict[str, Any]:
    """MLflow's error body: error_code, message, sqlstate and error_class (no stack trace)."""
    body = error_body(error.error_code, error.message)
    error_class = error.json_kwargs.get("error_class")
    if isinstance(error_class, str):
        body["error_class"] = error_class
        body["sqlstate"] = _ERROR_CLASS_SQLSTATE.get(error_class, body.get("sqlstate", "KAM00"))
    return body


def _error_response(error: MlflowException, status: int | None = None) -> JsonResponse:
    code = status or error.get_http_status_code()
    if code >= 500:
        _logger.error("%s: %s", error.error_code, error.message)
    return JsonResponse(error_json(error), status_code=code)


def _preview(data: Any) -> str:
    text = str(data)
    return text if len(text) <= _PREVIEW_CHARS else text[:_PREVIEW_CHARS] + "..."


def _accepts_params(model: Any) -> bool:
    try:
        return "params" in inspect.signature(model.predict).parameters
    except (TypeError, ValueError):
        return True


def predict(model: Any, data: Any, params: dict[str, Any] | None) -> Any:
    """Call the model; its errors become 400s that say what went wrong."""
    try:
        if _accepts_params(model):
            return model.predict(data, params=params)
        if params:
            _logger.warning("The model's predict() takes no params; ignoring %s.", list(params))
        return model.predict(data)
    except MlflowException as exc:
        raise MlflowException(
            f"Failed to predict data '{_preview(data)}'. \nError: {exc.message}",
            exc.error_code,
            **{k: v for k, v in exc.json_kwargs.items() if k != "stack_trace"},
        ) from None
    except Exception as exc:
        _logger.exception("The model raised an error while predicting")
        raise MlflowException(
            "Encountered an unexpected error while evaluating the model. Verify that the "
            "serialized input Dataframe is compatible with the model for inference. "
            f"Error: {type(exc).__name__}: {_preview(exc)}",
            BAD_REQUEST,
        ) from None


def score(model: Any, body: bytes, content_type: str | None) -> str:
    """Parse, predict and encode one request (blocking; run it off the event loop)."""
    mime_type = parse_content_type(content_type)
    parsed = parse_request_body(body, mime_type, getattr(model, "metadata", None))
    raw = predict(model, parsed.data, parsed.params)
    return predictions_to_json(raw, parsed.unwrapped)


def _ping(_: Request) -> Response:
    return Response("\n", media_type="application/json")


def _version(_: Request) -> Response:
    from mltrail import __version__

    return Response(__version__, media_type="application/json")


def _invocations_endpoint(model: Any, max_body_bytes: int, timeout_seconds: float) -> Any:
    async def invocations(request: Request) -> Response:
        try:
            body = await _read_body(request, max_body_bytes)
            text = await asyncio.wait_for(
                run_in_threadpool(score, model, body, request.headers.get("content-type")),
                timeout=timeout_seconds,
            )
            return Response(text, media_type="application/json")
        except UnsupportedContentType as error:
            return _error_response(error, 415)
        except MlflowException as error:
            return _error_response(error)
        except _BodyTooLarge:
            message = (
                f"The request body is larger than the limit of {max_body_bytes} bytes. Send "
                "smaller batches or restart the server with a larger --max-body-bytes."
            )
            return _error_response(MlflowException(message, BAD_REQUEST), 413)
        except TimeoutError:
            message = (
                f"Request processing time exceeded the limit of {timeout_seconds:g} seconds "
                "(--timeout)."
            )
            return _error_response(MlflowException(message, DEADLINE_EXCEEDED), 504)

    return invocations


async def _http_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return JsonResponse({"detail": exc.detail}, status_code=exc.status_code)


async def _unexpected_error(_: Request, exc: Exception) -> Response:
    _logger.error("Unhandled error while scoring", exc_info=exc)
    body = error_body("INTERNAL_ERROR", "The scoring server failed (see its log for details).")
    return JsonResponse(body, status_code=500)


def create_scoring_app(
    model: Any,
    *,
    allowed_hosts: Sequence[str] | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
) -> Starlette:
    """The ASGI app serving ``model`` (anything with ``predict(data, params=None)``).

    ``allowed_hosts`` defaults to the local host names (DNS-rebinding defence); pass ``["*"]``
    to accept any Host header.
    """
    hosts = tuple(allowed_hosts) if allowed_hosts else ScoringConfig().host_allow_list()
    routes = [
        Route("/ping", _ping, methods=["GET"]),
        Route("/health", _ping, methods=["GET"]),
        Route("/version", _version, methods=["GET"]),
        Route(
            "/invocations",
            _invocations_endpoint(model, max_body_bytes, timeout_seconds),
            methods=["POST"],
        ),
    ]
    return Starlette(
        routes=routes,
        middleware=[Middleware(HostCheckMiddleware, allowed_hosts=hosts)],
        exception_handlers={HTTPException: _http_error, Exception: _unexpected_error},
    )


def load_served_model(model_path: str) -> Any:
    from mltrail.pyfunc import load_model  # type: ignore[attr-defined]

    return load_model(model_path)


def app_from_config(config: ScoringConfig, model: Any = None) -> Starlette:
    return create_scoring_app(
        model if model is not None else load_served_model(config.model_path),
        allowed_hosts=config.host_allow_list(),
        max_body_bytes=config.max_body_bytes,
        timeout_seconds=config.timeout_seconds,
    )


def app_from_environment() -> Starlette:
    """uvicorn factory for multi-worker serving: each worker loads the model once."""
    return app_from_config(ScoringConfig.from_env())
