"""Errors raised by mltrail, with MLflow's error codes and their HTTP statuses."""

from __future__ import annotations

import json
from typing import Any

# Error code names, as the MLflow protocol spells them.
INTERNAL_ERROR = "INTERNAL_ERROR"
TEMPORARILY_UNAVAILABLE = "TEMPORARILY_UNAVAILABLE"
ENDPOINT_NOT_FOUND = "ENDPOINT_NOT_FOUND"
INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE"
INVALID_STATE = "INVALID_STATE"
PERMISSION_DENIED = "PERMISSION_DENIED"
FEATURE_DISABLED = "FEATURE_DISABLED"
CUSTOMER_UNAUTHORIZED = "CUSTOMER_UNAUTHORIZED"
REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED"
RESOURCE_CONFLICT = "RESOURCE_CONFLICT"
NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
DATA_LOSS = "DATA_LOSS"
RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS"
RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST"
BAD_REQUEST = "BAD_REQUEST"
UNAUTHENTICATED = "UNAUTHENTICATED"
NOT_FOUND = "NOT_FOUND"
ALREADY_EXISTS = "ALREADY_EXISTS"
ABORTED = "ABORTED"
RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
CANCELLED = "CANCELLED"
DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"

HTTP_STATUS_BY_CODE: dict[str, int] = {
    INVALID_PARAMETER_VALUE: 400,
    BAD_REQUEST: 400,
    RESOURCE_ALREADY_EXISTS: 400,
    CUSTOMER_UNAUTHORIZED: 401,
    UNAUTHENTICATED: 401,
    PERMISSION_DENIED: 403,
    RESOURCE_DOES_NOT_EXIST: 404,
    NOT_FOUND: 404,
    ENDPOINT_NOT_FOUND: 404,
    ALREADY_EXISTS: 409,
    RESOURCE_CONFLICT: 409,
    ABORTED: 409,
    REQUEST_LIMIT_EXCEEDED: 429,
    RESOURCE_EXHAUSTED: 429,
    CANCELLED: 499,
    INTERNAL_ERROR: 500,
    INVALID_STATE: 500,
    DATA_LOSS: 500,
    NOT_IMPLEMENTED: 501,
    TEMPORARILY_UNAVAILABLE: 503,
    DEADLINE_EXCEEDED: 504,
}


class MlflowException(Exception):
    """The one error type of the public API; ``error_code`` says which kind of failure it is."""

    def __init__(
        self, message: object, error_code: str = INTERNAL_ERROR, **kwargs: Any
    ) -> None:
        self.error_code = error_code if isinstance(error_code, str) else INTERNAL_ERROR
        self.message = str(message)
        self.json_kwargs = kwargs
        super().__init__(self.message)

    @classmethod
    def invalid_parameter_value(cls, message: str, **kwargs: Any) -> MlflowException:
        return cls(message, error_code=INVALID_PARAMETER_VALUE, **kwargs)

    def get_http_status_code(self) -> int:
        return HTTP_STATUS_BY_CODE.get(self.error_code, 500)

    def serialize_as_json(self) -> str:
        body = {"error_code": self.error_code, "message": self.message, **self.json_kwargs}
        return json.dumps(body)


class RestException(MlflowException):
    """An error answered by a tracking server, carrying the server's code and message."""

    def __init__(self, json_body: dict[str, Any]) -> None:
        code = str(json_body.get("error_code", INTERNAL_ERROR))
        message = f"{code}: {json_body.get('message', '')}"
        super().__init__(message, error_code=code)
        self.json = json_body


class MissingConfigException(MlflowException):
    """A configuration file or value that mltrail needs is missing."""


class ExecutionException(Exception):
    """Raised when a project run fails."""
