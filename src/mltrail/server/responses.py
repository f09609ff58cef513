"""JSON responses and MLflow's error format: ``{"error_code": ..., "message": ...}``.

Every error leaves the server as JSON with a fitting HTTP status; unexpected exceptions are
logged here and answered with a generic INTERNAL_ERROR, never with a stack trace. Errors
that are the caller's fault are 4xx even where MLflow answers 500 (``INVALID_STATE``): the
MLflow client retries every 500 for minutes before giving up.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from starlette.responses import Response

from mltrail.exceptions import (
    BAD_REQUEST,
    CUSTOMER_UNAUTHORIZED,
    ENDPOINT_NOT_FOUND,
    INTERNAL_ERROR,
    INVALID_PARAMETER_VALUE,
    INVALID_STATE,
    NOT_FOUND,
    PERMISSION_DENIED,
    RESOURCE_ALREADY_EXISTS,
    RESOURCE_DOES_NOT_EXIST,
    TEMPORARILY_UNAVAILABLE,
    MlflowException,
)

_logger = logging.getLogger("mltrail.server")

# (sqlstate, error_class) as MLflow 3 adds them to error bodies.
_SQLSTATE: dict[str, tuple[str, str]] = {
    INVALID_PARAMETER_VALUE: ("KAM00", "INVALID_PARAMETER_VALUE"),
    BAD_REQUEST: ("KAM00", "INVALID_PARAMETER_VALUE"),
    RESOURCE_ALREADY_EXISTS: ("KAM00", "RESOURCE_ALREADY_EXISTS"),
    CUSTOMER_UNAUTHORIZED: ("KAM00", "PERMISSION_DENIED"),
    PERMISSION_DENIED: ("KAM00", "PERMISSION_DENIED"),
    RESOURCE_DOES_NOT_EXIST: ("KAM00", "RESOURCE_NOT_FOUND"),
    NOT_FOUND: ("KAM00", "RESOURCE_NOT_FOUND"),
    ENDPOINT_NOT_FOUND: ("KAM00", "RESOURCE_NOT_FOUND"),
    INTERNAL_ERROR: ("XXM00", "CLIENT_INTERNAL_ERROR"),
    INVALID_STATE: ("XXM00", "CLIENT_INTERNAL_ERROR"),
    TEMPORARILY_UNAVAILABLE: ("XXM00", "CLIENT_INTERNAL_ERROR"),
}
# Where mltrail deliberately differs from MLflow's status (see the module docstring).
_STATUS_OVERRIDES = {INVALID_STATE: 400}


class JsonResponse(Response):
    """``application/json`` with compact separators; NaN/inf must already be strings."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return json.dumps(
            content, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        ).encode("utf-8")


def error_body(error_code: str, message: str) -> dict[str, Any]:
    body: dict[str, Any] = {"error_code": error_code, "message": message}
    if error_code in _SQLSTATE:
        body["sqlstate"], body["error_class"] = _SQLSTATE[error_code]
    return body


def error_response(error_code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(error_body(error_code, message), status_code=status)


def mlflow_error_response(error: MlflowException) -> JsonResponse:
    status = _STATUS_OVERRIDES.get(error.error_code, error.get_http_status_code())
    if status >= 500:
        _logger.error("%s: %s", error.error_code, error.message)
    return error_response(error.error_code, error.message, status)


def internal_error_response(error: BaseException) -> JsonResponse:
    """A generic 500 for an unexpected failure; the details go to the server log only."""
    _logger.error("Unhandled error while serving a request", exc_info=error)
    return error_response(
        INTERNAL_ERROR,
        "The server failed to process the request (see the server log for details).",
        500,
    )
